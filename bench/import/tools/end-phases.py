# end-phases.py TIMELINE.json SAMPLES.jsonl: a large import's end (the two index builds, the wait for the settle
# thread, the apply) phase by phase: wall, and each busy thread's CPU and run-queue wait (seconds, from the sampler).
import json, sys
r = json.load(open(sys.argv[1])); rows = [json.loads(l) for l in open(sys.argv[2])]
main = min(rows[0]['tasks'], key=int)
ix = [k for k, x in enumerate(r) if x['sql'].startswith('CREATE INDEX "ix_customer_events_customer_type"') or x['sql'].startswith('CREATE INDEX "ix_orders_customer_id"')]
for k in ix:
    x = r[k]; print('%-50s wall %5d cpu %5d run-queue %5d blocked %4d ms' % (x['sql'][:50], x['wall'], x['cpu'], x['rq'], x['wall'] - x['cpu'] - x['rq']))
s0 = r[ix[0]]['at'] - r[ix[0]]['wall']
e2 = r[ix[1]]['at']
nxt = ix[1] + 1
if nxt < len(r) and r[nxt]['sql'] == 'COMMIT': e2 = r[nxt]['at']; nxt += 1
a0 = (r[nxt]['at'] - r[nxt]['wall']) if nxt < len(r) else r[-1]['at']; fin = r[-1]['at']
def smp(ms): return min(rows, key=lambda s: abs(s['t'] * 1000 - ms))
print('end %.1f s' % ((fin - s0) / 1000))
for name, (a, b) in [('index builds (+ commits)', (s0, e2)), ('waits for the settle thread', (e2, a0)), ('apply', (a0, fin))]:
    A, B = smp(a), smp(b); line = '  %-28s %5.1f s wall, load %s' % (name, (b - a) / 1000, B['load'])
    for tid in [main] + [t for t in B['tasks'] if t != main]:
        if tid in A['tasks']:
            dc = B['tasks'][tid][2] - A['tasks'][tid][2]; dr = B['tasks'][tid][3] - A['tasks'][tid][3]
            if dc + dr > 150: line += ' | %s cpu %.1f run-queue %.1f' % ('importing' if tid == main else 'thread ' + tid, dc / 1000, dr / 1000)
    print(line)
