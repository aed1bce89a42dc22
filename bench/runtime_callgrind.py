#!/usr/bin/env python3
"""Instructions per when_all child and per fork-join task, counted by callgrind.

    python3 bench/runtime_callgrind.py [--probe build/bin/asyncrt_callgrind_probe]

Each figure is the difference of two runs that differ only in the amount of work (200,000
against 400,000 when_all children; fib(20) against fib(22) on one worker), so start-up,
warm-up and the pool's idle spinning before the first task cancel out. The counts are the
same run after run, whatever else the machine is doing; they leave out what memory costs
(cache misses), which the timed table in docs/benchmarks.md shows.
"""
import argparse
import re
import subprocess
import sys
import tempfile


def instructions(probe, *args):
    with tempfile.NamedTemporaryFile() as out:
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out.name}", probe, *map(str, args)],
                       check=True, capture_output=True)
        for line in open(out.name):
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("no totals in callgrind's output")


def fib_calls(n):
    a, b = 0, 1
    for _ in range(n + 1):
        a, b = b, a + b
    return 2 * a - 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", default="build/bin/asyncrt_callgrind_probe")
    args = ap.parse_args()
    print("| what | instructions |")
    print("|---|---:|")
    for n in (10, 1000, 100000):
        d = instructions(args.probe, "when_all", n, 400000) - instructions(args.probe, "when_all", n, 200000)
        print(f"| when_all of {n}, per child | {d / 200000:.0f} |")
    d = instructions(args.probe, "fork_join", 22, 1) - instructions(args.probe, "fork_join", 20, 1)
    print(f"| fork-join fib, 1 worker, per task | {d / (fib_calls(22) - fib_calls(20)):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
