"""Prints each SARIF result's baselineState, rule, place and suppression, one a line, then "end"."""
import json
import sys

run = json.load(open(sys.argv[1]))['runs'][0]
for r in run['results']:
    loc = r['locations'][0]
    phys = loc['physicalLocation']
    line = phys.get('region', {}).get('startLine', '-')
    kinds = ','.join(s['kind'] for s in r.get('suppressions', [])) or '-'
    extra = ''
    if 'kind' in r:
        extra += ' kind=' + r['kind']
    for logical in loc.get('logicalLocations', []):
        extra += ' function=' + logical['fullyQualifiedName']
    print('%s %s %s:%s suppressed=%s%s' % (r.get('baselineState', '-'), r['ruleId'],
                                           phys['artifactLocation']['uri'], line, kinds, extra))
print('end')
