#!/usr/bin/env python3
"""How much does corotidy add to a parse? Times `corotidy` against
`clang++ -fsyntax-only` on the same generated coroutine-heavy TU, interleaved
in one run (these machines are noisy), and prints a table with the ratio.

  python3 bench/analysis_overhead.py [--build build] [--functions 300] [--runs 7]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def generate(functions, findings=True):
    out = ['#include <asyncrt/task.hpp>', '#include <asyncrt/when_all.hpp>',
           '#include <asyncrt/sleep.hpp>', '#include <chrono>', '#include <string>',
           '#include <vector>', '', 'namespace svc {']
    for i in range(functions):
        out += [f'asyncrt::task<int> fetch_{i}(int id) {{',
                f'  co_await asyncrt::sleep_for(std::chrono::milliseconds(id % 3));',
                f'  co_return id + {i};', '}', '']
    for i in range(0, functions - 2, 3):
        out += [f'asyncrt::task<int> combine_{i}(std::vector<int> ids) {{',
                '  int total = 0;',
                '  for (int id : ids) {',
                # Independent iterations are an async-sequential-await finding
                # (one per combinator); dependent ones are clean code.
                (f'    int a = co_await fetch_{i}(id);' if findings else
                 f'    int a = co_await fetch_{i}(id + total);'),
                f'    total += a;',
                '  }',
                f'  auto [x, y] = co_await asyncrt::when_all(fetch_{i + 1}(total), fetch_{i + 2}(total));',
                '  std::string label = std::to_string(x) + ":" + std::to_string(y);',
                '  if (label.size() > 3)',
                f'    total += co_await fetch_{i}(static_cast<int>(label.size()));',
                '  co_return total + x + y;',
                '}', '']
    out.append('} // namespace svc')
    return '\n'.join(out) + '\n'


def timed(cmd):
    start = time.perf_counter()
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit('failed: ' + ' '.join(cmd))
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--functions', type=int, default=300)
    ap.add_argument('--runs', type=int, default=7)
    ap.add_argument('--clangxx', default='clang++-19')
    args = ap.parse_args()

    flags = ['-std=c++20', '-I' + os.path.join(ROOT, 'lib/runtime/include')]
    with tempfile.TemporaryDirectory() as tmp:
        commands = {}
        for findings in (False, True):
            src = os.path.join(tmp, 'findings.cpp' if findings else 'clean.cpp')
            with open(src, 'w') as f:
                f.write(generate(args.functions, findings))
            commands[findings] = (
                [args.clangxx, '-fsyntax-only'] + flags + [src],
                [os.path.join(args.build, 'bin', 'corotidy'), '--quiet', '--no-cache', src, '--'] + flags)
        lines = sum(1 for _ in open(src))
        for parse, tool in commands.values():
            timed(parse), timed(tool)  # warm the page cache
        times = {key: ([], []) for key in commands}
        for _ in range(args.runs):  # interleaved, so drift hits all alike
            for key, (parse, tool) in commands.items():
                times[key][0].append(timed(parse))
                times[key][1].append(timed(tool))
    print(f'generated TU: {lines} lines ({args.functions} coroutines + combinators), '
          f'{args.runs} interleaved runs, median seconds')
    print(f'| TU | clang++ -fsyntax-only | corotidy (all async-* checks) | ratio |')
    print(f'|---|---:|---:|---:|')
    for findings, (t_parse, t_tool) in times.items():
        p, c = statistics.median(t_parse), statistics.median(t_tool)
        name = f'{args.functions // 3} findings' if findings else 'no findings'
        print(f'| {name} | {p:.3f} | {c:.3f} | {c / p:.2f} ({100 * (c / p - 1):+.0f} %) |')


if __name__ == '__main__':
    main()
