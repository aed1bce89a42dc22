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


def generate(functions):
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
                f'    int a = co_await fetch_{i}(id);',
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
        src = os.path.join(tmp, 'coroutines.cpp')
        with open(src, 'w') as f:
            f.write(generate(args.functions))
        lines = sum(1 for _ in open(src))
        corotidy = [os.path.join(args.build, 'bin', 'corotidy'), '--quiet', src, '--'] + flags
        parse = [args.clangxx, '-fsyntax-only'] + flags + [src]
        timed(parse), timed(corotidy)  # warm the page cache
        t_parse, t_tool = [], []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            t_parse.append(timed(parse))
            t_tool.append(timed(corotidy))
    p, c = statistics.median(t_parse), statistics.median(t_tool)
    print(f'generated TU: {lines} lines ({args.functions} coroutines + combinators), '
          f'{args.runs} interleaved runs, median')
    print(f'{"command":<34} {"median s":>9} {"min s":>7} {"max s":>7}')
    print(f'{"clang++ -fsyntax-only":<34} {p:9.3f} {min(t_parse):7.3f} {max(t_parse):7.3f}')
    print(f'{"corotidy (all async-* checks)":<34} {c:9.3f} {min(t_tool):7.3f} {max(t_tool):7.3f}')
    print(f'ratio corotidy / parse: {c / p:.2f}  (analysis adds {100 * (c / p - 1):+.0f} %)')


if __name__ == '__main__':
    main()
