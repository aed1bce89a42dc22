#!/usr/bin/env python3
"""Compares asyncrt_bench binaries (say, before and after a change) run by run.

    cp build/bin/asyncrt_bench /tmp/before   # ... change, rebuild ...
    python3 bench/runtime_ab.py --filter '^d_offload|floor/spin' --rounds 6 /tmp/before build/bin/asyncrt_bench

Each round runs every binary once, one after the other, so the binaries take turns
through whatever state the machine is in; each run prints its rows (ns per op), and the
end prints each binary's median per row. Read the runs in pairs: on these VMs a spell of
far-apart vCPUs (the floor's spin round trip at ~400 ns instead of ~100) moves every row
of both binaries. LD_PRELOAD in the environment (an allocator) applies to every run.

--hog N keeps N busy-looping processes running throughout, for an oversubscribed machine
(a noisy neighbour, or more runnable threads than cores): with --hog 1 on 2 vCPUs a pool
row's loop and two workers share what the hog leaves them.
"""
import argparse
import contextlib
import re
import statistics
import subprocess
import sys

UNITS = {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6}
ROW = re.compile(r"(\S+?)(?:/min_time:[0-9.]+)?/real_time\s.*ns_per_op=([0-9.]+)(ns|us|µs|ms)")


def run(binary, filt, min_time):
    out = subprocess.run([binary, f"--benchmark_filter={filt}", f"--benchmark_min_time={min_time}"],
                         capture_output=True, text=True, check=True).stdout
    return {m.group(1): float(m.group(2)) * UNITS[m.group(3)] for m in map(ROW.match, out.splitlines()) if m}


@contextlib.contextmanager
def hogs(n):
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--filter", required=True, help="--benchmark_filter for every run")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--min-time", default="0.2")
    ap.add_argument("--hog", type=int, default=0, metavar="N", help="busy-looping processes running alongside")
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args()
    seen = {b: {} for b in args.binaries}
    with hogs(args.hog):
        for _ in range(args.rounds):
            for b in args.binaries:
                rows = run(b, args.filter, args.min_time)
                for name, ns in rows.items():
                    seen[b].setdefault(name, []).append(ns)
                print(f"{b}: " + "  ".join(f"{name}={ns:.1f}" for name, ns in rows.items()), flush=True)
    print()
    for b in args.binaries:
        print(f"median {b}: " + "  ".join(f"{name}={statistics.median(v):.1f}" for name, v in seen[b].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
