#!/usr/bin/env python3
"""Runs build/bin/asyncrt_bench once per allocator and prints markdown tables.

    python3 bench/runtime_table.py [--bin build/bin/asyncrt_bench] [--min-time 0.1] [--reps 3] [--rounds 1]
                                   [--allocators glibc,mimalloc,tcmalloc]

Allocators: glibc malloc, then Debian's mimalloc and tcmalloc (minimal) through LD_PRELOAD
when their shared objects exist. Each benchmark runs --reps times and the median of its
ns_per_op counter is reported. One table per allocator: rows are benchmark families,
columns implementations, cells ns per op (task, frame, acquire+release, round trip);
"asyncrt / best peer" is asyncrt's time over the fastest other column (< 1 means asyncrt
is ahead). The machine's floor follows each table.

--rounds R repeats the whole sequence (every allocator) R times, so each allocator's runs
are spread over the session: a cell is then the median over the rounds, and the ratio
column gives the median of the per-round ratios (each computed within one run, side by
side) with its lowest and highest, since these VMs change speed from minute to minute.

--isolation row (the default) runs every benchmark in a process of its own, a family's
rows one after the other (so still side by side in time). In one process, a row inherits
what the rows before it left in the heap and in each runtime's caches: after the a1 and
a3 rows (a million tasks made on one thread and freed on others) asyncrt's when_all over
100,000 children, which runs on the main thread, measured 130-150 ns per child instead of
35-40 in a fresh process, and TooManyCooks', which runs on a thread of its own, 37-46
instead of 28. --isolation none runs the whole binary in one process, as before.
"""
import statistics
import argparse
import json
import re
import os
import platform
import subprocess
import sys

PRELOADS = [
    ("glibc malloc", None),
    ("mimalloc (LD_PRELOAD)", "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2"),
    ("tcmalloc minimal (LD_PRELOAD)", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"),
]
# TooManyCooks and libcoro rows exist when the binary was built with their checkouts
# (-DASYNCRT_BENCH_TMC_DIR, -DASYNCRT_BENCH_LIBCORO_DIR); their columns are then filled.
COLUMNS = [("asyncrt", "asyncrt"), ("asio", "asio"), ("tbb", "oneTBB"), ("std_thread_cv", "std::thread"),
           ("tmc", "TooManyCooks"), ("libcoro", "libcoro")]


def benchmark_names(binary, extra):
    """Every benchmark the binary would run with `extra`, a family's rows together."""
    out = subprocess.run([binary, "--benchmark_list_tests=true"] + extra, check=True, capture_output=True,
                         text=True).stdout
    names = [n for n in out.splitlines() if n]
    families = list(dict.fromkeys(n.split("/")[0] for n in names))
    return [n for fam in families for n in names if n.split("/")[0] == fam]


def run_isolated(binary, min_time, reps, preload, extra):
    """Like run, with each benchmark in a fresh process (see --isolation)."""
    # The caller's own filter chose the names; each run then selects exactly one of them.
    rest = [a for a in extra if not a.startswith("--benchmark_filter")]
    rows, labels = {}, {}
    for name in benchmark_names(binary, extra):
        r, l = run(binary, min_time, reps, preload, rest + [f"--benchmark_filter=^{re.escape(name)}$"],
                   timeout=ROW_TIMEOUT_S)
        rows.update(r)
        labels.update(l)
    return rows, labels


# A row that takes longer than this in its own process is hung (the slowest, a1 and a3,
# take a few seconds): its cell is left empty and the table goes on.
ROW_TIMEOUT_S = 300


def run(binary, min_time, reps, preload, extra, timeout=None):
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = preload
    cmd = [binary, f"--benchmark_min_time={min_time}", f"--benchmark_repetitions={reps}",
           "--benchmark_report_aggregates_only=true", "--benchmark_format=json"] + extra
    try:
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        print(f"runtime_table: {' '.join(extra)}: no result after {timeout} s, killed; its cell stays empty",
              file=sys.stderr)
        return {}, {}
    rows = {}
    labels = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name", "median") != "median":
            continue
        # A row's own minimum time (a1, a3) shows in its name; the table does not need it.
        name = re.sub(r"/min_time:[0-9.]+", "", b["run_name"].removesuffix("/real_time"))
        if "ns_per_op" not in b:  # the row's own check failed: say so, time nothing
            print(f"runtime_table: {name}: {b.get('error_message', 'no ns_per_op')}", file=sys.stderr)
            continue
        rows[name] = b["ns_per_op"] * 1e9
        labels[name] = b.get("label", "")
    return rows, labels


def fmt(ns):
    if ns is None:
        return "—"
    if ns >= 10_000:
        return f"{ns / 1000:.1f} µs"
    if ns >= 100:
        return f"{ns:.0f} ns"
    if ns >= 10:
        return f"{ns:.1f} ns"
    return f"{ns:.2f} ns"


def family_values(rows, fam):
    vals = {}
    for key, _ in COLUMNS:
        # A column is its peer's row (asio_io_context, tbb_task_group, ...); asyncrt's
        # extra rows (asyncrt_start_on) are not its column.
        hit = [v for n, v in rows.items() if n.split("/")[0] == fam and
               (n.split("/")[1] == key or (key != "asyncrt" and n.split("/")[1].startswith(key)))]
        vals[key] = hit[0] if hit else None
    return vals


def ratio(fam, vals):
    """asyncrt over the best peer of one run (b1's plain call is a reference, not a peer)."""
    peers = [v for k, v in vals.items()
             if k != "asyncrt" and v is not None and not (fam.startswith("b1") and k == "std_thread_cv")]
    return vals["asyncrt"] / min(peers) if peers and vals["asyncrt"] else None


def table(rounds):
    """rounds: one {benchmark: ns} dict per run of the binary."""
    families = []
    for name in rounds[0]:
        fam = name.split("/")[0]
        if fam != "floor" and fam not in families:
            families.append(fam)
    head = "| family | " + " | ".join(c[1] for c in COLUMNS) + " | asyncrt / best peer |"
    lines = [head, "|---|" + "---:|" * (len(COLUMNS) + 1)]
    for fam in families:
        per_round = [family_values(rows, fam) for rows in rounds]
        cells = []
        for key, _ in COLUMNS:
            seen = [v[key] for v in per_round if v[key] is not None]
            cells.append(fmt(statistics.median(seen) if seen else None))
        ratios = [r for r in (ratio(fam, v) for v in per_round) if r is not None]
        if not ratios:
            shown = "—"
        elif len(ratios) == 1:
            shown = f"{ratios[0]:.2f}"
        else:
            shown = f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
        lines.append(f"| {fam} | " + " | ".join(cells) + f" | {shown} |")
    floor_names = [n for n in rounds[0] if n.startswith("floor/")]
    floor = []
    for n in floor_names:
        seen = sorted(r[n] for r in rounds if n in r)
        text = fmt(statistics.median(seen))
        if len(seen) > 1:
            text += f" ({fmt(seen[0])}–{fmt(seen[-1])})"
        floor.append(f"{n.split('/', 1)[1]} {text}")
    lines.append("")
    lines.append("Floor: " + "; ".join(floor) + ".")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/bin/asyncrt_bench")
    ap.add_argument("--min-time", default="0.1")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=1, help="repeat every allocator's run this many times")
    ap.add_argument("--allocators", default="glibc,mimalloc,tcmalloc",
                    help="comma-separated subset of glibc, mimalloc, tcmalloc")
    ap.add_argument("--isolation", choices=("row", "none"), default="row",
                    help="row: each benchmark in a fresh process; none: the whole binary in one")
    ap.add_argument("extra", nargs="*", help="more benchmark flags, e.g. --benchmark_filter=a1")
    args = ap.parse_args()
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    print(f"Machine: {os.cpu_count()} vCPUs, {cpu}, {platform.system()} {platform.release()}; "
          f"`{args.bin} --benchmark_min_time={args.min_time} --benchmark_repetitions={args.reps}` (median); "
          f"{args.rounds} round(s); pools have 2 workers; a1 and a3 rows run at least 0.5 s per repetition "
          f"(set in the binary: one iteration is a burst of 1M tasks); "
          f"{'each benchmark in a process of its own' if args.isolation == 'row' else 'one process per run'}.\n")
    first_labels = None
    present = []
    wanted = args.allocators.split(",")
    for title, preload in PRELOADS:
        if title.split()[0] not in wanted:
            continue
        if preload and not os.path.exists(preload):
            print(f"({title}: {preload} not installed, skipped)\n")
            continue
        present.append((title, preload))
    results = {title: [] for title, _ in present}
    for _ in range(args.rounds):
        for title, preload in present:
            runner = run_isolated if args.isolation == "row" else run
            rows, labels = runner(args.bin, args.min_time, args.reps, preload, args.extra)
            first_labels = first_labels or labels
            results[title].append(rows)
    for title, _ in present:
        print(f"### {title}\n")
        print(table(results[title]))
        print()
    if first_labels:
        print("What each cell runs:\n")
        for name, label in first_labels.items():
            if label and not name.startswith("floor/"):
                print(f"- `{name}`: {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
