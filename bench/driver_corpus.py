#!/usr/bin/env python3
"""The driver on a real-world corpus: cold, warm (the result cache), and after
editing one header, in one process and with -j 2, against the summed time of
`clang++-19 -fsyntax-only` on the same files. Prints the table for
docs/benchmarks.md.

The corpus is the C++20 coroutine examples Debian ships: Boost.Asio and
Boost.Beast (libboost1.81-doc, compiled against libboost1.81-dev's headers),
standalone asio (libasio-doc, against libasio-dev) and QCoro (qcoro-doc,
against qcoro-qt6-dev and qt6-base-dev's headers). libboost1.81-dev conflicts
with Debian's default Boost headers, so every .deb the corpus needs is fetched
with `apt-get download` and unpacked with `dpkg-deb -x` into the work
directory; nothing is installed. The unpacked headers are passed with
-isystem, as installed ones would be found. Files that do not compile with
clang++-19 are left out (and counted).

  python3 bench/driver_corpus.py [--build build] [--work /tmp/corotidy-corpus]
                                 [--limit N] [--prepare-only | --findings]

--prepare-only stops after building the corpus and prints its files per tree;
--findings also runs corotidy once over it (-j 2, no cache, not timed) and
prints what it found per check. Neither prints times.
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
# QCoro for Qt 6 and Qt 5 both compile all eight of qcoro-doc's examples with
# clang++-19; Qt 6 is the current one.
PACKAGES = ['libboost1.81-doc', 'libboost1.81-dev', 'libasio-doc', 'qcoro-doc',
            'qcoro-qt6-dev', 'qt6-base-dev']
# An example uses std::list without including <list> (older libstdc++ pulled
# it in): the one flag it needs to compile, rather than lose the largest file.
FILE_FLAGS = {'advanced_server_flex_awaitable.cpp': ['-include', 'list']}
QT_MODULES = ['QtCore', 'QtGui', 'QtWidgets', 'QtNetwork', 'QtDBus', 'QtConcurrent']
CLANGXX = 'clang++-19'
ASIO_FLAGS = ['-DASIO_HAS_CO_AWAIT=1', '-DASIO_HAS_STD_COROUTINE=1']


def unpack(work):
    """The packages' files under work/root: each .deb fetched once and
    unpacked once (a work directory from an older corpus gains the new ones)."""
    root = os.path.join(work, 'root')
    debs = os.path.join(work, 'debs')
    os.makedirs(debs, exist_ok=True)
    missing = [p for p in PACKAGES if not glob.glob(os.path.join(debs, p + '_*.deb'))]
    if missing:
        got = subprocess.run(['apt-get', 'download'] + missing, cwd=debs)
        if got.returncode != 0:
            sys.exit('driver_corpus: could not `apt-get download %s`; the corpus '
                     'needs them (a benchmark, not a test: nothing else needs them)'
                     % ' '.join(missing))
    for deb in sorted(glob.glob(os.path.join(debs, '*.deb'))):
        stamp = os.path.join(work, 'unpacked', os.path.basename(deb))
        if os.path.exists(stamp):
            continue
        subprocess.run(['dpkg-deb', '-x', deb, root], check=True)
        os.makedirs(os.path.dirname(stamp), exist_ok=True)
        open(stamp, 'w').close()
    return root


def qcoro_flags(root, src):
    """QCoro's examples against the unpacked Qt 6 and QCoro headers. They
    include the moc output of their own Q_OBJECT classes ("main.moc"): moc
    only defines the functions Q_OBJECT declares, which a parse does not
    need, so empty stand-ins do. network/main.cpp includes QCoro's source
    layout (qcoro/network/...): a one-line header forwards to the installed
    one."""
    include = os.path.join(root, 'usr', 'include')
    qt = os.path.join(include, 'x86_64-linux-gnu', 'qt6')
    qcoro = os.path.join(include, 'qcoro6')
    stubs = os.path.join(src, 'qcoro-stubs')
    for name in ('main.moc', 'await-async-string.moc'):
        os.makedirs(stubs, exist_ok=True)
        open(os.path.join(stubs, name), 'w').close()
    forward = os.path.join(stubs, 'qcoro', 'network', 'qcoronetworkreply.h')
    os.makedirs(os.path.dirname(forward), exist_ok=True)
    with open(forward, 'w') as f:
        f.write('#include <qcoro/qcoronetworkreply.h>\n')
    dirs = [qt] + [os.path.join(qt, m) for m in QT_MODULES]
    dirs += [qcoro, os.path.join(qcoro, 'qcoro'), os.path.join(qcoro, 'QCoro')]
    # Qt 6 is built with -reduce-relocations: its headers insist on -fPIC.
    return ['-fPIC', '-I' + stubs] + ['-isystem' + d for d in dirs]


def trees(root, src):
    """(name, directory under usr/share/doc, flags) of each part of the corpus."""
    # Beast's examples include example/common/*.hpp from Beast's root.
    boost = ['-isystem' + os.path.join(root, 'usr', 'include'),
             '-I' + os.path.join(src, 'libboost1.81-doc', 'examples', 'libs', 'beast')]
    return [('boost', 'libboost1.81-doc/examples', boost),
            ('asio', 'libasio-dev/examples', ASIO_FLAGS),
            ('qcoro', 'qcoro-doc/examples', qcoro_flags(root, src))]


def sources(root, src):
    """(tree, file, flags) for every example with a co_await, copied under src
    with the headers beside it (QCoro's D-Bus example includes one)."""
    found = []
    for tree, subdir, flags in trees(root, src):
        base = os.path.join(root, 'usr', 'share', 'doc', subdir)
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                plain = name[:-3] if name.endswith('.gz') else name
                if not plain.endswith(('.cpp', '.h', '.hpp')):
                    continue
                path = os.path.join(dirpath, name)
                opener = gzip.open if name.endswith('.gz') else open
                with opener(path, 'rt', errors='replace') as f:
                    text = f.read()
                rel = os.path.relpath(os.path.join(dirpath, plain),
                                      os.path.join(root, 'usr', 'share', 'doc'))
                out = os.path.join(src, rel)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, 'w') as f:
                    f.write(text)
                if plain.endswith('.cpp') and 'co_await' in text:
                    # QCoro's CMake adds an example's parent directory.
                    extra = ['-I' + os.path.dirname(os.path.dirname(out))] if tree == 'qcoro' else []
                    extra += FILE_FLAGS.get(plain, [])
                    found.append((tree, out, flags + extra))
    return found


def timed(cmd, cwd=None, ok=(0,)):
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    return elapsed, result


def prepare(root, src, limit):
    """The files clang++-19 compiles, the summed -fsyntax-only time, and
    {tree: [candidates, compiled]}; writes src/compile_commands.json."""
    shutil.rmtree(src, ignore_errors=True)
    files, syntax_only, per_tree = [], 0.0, {}
    for tree, path, flags in sources(root, src):
        counts = per_tree.setdefault(tree, [0, 0])
        if limit and len(files) == limit:
            continue
        counts[0] += 1
        cmd = [CLANGXX, '-std=c++20', '-fsyntax-only'] + flags + [path]
        elapsed, result = timed(cmd)
        if result.returncode != 0:
            continue
        counts[1] += 1
        files.append((tree, path, flags))
        syntax_only += elapsed
    if not files:
        sys.exit('driver_corpus: no example compiled')
    db = [{'directory': src, 'file': p,
           'arguments': [CLANGXX, '-std=c++20'] + f + ['-c', p]} for _, p, f in files]
    with open(os.path.join(src, 'compile_commands.json'), 'w') as f:
        json.dump(db, f, indent=1)
    return files, syntax_only, per_tree


def print_trees(per_tree):
    for tree, (tried, compiled) in per_tree.items():
        print('%-6s %3d files with co_await, %3d compile with %s'
              % (tree, tried, compiled, CLANGXX))


def findings(corotidy, src, files):
    """One untimed corotidy run over the corpus: what it found per check, per
    tree, and the files that did not parse."""
    result = subprocess.run([corotidy, '-p', src, '-j', '2', '--no-cache', '--quiet',
                             '--format=json'], cwd=src, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1, 3):
        sys.exit('driver_corpus: corotidy failed (%d): %s'
                 % (result.returncode, result.stderr[-2000:]))
    report = json.loads(result.stdout)['findings']
    tree_of = {os.path.relpath(p, src): t for t, p, _ in files}
    per_check = {}
    for f in report:
        rel = os.path.relpath(os.path.join(src, f['location']['file']), src)
        tree = tree_of.get(rel, 'headers')
        per_check.setdefault(f['check'], {}).setdefault(tree, 0)
        per_check[f['check']][tree] += 1
    print('corotidy over %d files: exit %d, %d findings'
          % (len(files), result.returncode, len(report)))
    for check in sorted(per_check):
        trees = per_check[check]
        print('  %-32s %4d  (%s)' % (check, sum(trees.values()),
                                     ', '.join('%s %d' % kv for kv in sorted(trees.items()))))
    incomplete = [l for l in result.stderr.splitlines()
                  if 'did not parse' in l or 'crashed while' in l]
    print('files that did not parse or crashed the analysis: %d' % len(incomplete))
    for line in incomplete:
        print('  ' + line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--work', default='/tmp/corotidy-corpus')
    ap.add_argument('--limit', type=int, default=0, help='use the first N files')
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument('--prepare-only', action='store_true',
                      help='build the corpus, print its files per tree, stop')
    mode.add_argument('--findings', action='store_true',
                      help='also run corotidy once (untimed), print its findings per check')
    args = ap.parse_args()
    corotidy = os.path.join(args.build, 'bin', 'corotidy')
    if not args.prepare_only and not os.access(corotidy, os.X_OK):
        sys.exit('driver_corpus: no %s (build the corotidy target)' % corotidy)
    root = unpack(args.work)
    src = os.path.join(args.work, 'src')
    files, syntax_only, per_tree = prepare(root, src, args.limit)
    if args.prepare_only or args.findings:
        print_trees(per_tree)
        if args.findings:
            findings(corotidy, src, files)
        return

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
    left_out = sum(tried - compiled for tried, compiled in per_tree.values())
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
