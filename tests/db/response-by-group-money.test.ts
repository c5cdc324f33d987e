/**
 * Response by group summed its responders' order amounts as floats: ¥0.1 + ¥0.2 + ¥0.4 came out as
 * 0.7000000000000001 in the API's JSON, where the experiment report beside it says 0.7
 * (core/experiment/money.ts: money kept to a millionth of a yuan everywhere a report adds it up).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { responseByGroup } from '../../server/src/persistence/experiment-groups.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, TZ } from '../support/shop-fixtures.js';

const T0 = Date.parse('2027-04-20T02:00:00Z');
const DAY = 86_400_000;

describe.each(DIALECTS)('the revenue of response by group on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ids = await addCustomers(db.dataSource, ['a', 'b', 'c'].map((externalId) => ({ externalId })), T0 - DAY);
    for (const [i, amount] of [0.1, 0.2, 0.4].entries()) {
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES ('launch', 1, ?, 'j', 'sms', 'exited', ?, ?, 1, ?, ?)`,
          params: [ids[i], T0, T0, `e${i}`, T0],
        },
      ]);
      const [{ id }] = await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM enrollments WHERE entry_key = ?', [`e${i}`]);
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, channel, category, priority, body, status, attempts, scheduled_at, sent_at) VALUES (?, ?, ?, 'launch', 1, 'sms', 'sms', 'marketing', 0, 'x', 'sent', 1, ?, ?)`,
          params: [`s${i}`, id, ids[i], T0, T0],
        },
        {
          sql: `INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, received_at) VALUES (?, 'order_paid', ?, ?, ?, ?)`,
          params: [ids[i], JSON.stringify({ orderId: `o${i}`, amount }), T0 + DAY, `k${i}`, T0 + DAY],
        },
      ]);
    }
  });
  afterAll(async () => db?.close());

  it('adds the responders\' amounts up without float noise', async () => {
    const groups = await responseByGroup(db.dataSource, { flowId: 'launch', nodeId: 'sms', by: 'device', events: ['order_paid'], windowMs: 10 * DAY, now: T0 + 20 * DAY }, { timezone: TZ, lifecycle: { activeDays: 27, silentDays: 138, sleepingDays: 426 } });
    expect(groups.map((g) => [g.group, g.sent, g.responders, g.revenue])).toEqual([['mobile', 3, 3, 0.7]]);
  });
});
