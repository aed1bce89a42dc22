#!/usr/bin/env python3
"""The driver on a real-world corpus: cold, warm (the result cache), and after
editing one header, in one process and with -j 2, against the summed time of
`clang++-19 -fsyntax-only` on the same files. Prints the table for
docs/benchmarks.md.

The corpus is the C++20 coroutine examples Debian ships: Boost.Asio and
Boost.Beast (libboost1.81-doc, compiled against libboost1.81-dev's headers),
standalone asio (libasio-doc, against libasio-dev) and QCoro (qcoro-doc, only
when Qt and QCoro headers are installed). libboost1.81-dev conflicts with
Debian's default Boost headers, so the .debs are fetched with
`apt-get download` and unpacked with `dpkg-deb -x` into the work directory;
nothing is installed. Files that do not compile with clang++-19 are left out
(and counted).

  python3 bench/driver_corpus.py [--build build] [--work /tmp/corotidy-corpus]
                                 [--limit N]
"""
import argparse
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ['libboost1.81-doc', 'libboost1.81-dev', 'libasio-doc', 'qcoro-doc']
CLANGXX = 'clang++-19'
ASIO_FLAGS = ['-DASIO_HAS_CO_AWAIT=1', '-DASIO_HAS_STD_COROUTINE=1']


def unpack(work):
    """The packages' files under work/root, fetched if needed."""
    root = os.path.join(work, 'root')
    if os.path.isdir(os.path.join(root, 'usr')):
        return root
    debs = os.path.join(work, 'debs')
    os.makedirs(debs, exist_ok=True)
    if not glob.glob(os.path.join(debs, '*.deb')):
        got = subprocess.run(['apt-get', 'download'] + PACKAGES, cwd=debs)
        if got.returncode != 0:
            sys.exit('driver_corpus: could not `apt-get download %s`; the corpus '
                     'needs them (a benchmark, not a test: nothing else needs them)'
                     % ' '.join(PACKAGES))
    for deb in glob.glob(os.path.join(debs, '*.deb')):
        subprocess.run(['dpkg-deb', '-x', deb, root], check=True)
    return root


def sources(root, src):
    """(file, flags) for every example with a co_await, copied under src."""
    boost_include = os.path.join(root, 'usr', 'include')
    found = []
    trees = [('libboost1.81-doc/examples', ['-I' + boost_include]),
             ('libasio-dev/examples', ASIO_FLAGS)]
    qt = glob.glob('/usr/include/x86_64-linux-gnu/qt*/QtCore')
    if qt and glob.glob('/usr/include/qcoro*'):
        flags = ['-fPIC'] + ['-I' + os.path.dirname(q) for q in qt] + qt
        flags += ['-I' + d for d in glob.glob('/usr/include/qcoro*')]
        trees.append(('qcoro-doc/examples', flags))
    for tree, flags in trees:
        base = os.path.join(root, 'usr', 'share', 'doc', tree)
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if not (name.endswith('.cpp') or name.endswith('.cpp.gz')):
                    continue
                path = os.path.join(dirpath, name)
                opener = gzip.open if name.endswith('.gz') else open
                with opener(path, 'rt', errors='replace') as f:
                    text = f.read()
                if 'co_await' not in text:
                    continue
                rel = os.path.relpath(path, os.path.join(root, 'usr', 'share', 'doc'))
                out = os.path.join(src, rel[:-3] if rel.endswith('.gz') else rel)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, 'w') as f:
                    f.write(text)
                found.append((out, flags))
    return found


def timed(cmd, cwd=None, ok=(0,)):
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    return elapsed, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--work', default='/tmp/corotidy-corpus')
    ap.add_argument('--limit', type=int, default=0, help='use the first N files')
    args = ap.parse_args()
    corotidy = os.path.join(args.build, 'bin', 'corotidy')
    if not os.access(corotidy, os.X_OK):
        sys.exit('driver_corpus: no %s (build the corotidy target)' % corotidy)
    root = unpack(args.work)
    src = os.path.join(args.work, 'src')
    shutil.rmtree(src, ignore_errors=True)
    candidates = sources(root, src)

    # Keep what clang++-19 compiles; sum its -fsyntax-only time on the way.
    files, syntax_only, left_out = [], 0.0, 0
    for path, flags in candidates:
        cmd = [CLANGXX, '-std=c++20', '-fsyntax-only'] + flags + [path]
        elapsed, result = timed(cmd)
        if result.returncode != 0:
            left_out += 1
            continue
        files.append((path, flags))
        syntax_only += elapsed
        if args.limit and len(files) == args.limit:
            break
    if not files:
        sys.exit('driver_corpus: no example compiled')
    db = [{'directory': src, 'file': p,
           'arguments': [CLANGXX, '-std=c++20'] + f + ['-c', p]} for p, f in files]
    with open(os.path.join(src, 'compile_commands.json'), 'w') as f:
        json.dump(db, f, indent=1)

    # The header to edit: one a part of the corpus includes.
    header = os.path.join(root, 'usr', 'include', 'boost', 'asio', 'experimental',
                          'awaitable_operators.hpp')
    original = open(header).read()

    rows = {}
    for jobs in (1, 2):
        cache = os.path.join(args.work, 'cache-j%d' % jobs)
        shutil.rmtree(cache, ignore_errors=True)
        cmd = [corotidy, '-p', src, '-j', str(jobs), '--cache-dir=' + cache]
        runs = {}
        for phase in ('cold', 'warm', 'header'):
            if phase == 'header':
                with open(header, 'a') as f:
                    f.write('\n// edited by bench/driver_corpus.py\n')
            elapsed, result = timed(cmd)
            if phase == 'header':
                with open(header, 'w') as f:
                    f.write(original)
            if result.returncode not in (0, 1, 3):
                sys.exit('driver_corpus: corotidy failed (%d): %s'
                         % (result.returncode, result.stderr[-2000:]))
            cached = re.search(r'\[(\d+) of (\d+) from the cache\]', result.stderr)
            runs[phase] = (elapsed, int(cached.group(1)) if cached else 0)
        rows[jobs] = runs

    n = len(files)
    print('corpus: %d files (%d more did not compile with %s and were left out)'
          % (n, left_out, CLANGXX))
    print('summed `%s -fsyntax-only`: %.1f s' % (CLANGXX, syntax_only))
    print()
    print('| run | 1 process | -j 2 | -j 2 / 1 process |')
    print('|---|---|---|---|')
    for phase, label in (('cold', 'cold (empty cache)'), ('warm', 'warm (nothing changed)'),
                         ('header', 'after editing one header')):
        one, two = rows[1][phase], rows[2][phase]
        print('| %s | %.1f s (%d/%d cached) | %.1f s (%d/%d cached) | %.2f |'
              % (label, one[0], one[1], n, two[0], two[1], n, two[0] / one[0]))
    print()
    cold1 = rows[1]['cold'][0]
    print('| goal | measured |')
    print('|---|---|')
    print('| warm <= 0.1 x cold | %.3f (1 process), %.3f (-j 2) |'
          % (rows[1]['warm'][0] / cold1, rows[2]['warm'][0] / rows[2]['cold'][0]))
    print('| -j 2 <= 0.55 x one process (cold) | %.2f |' % (rows[2]['cold'][0] / cold1))
    print('| one process <= 1.0 x summed clang++ -fsyntax-only | %.2f |'
          % (cold1 / syntax_only))


if __name__ == '__main__':
    main()
