import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { flowStats } from '../../server/src/persistence/flow-stats.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { SEND_COLUMNS } from '../../server/src/persistence/journey-store.js';
import { executeBatch } from '../../server/src/persistence/sql-batch.js';
import { addCustomers, addOrder } from '../support/shop-fixtures.js';

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
    await enroll('f3', ids[1], 'e', 'active', NOW); // entered at this very instant: in both windows
    // Orders paid within 7 days after an entry are its flow's; the window cuts by the entry.
    const paid = (id: string, customer: number, amount: number, at: number) => addOrder(db.dataSource, { externalId: id, customerId: customer, status: 'paid', amount, createdAt: at - 60_000, paidAt: at });
    await paid('o1', ids[0], 100, NOW - DAY / 2); // f1 (entered a day ago): both windows
    await paid('o2', ids[2], 20, NOW - 8 * DAY); // f1 (entered 10 days ago, paid 2 days later): the 30 days only
    await paid('o3', ids[0], 7, NOW - 35 * DAY); // f2 (entered 40 days ago, paid 5 days later): before both windows
    await paid('o4', ids[1], 3.5, NOW - DAY + 2 * 3_600_000); // f1: both windows; f3 entered after it
    await paid('o5', ids[2], 0.25, NOW - 7 * DAY); // f1 (3 days after entering), paid at the 7 days' first instant
    await paid('o6', ids[2], 1000, NOW - 2 * DAY); // 8 days after f1's entry: nobody's
    // Messages: queued or sent count, a blocked one does not; by when they were scheduled.
    const send = (key: string, status: string, at: number) => {
      const v: Record<string, unknown> = { idempotency_key: key, enrollment_id: 0, customer_id: ids[0], flow_id: 'f1', version_id: 1, node_id: 'n', arm: null, channel: 'sms', category: 'marketing', priority: 50, subject: null, body: '你好', link_token: null, link_url: null, coupon_code: null, coupon_value: null, cost: null, status, reason: null, attempts: 0, next_attempt_at: null, scheduled_at: at, campaign: null, group_label: null };
      return { sql: `INSERT INTO sends (${SEND_COLUMNS.join(', ')}) VALUES (${SEND_COLUMNS.map(() => '?').join(', ')})`, params: SEND_COLUMNS.map((c) => v[c]) };
    };
    await executeBatch(db.dataSource, [send('s1', 'sent', NOW - DAY), send('s2', 'queued', NOW - 7 * DAY), send('s3', 'sent', NOW - 20 * DAY), send('s4', 'blocked', NOW - DAY), send('s5', 'sent', NOW - 31 * DAY)]);
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
    // Entered at this instant: counted in both windows, on no day of the sparkline (as before).
    expect([stats.get('f3')!.last7.entered, stats.get('f3')!.last30.entered, stats.get('f3')!.daily.reduce((a, b) => a + b, 0)]).toEqual([1, 1, 0]);
  });

  it('counts both windows in one pass each: messages, conversions and the orders paid within 7 days of entering', async () => {
    const f1 = (await flowStats(db.dataSource, NOW)).get('f1')!;
    expect([f1.last7.sent, f1.last30.sent]).toEqual([2, 3]);
    expect([f1.last7.conversions, f1.last30.conversions]).toEqual([0, 1]);
    // The customers who entered in the window: a and b (yesterday) paid o1 and o4; c entered 10 days ago, so o5 is the 30 days' only.
    expect(f1.last7).toMatchObject({ orders: 2, revenue: 103.5 });
    expect(f1.last30).toMatchObject({ orders: 4, revenue: 123.75 });
    const f2 = (await flowStats(db.dataSource, NOW)).get('f2');
    expect([f2?.last30.orders ?? 0, f2?.last30.revenue ?? 0]).toEqual([0, 0]);
  });

  // A simulated launch whose customers all entered on its first day read, for its last 7 days,
  // 进入 0 · 转化 79 · 收入 ¥0: conversions counted by when the goal was reached, revenue by payments
  // within 7 days of entering. Both are now the window's entrants', whenever they converted or paid.
  it("counts conversions and revenue of the customers who entered in the window, on one base", async () => {
    const [late] = await addCustomers(db.dataSource, [{ externalId: 'fs-4' }], 0);
    const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
    await db.dataSource.query(
      `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES ('f4', 1, ${p(1)}, 'g', 'start', 'completed', ${p(2)}, ${p(3)}, 0, 'e-g', ${p(4)})`,
      [late, NOW - 20 * DAY, NOW - 20 * DAY, NOW - DAY],
    );
    await addOrder(db.dataSource, { externalId: 'o7', customerId: late, status: 'paid', amount: 50, createdAt: NOW - 15 * DAY - 60_000, paidAt: NOW - 15 * DAY });
    await addOrder(db.dataSource, { externalId: 'o8', customerId: late, status: 'paid', amount: 80, createdAt: NOW - DAY - 60_000, paidAt: NOW - DAY });
    const f4 = (await flowStats(db.dataSource, NOW)).get('f4')!;
    // Entered 20 days ago, reached the goal yesterday: the 30 days' conversion, none of the 7 days' (nobody entered in them).
    expect(f4.last7).toEqual({ entered: 0, sent: 0, conversions: 0, orders: 0, revenue: 0 });
    expect(f4.last30).toEqual({ entered: 1, sent: 0, conversions: 1, orders: 1, revenue: 50 });
  });
});
