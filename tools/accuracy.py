#!/usr/bin/env python3
"""Scores corotidy's precision and recall per check on the labelled corpus.

  tools/accuracy.py [--corotidy PATH] [--corpus DIR] [--floors FILE] [-j N]
                    [--details]

The corpus (test/accuracy/corpus/*.cpp) is service code written against
asyncrt, asio and two home-made frameworks the rules do not name (nimbus in
test/accuracy/include; acme in test/checks/Inputs, shared with the lit
tests). Every expected finding carries a label on the line the check
reports at:

    auto orders = co_await fetch_orders(id);   // expect: async-sequential-await
    sqlite3_open(path, &db);  // expect: async-per-call-connection, async-blocking-call

Every other line is a negative. corotidy runs with no configuration (the
default check set, no config file) and each finding is matched against the
labels of its file and line: a labelled finding is a true positive, an
unlabelled one a false positive, a label without a finding a false negative.

Prints one row per check (expected, found, TP, FP, FN, precision, recall);
--details lists the false positives and negatives. With --floors, exits 1
if a check scores below its floor (floors of checks that are not registered
in this build, per `corotidy --list-checks`, are skipped unless the floor
says "required": true), 2 on a usage or parse error.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABEL = re.compile(r'//\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)')
CHECKS = [
    'async-sequential-await', 'async-blocking-call', 'async-unawaited-task',
    'async-dropped-exception', 'async-unbounded-fanout',
    'async-lock-across-await', 'async-per-call-connection',
]
ASIO_FLAGS = ['-DASIO_HAS_CO_AWAIT=1', '-DASIO_HAS_STD_COROUTINE=1']
SHARED_FRAMEWORKS = os.path.join(ROOT, 'test', 'checks', 'Inputs')


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--corotidy', default=os.path.join(ROOT, 'build', 'bin', 'corotidy'))
    p.add_argument('--corpus', default=os.path.join(ROOT, 'test', 'accuracy'))
    p.add_argument('--floors', help='JSON file of per-check floors to enforce')
    p.add_argument('-j', '--jobs', type=int, default=2)
    p.add_argument('--details', action='store_true',
                   help='list every false positive and false negative')
    return p.parse_args()


def read_labels(files):
    """{(file, line): Counter(check)} and the set of unknown label names."""
    labels, unknown = {}, set()
    for path in files:
        with open(path) as f:
            for number, text in enumerate(f, 1):
                m = LABEL.search(text)
                if not m:
                    continue
                names = [n.strip() for n in m.group(1).split(',')]
                unknown.update(n for n in names if n not in CHECKS)
                labels[(path, number)] = collections.Counter(names)
    return labels, unknown


def registered_checks(corotidy):
    out = subprocess.run([corotidy, '--list-checks'], capture_output=True, text=True,
                         cwd=ROOT)
    if out.returncode != 0:
        sys.exit('corotidy --list-checks failed:\n' + out.stderr)
    return {m.group(1) for m in re.finditer(r'^\s+(async-[a-z0-9-]+)', out.stdout, re.M)}


def run_corotidy(corotidy, corpus, files, jobs):
    """{(file, line): Counter(check)} of what corotidy reports."""
    # The acme framework is shared with the lit tests (test/checks/Inputs).
    flags = ['-std=c++20', '-I' + os.path.join(ROOT, 'lib', 'runtime', 'include'),
             '-I' + os.path.join(corpus, 'include'), '-I' + SHARED_FRAMEWORKS] + ASIO_FLAGS
    cmd = [corotidy, '--quiet', '--format=json', '-j', str(jobs)] + files + ['--'] + flags
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode not in (0, 1):
        sys.stderr.write(' '.join(cmd) + '\n' + out.stderr)
        sys.exit(2)
    found = collections.defaultdict(collections.Counter)
    for finding in json.loads(out.stdout)['findings']:
        where = finding['location']
        path = os.path.normpath(os.path.join(ROOT, where['file']))
        found[(path, where['line'])][finding['check']] += 1
    return found


def score(labels, found):
    """Per check: TP, FP, FN counts and the places of the FPs and FNs."""
    rows = {c: {'tp': 0, 'fp': [], 'fn': []} for c in CHECKS}
    for place in set(labels) | set(found):
        want = labels.get(place, collections.Counter())
        got = found.get(place, collections.Counter())
        for check in set(want) | set(got):
            row = rows.setdefault(check, {'tp': 0, 'fp': [], 'fn': []})
            hit = min(want[check], got[check])
            row['tp'] += hit
            row['fp'] += [place] * (got[check] - hit)
            row['fn'] += [place] * (want[check] - hit)
    return rows


def ratio(num, den):
    return num / den if den else None


def fmt(value):
    return '   -' if value is None else '%.2f' % value


def print_table(rows, registered):
    print('%-26s %8s %6s %4s %4s %4s %9s %7s' %
          ('check', 'expected', 'found', 'TP', 'FP', 'FN', 'precision', 'recall'))
    for check in sorted(rows, key=lambda c: CHECKS.index(c) if c in CHECKS else 99):
        r = rows[check]
        tp, fp, fn = r['tp'], len(r['fp']), len(r['fn'])
        note = '' if check in registered else '  (not registered in this build)'
        print('%-26s %8d %6d %4d %4d %4d %9s %7s%s' %
              (check, tp + fn, tp + fp, tp, fp, fn, fmt(ratio(tp, tp + fp)),
               fmt(ratio(tp, tp + fn)), note))


def print_details(rows):
    for check, r in sorted(rows.items()):
        for kind in ('fp', 'fn'):
            for path, line in sorted(r[kind]):
                print('%s %s:%d: %s' % (kind.upper(), os.path.relpath(path, ROOT), line, check))


def check_floors(rows, registered, floors_path):
    with open(floors_path) as f:
        floors = json.load(f)
    failed = False
    for check, floor in sorted(floors.items()):
        if check not in registered:
            if floor.get('required', False):
                print('FLOOR %s: not registered' % check)
                failed = True
            else:
                print('floor %s: skipped (check not registered)' % check)
            continue
        r = rows[check]
        tp, fp, fn = r['tp'], len(r['fp']), len(r['fn'])
        precision = ratio(tp, tp + fp) or 0.0
        recall = ratio(tp, tp + fn) or 0.0
        for name, value in (('precision', precision), ('recall', recall)):
            if value + 1e-9 < floor[name]:
                print('FLOOR %s: %s %.2f below %.2f' % (check, name, value, floor[name]))
                failed = True
    return failed


def main():
    args = parse_args()
    corpus_dir = os.path.join(args.corpus, 'corpus')
    files = sorted(os.path.join(corpus_dir, f) for f in os.listdir(corpus_dir)
                   if f.endswith('.cpp'))
    labels, unknown = read_labels(files)
    if unknown:
        sys.exit('unknown check names in labels: ' + ', '.join(sorted(unknown)))
    registered = registered_checks(args.corotidy)
    found = run_corotidy(args.corotidy, args.corpus, files, args.jobs)
    rows = score(labels, found)
    print('%d files, %d labelled findings' %
          (len(files), sum(sum(c.values()) for c in labels.values())))
    print_table(rows, registered)
    if args.details:
        print_details(rows)
    if args.floors and check_floors(rows, registered, args.floors):
        sys.exit(1)


if __name__ == '__main__':
    main()
