"""For each N given, reads DIR/cover-K-of-N.json (K=1..N) and says whether
every file with a finding is in exactly one shard."""
import json
import os
import sys

directory = sys.argv[1]
for n in map(int, sys.argv[2:]):
    seen = {}
    for k in range(1, n + 1):
        with open(os.path.join(directory, 'cover-%d-of-%d.json' % (k, n))) as f:
            files = {x['location']['file'] for x in json.load(f)['findings']}
        for name in files:
            seen.setdefault(name, []).append(k)
    twice = sorted(name for name, shards in seen.items() if len(shards) > 1)
    if twice:
        print('N=%d: in more than one shard: %s' % (n, ', '.join(twice)))
    else:
        print('N=%d: %d files, each in one shard' % (n, len(seen)))
