import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { flowStats } from '../../server/src/persistence/flow-stats.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * The journeys home's numbers per flow (GET /api/home). Its per-day entry counts grouped by an
 * expression holding a bound parameter twice; PostgreSQL does not see two parameters as one
 * expression and refused the query ("entered_at must appear in the GROUP BY clause"), so the
 * designer's home answered 500 on PostgreSQL as soon as a flow had an enrollment.
 */
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T04:00:00Z');

describe.each(DIALECTS)('journeys home flow numbers (%s)', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ids = await addCustomers(db.dataSource, [{ externalId: 'fs-1' }, { externalId: 'fs-2' }, { externalId: 'fs-3' }], 0);
    const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
    const enroll = (flow: string, customer: number, key: string, status: string, at: number) =>
      db.dataSource.query(
        `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES (${p(1)}, 1, ${p(2)}, ${p(3)}, 'start', ${p(4)}, ${p(5)}, ${p(6)}, 0, ${p(7)}, ${p(8)})`,
        [flow, customer, key, status, at, at, `e-${key}`, at],
      );
    await enroll('f1', ids[0], 'a', 'active', NOW - 1 * DAY);
    await enroll('f1', ids[1], 'b', 'active', NOW - 1 * DAY + 3_600_000);
    await enroll('f1', ids[2], 'c', 'completed', NOW - 10 * DAY);
    await enroll('f2', ids[0], 'd', 'exited', NOW - 40 * DAY);
  });
  afterAll(async () => db?.close());

  it('counts entries per day over the last 30 days and per window, one row per flow', async () => {
    const stats = await flowStats(db.dataSource, NOW);
    const f1 = stats.get('f1')!;
    expect(f1.active).toBe(2);
    expect(f1.last7.entered).toBe(2);
    expect(f1.last30.entered).toBe(3);
    expect(f1.last30.conversions).toBe(1);
    expect(f1.daily.reduce((a, b) => a + b, 0)).toBe(3);
    expect(f1.daily[29]).toBe(2); // yesterday's two entries, in one day of the sparkline
    expect(f1.daily[20]).toBe(1);
    // Entered 40 days ago: in no window and no day of the sparkline.
    expect(stats.get('f2')?.last30.entered ?? 0).toBe(0);
    expect((stats.get('f2')?.daily ?? []).every((n) => n === 0)).toBe(true);
  });
});
