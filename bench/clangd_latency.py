#!/usr/bin/env python3
"""Time to the first publishDiagnostics: corotidy-clangd against stock clangd.

For each file, both servers are started fresh ROUNDS times, interleaved
(stock, corotidy, stock, ...), and the client measures the seconds from
didOpen to the first publishDiagnostics of that version (preamble + AST +
clang-tidy), then from a didChange (a comment appended: the preamble is
reused, so this is the per-keystroke rebuild) to the next one. The table
shows medians and corotidy/stock ratios.

  python3 bench/clangd_latency.py [--rounds 5] [--build build] [--stock clangd-19]

Files: examples/*.cpp, and three of the largest Boost.Asio/Beast C++20 example
programs when Debian's libboost1.81-doc and libboost1.81-dev are installed
(`COROTIDY_BENCH_DEPS=1 bash tools/deps.sh` installs them); without them the
table says so and covers the examples only.
"""
import argparse
import glob
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'test', 'tools'))
import lsp_client  # noqa: E402

BOOST_DOC = '/usr/share/doc/libboost1.81-doc/examples'
# The largest C++20-coroutine examples that build without OpenSSL (the
# larger advanced_server_flex_awaitable.cpp needs it).
BOOST_CANDIDATES = [
    'libs/beast/example/http/server/awaitable/http_server_awaitable.cpp',
    'libs/beast/example/websocket/server/awaitable/websocket_server_awaitable.cpp',
    'libs/beast/example/websocket/client/awaitable/websocket_client_awaitable.cpp',
]


def boost_files():
    if not os.path.isdir(BOOST_DOC) or not os.path.isdir('/usr/include/boost/asio'):
        return [], ('Boost.Asio/Beast examples skipped: install libboost1.81-doc and '
                    'libboost1.81-dev (COROTIDY_BENCH_DEPS=1 bash tools/deps.sh)')
    found = []
    for rel in BOOST_CANDIDATES:
        for path in [os.path.join(BOOST_DOC, rel), os.path.join(BOOST_DOC, rel) + '.gz']:
            if os.path.exists(path):
                found.append(path)
                break
    found.sort(key=os.path.getsize, reverse=True)
    return found[:3], None


def prepare(source, workdir, flags):
    """A copy of source (gunzipped if need be) beside a compile_flags.txt."""
    name = os.path.basename(source)
    target = os.path.join(workdir, name[:-3] if name.endswith('.gz') else name)
    if source.endswith('.gz'):
        import gzip
        with gzip.open(source, 'rb') as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst)
    else:
        shutil.copy(source, target)
    with open(os.path.join(workdir, 'compile_flags.txt'), 'w') as out:
        out.write('\n'.join(flags) + '\n')
    return target


def measure(server, path, home):
    os.environ['HOME'] = home
    os.environ['XDG_CONFIG_HOME'] = os.path.join(home, '.config')
    client = lsp_client.start([server, '--background-index=false'], os.path.dirname(path))
    text = open(path).read()
    began = time.monotonic()
    lsp_client.open_file(client, path, text)
    lsp_client.diagnostics_of(client, path, 1)
    opened = time.monotonic() - began
    began = time.monotonic()
    client.notify('textDocument/didChange', {
        'textDocument': {'uri': lsp_client.uri_of(path), 'version': 2},
        'contentChanges': [{'text': text + '\n// edited\n'}]})
    lsp_client.diagnostics_of(client, path, 2)
    changed = time.monotonic() - began
    client.stop()
    return opened, changed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--build', default=os.path.join(ROOT, 'build'))
    parser.add_argument('--stock', default='clangd-19')
    args = parser.parse_args()
    corotidy = os.path.join(args.build, 'bin', 'corotidy-clangd')
    stock = shutil.which(args.stock)
    if not stock or not os.path.exists(corotidy):
        sys.exit('need %s and %s' % (args.stock, corotidy))
    asyncrt = ['-std=c++20', '-I' + os.path.join(ROOT, 'lib', 'runtime', 'include')]
    boost = ['-std=c++20', '-DBOOST_ASIO_HAS_CO_AWAIT=1', '-DBOOST_ASIO_HAS_STD_COROUTINE=1']
    files = [(f, asyncrt) for f in sorted(glob.glob(os.path.join(ROOT, 'examples', '*.cpp')))]
    extra, note = boost_files()
    files += [(f, boost) for f in extra]

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        home = os.path.join(scratch, 'home')
        os.makedirs(home)
        for number, (source, flags) in enumerate(files):
            workdir = os.path.join(scratch, str(number))
            os.makedirs(workdir)
            path = prepare(source, workdir, flags)
            times = {stock: [], corotidy: []}
            for _ in range(args.rounds):
                for server in (stock, corotidy):
                    times[server].append(measure(server, path, home))
            med = {s: (statistics.median(t[0] for t in v), statistics.median(t[1] for t in v))
                   for s, v in times.items()}
            rows.append((os.path.basename(path), med[stock], med[corotidy]))
            print('measured %s' % os.path.basename(path), file=sys.stderr)

    print('| file | didOpen stock | didOpen corotidy | ratio | didChange stock | '
          'didChange corotidy | ratio |')
    print('|---|---|---|---|---|---|---|')
    for name, s, c in rows:
        print('| %s | %.3f s | %.3f s | %.2f | %.3f s | %.3f s | %.2f |' % (
            name, s[0], c[0], c[0] / s[0], s[1], c[1], c[1] / s[1]))
    if note:
        print('\n' + note)


if __name__ == '__main__':
    main()
