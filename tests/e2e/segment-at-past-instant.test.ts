process.env.REKINDLE_QUIET = '1';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp } from '../support/http-app.js';
import { fixedClock } from '../../server/src/core/clock.js';
import type { DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

// `segment --at <past date>` on a shop with orders after that date: the facts are the ones the
// shop had then (orders up to that instant), not today's stored rows with a negative recencyDays.
const RULES = tempDir('rekindle-rules-past-');
mkdirSync(join(RULES, 'segments'), { recursive: true });
writeFileSync(join(RULES, 'segments', 'future-buyer.yaml'), 'name: future-buyer\nconditions:\n  all:\n    - fact: recencyDays\n      operator: lessThan\n      value: 0\n');
writeFileSync(join(RULES, 'segments', 'quiet-100.yaml'), 'name: quiet-100\nconditions:\n  all:\n    - fact: recencyDays\n      operator: greaterThan\n      value: 100\n');
writeFileSync(join(RULES, 'segments', 'one-order.yaml'), 'name: one-order\nconditions:\n  all:\n    - fact: orderCount\n      operator: equal\n      value: 1\n');

const DATA = tempDir('rekindle-data-past-');
writeFileSync(join(DATA, 'customers.csv'), 'externalId,name\np1,Early and late\np2,Early only\n');
// p1 bought in June and again on 10 November; p2 only in June; p1's 30 October order was paid on 2 November.
writeFileSync(
  join(DATA, 'orders.csv'),
  'externalId,customerExternalId,status,amount,createdAt,paidAt\n' +
    'q1,p1,paid,100,2026-06-01T10:00:00+08:00,2026-06-01T10:05:00+08:00\n' +
    'q2,p1,paid,50,2026-11-10T10:00:00+08:00,2026-11-10T10:05:00+08:00\n' +
    'q3,p2,paid,80,2026-06-01T10:00:00+08:00,2026-06-01T10:05:00+08:00\n' +
    'q4,p2,paid,20,2026-10-30T10:00:00+08:00,2026-11-02T10:00:00+08:00\n',
);

describe.each(DIALECTS)('segment --at a past instant on %s', (dialect) => {
  let db: string;
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  const r = (...args: string[]) => cli(['--db', db, '--rules', RULES, ...args]);

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    db = t.target.url;
    target = t.target;
    drop = t.drop;
    expect((await r('import', 'customers', join(DATA, 'customers.csv'))).code).toBe(0);
    expect((await r('import', 'orders', join(DATA, 'orders.csv'))).code).toBe(0);
  });
  afterAll(async () => drop?.());

  it('evaluates facts from the orders up to that instant, naming the later orders left out', async () => {
    const future = JSON.parse((await r('--json', 'segment', 'future-buyer', '--at', '2026-11-01')).stdout);
    expect(future.count).toBe(0);
    expect(future.ordersAfterAt).toBe(2);
    // Both had last bought in June as of 1 November (p2's 30 October order was not paid yet).
    const quiet = JSON.parse((await r('--json', 'segment', 'quiet-100', '--at', '2026-11-01', '--list')).stdout);
    expect(quiet.ids.length).toBe(2);
    expect(quiet.evaluator).toBe('engine');
    const one = JSON.parse((await r('--json', 'segment', 'one-order', '--at', '2026-11-01', '--list')).stdout);
    expect(one.ids.length).toBe(2);
    expect(one.sample[0].facts.recencyDays).toBeGreaterThan(100);
    const human = await r('segment', 'quiet-100', '--at', '2026-11-01');
    expect(human.stdout).toContain('2 later orders left out');
  });

  it('refuses the SQL evaluator at such an instant, saying why', async () => {
    const res = await r('segment', 'quiet-100', '--at', '2026-11-01', '--evaluator', 'sql');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("the shop has 2 orders after");
  });

  it('answers ?at= of the API the same way', async () => {
    const api = await createTestApp({ database: target, rulesDir: RULES, clock: fixedClock(Date.parse('2026-11-30T12:00:00+08:00')), schedulers: false });
    try {
      const res = await api.http().get('/api/segments/quiet-100/count?at=2026-11-01').expect(200);
      expect(res.body).toMatchObject({ count: 2, ordersAfterAt: 2, evaluator: 'engine', at: '2026-11-01T00:00:00+08:00' });
      await api.http().get('/api/segments/quiet-100/count?at=2026-11-01&evaluator=sql').expect(400);
    } finally {
      await api.close();
    }
  });

  it('reads the stored facts when no order is later than the instant', async () => {
    const now = JSON.parse((await r('--json', 'segment', 'one-order', '--at', '2026-11-30', '--list')).stdout);
    expect(now.evaluator).toBe('sql');
    expect(now.ordersAfterAt).toBeUndefined();
    expect(now.count).toBe(0);
  });
});
