#!/usr/bin/env python3
"""Instructions and simulated cache misses per when_all child, per awaited frame, per
fork-join task and per uncontended semaphore acquire+release,
counted by callgrind, for asyncrt and (when built with -DASYNCRT_BENCH_TMC_DIR) for
TooManyCooks side by side.

    python3 bench/runtime_callgrind.py [--bin build/bin] [--allocator glibc|mimalloc]

Each figure is the difference of two runs that differ only in the amount of work (200,000
against 400,000 when_all children; fib(20) against fib(22) on one worker), so start-up,
warm-up and the pool's idle spinning before the first task cancel out. The counts are the
same run after run, whatever else the machine is doing, which the timed table in
docs/benchmarks.md cannot be on a shared 2-vCPU machine. "L1 miss" and "LL miss" are
valgrind's cache simulation (data reads and writes that miss the first level, and the
last level): where a change moves memory traffic rather than instructions, they show it.
With --allocator mimalloc both probes run with Debian's mimalloc preloaded: TooManyCooks
takes every frame from malloc, asyncrt only what its frame cache does not hold.
"""
import argparse
import os
import subprocess
import sys
import tempfile

EVENTS = ("Ir", "D1mr", "D1mw", "DLmr", "DLmw")
# The simulated last level is one core's share (1 MiB, an L2), not the whole L3: it is
# what a when_all over many live children outgrows.
LL_BYTES = 1 << 20
ALLOCATORS = {"glibc": None, "mimalloc": "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2"}
PRELOAD = None  # set from --allocator


def counts(probe, *args):
    """The run's totals for EVENTS."""
    with tempfile.NamedTemporaryFile() as out:
        env = dict(os.environ, LD_PRELOAD=PRELOAD) if PRELOAD else None
        subprocess.run(["valgrind", "--tool=callgrind", "--cache-sim=yes", f"--LL={LL_BYTES},16,64", f"--callgrind-out-file={out.name}",
                        probe, *map(str, args)], check=True, capture_output=True, env=env)
        events, totals = None, None
        for line in open(out.name):
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith("totals:") or line.startswith("summary:"):
                totals = [int(v) for v in line.split()[1:]]
        if not events or not totals:
            raise RuntimeError("no totals in callgrind's output")
        got = dict(zip(events, totals))
        return {e: got.get(e, 0) for e in EVENTS}


def fib_calls(n):
    a, b = 0, 1
    for _ in range(n + 1):
        a, b = b, a + b
    return 2 * a - 1


def delta(small, large, units):
    """Per unit of work: instructions, L1 misses, last-level misses."""
    d = {e: (large[e] - small[e]) / units for e in EVENTS}
    return d["Ir"], d["D1mr"] + d["D1mw"], d["DLmr"] + d["DLmw"]


def rows(probe):
    out = {}
    for n in (10, 1000, 100000):
        out[f"when_all of {n}, per child"] = delta(counts(probe, "when_all", n, 200000),
                                                   counts(probe, "when_all", n, 400000), 200000)
    out["await chain fib, 1 thread, per frame"] = delta(counts(probe, "chain", 20, 0),
                                                       counts(probe, "chain", 22, 0),
                                                       fib_calls(22) - fib_calls(20))
    out["fork-join fib, 1 worker, per task"] = delta(counts(probe, "fork_join", 20, 1),
                                                     counts(probe, "fork_join", 22, 1),
                                                     fib_calls(22) - fib_calls(20))
    out["semaphore acquire+release, 1 thread, per pair"] = delta(counts(probe, "semaphore", 200000, 0),
                                                                 counts(probe, "semaphore", 400000, 0), 200000)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/bin")
    ap.add_argument("--allocator", choices=sorted(ALLOCATORS), default="glibc")
    args = ap.parse_args()
    global PRELOAD
    PRELOAD = ALLOCATORS[args.allocator]
    if PRELOAD and not os.path.exists(PRELOAD):
        print(f"runtime_callgrind.py: {PRELOAD} is missing (Debian package libmimalloc2.0)", file=sys.stderr)
        return 2
    probes = [("asyncrt", os.path.join(args.bin, "asyncrt_callgrind_probe"))]
    tmc = os.path.join(args.bin, "asyncrt_callgrind_probe_tmc")
    if os.path.exists(tmc):
        probes.append(("TooManyCooks", tmc))
    results = [(name, rows(p)) for name, p in probes]
    head = "| what | " + " | ".join(f"{n}: instr | L1 miss | LL miss" for n, _ in results) + " |"
    print(head)
    print("|---|" + "---:|" * (3 * len(results)))
    for what in results[0][1]:
        cells = []
        for _, r in results:
            ir, l1, ll = r[what]
            # Differences of two runs: a count that does not grow with the work can come
            # out a hair below zero.
            cells += [f"{ir:.0f}", f"{max(l1, 0.0):.1f}", f"{max(ll, 0.0):.2f}"]
        print(f"| {what} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
