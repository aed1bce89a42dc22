#!/usr/bin/env python3
"""Compares what `corotidy --infer-rules` derives for one framework with the
entry rules/frameworks.yaml has for it.

  compare_inferred.py <inferred.yaml> <frameworks.yaml> <blocking.yaml> <framework>

Compares the parts inference covers: task types and their laziness,
combinators, bounded combinators, limiters, spawns (name, handler argument, scoped),
scopes, ordering primitives, and the framework's sync-wait blocking entries.
Entries that only a person can know are listed in NOT_INFERABLE with the
reason; anything else missing or extra fails the test with a diff.
"""
import sys
import yaml

# What the rules say that no shape reveals.
NOT_INFERABLE = {
    # when_all(t...)'s awaitable is no task (no promise_type); the rules call
    # it one so that discarding it is an unawaited task.
    ('TaskTypes', 'asyncrt::when_all_awaitable'),
}


def section(entry, key):
    return entry.get(key) or []


def normalise(framework, blocking, name):
    out = set()
    for t in section(framework, 'TaskTypes'):
        out.add(('TaskTypes', t['Name'], t.get('Laziness', 'unknown')))
    for key in ('Combinators', 'BoundedCombinators', 'Scopes', 'OrderingPrimitives',
                'Limiters'):
        for n in section(framework, key):
            out.add((key, n))
    for s in section(framework, 'SpawnFunctions'):
        out.add(('SpawnFunctions', s['Name'], s.get('HandlerArg'), bool(s.get('Scoped', False))))
    for b in blocking:
        if b.get('Category') == 'sync-wait' and b['Name'].lstrip(':').startswith(name + '::'):
            out.add(('SyncWait', b['Name'].lstrip(':')))
    return {e for e in out if e[:2] not in NOT_INFERABLE}


def main():
    inferred_path, frameworks_path, blocking_path, name = sys.argv[1:5]
    inferred = yaml.safe_load(open(inferred_path))['Rules']
    rules = yaml.safe_load(open(frameworks_path))
    blocking = yaml.safe_load(open(blocking_path))['BlockingFunctions']
    want_fw = next(f for f in rules['Frameworks'] if f['Name'] == name)
    got_fw = next((f for f in inferred.get('Frameworks', []) if f['Name'] == name), {})
    want = normalise(want_fw, blocking, name)
    got = normalise(got_fw, inferred.get('BlockingFunctions', []), name)
    missing, extra = sorted(want - got, key=str), sorted(got - want, key=str)
    for e in missing:
        print('missing:', e)
    for e in extra:
        print('extra:  ', e)
    if missing or extra:
        sys.exit(1)
    print('inferred rules match rules/frameworks.yaml for', name, '(%d entries)' % len(want))


if __name__ == '__main__':
    main()
