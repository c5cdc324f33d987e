/**
 * The funnel's cost line once broke the sends' if/else chain: a delivered message with no price
 * (the simulated channel's) or one still queued was counted as sent and also as held back, and
 * the designer's card read "拦截：sent 3" under "已发送 3". Each send row is counted once: sent,
 * failed or held back for its reason; only delivered messages add to the cost.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { humanFunnel } from '../../server/src/cli/commands/report.js';
import { flowFunnel, funnelCsv } from '../../server/src/persistence/flow-report.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const T0 = Date.parse('2027-11-08T02:00:00Z');
const NODES = [{ id: 'sms', type: 'send' }];

describe.each(DIALECTS)('the funnel of a send step on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ids = await addCustomers(db.dataSource, [1, 2, 3, 4, 5, 6].map((i) => ({ externalId: `c${i}` })), T0 - 86_400_000);
    const rows: [string, string | null, number | null][] = [
      ['sent', null, 0.05],
      ['sent', null, null],
      ['queued', null, null],
      ['sending', null, null],
      ['failed', null, null],
      ['skipped', 'no-consent', null],
    ];
    for (const [i, [status, reason, cost]] of rows.entries()) {
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES ('f', 1, ?, 'j', 'sms', 'exited', ?, ?, 1, ?, ?)`,
          params: [ids[i], T0, T0, `e${i}`, T0],
        },
      ]);
      const [{ id }] = await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM enrollments WHERE entry_key = ?', [`e${i}`]);
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, channel, category, priority, body, status, reason, cost, attempts, scheduled_at)
                VALUES (?, ?, ?, 'f', 1, 'sms', 'sms', 'marketing', 0, 'x', ?, ?, ?, 1, ?)`,
          params: [`k${i}`, id, ids[i], status, reason, cost, T0],
        },
      ]);
    }
  });
  afterAll(async () => db?.close());

  it('counts a delivered or queued message as sent only, never also as held back; the cost is what delivered messages cost', async () => {
    const sms = (await flowFunnel(db.dataSource, 'f', NODES)).nodes[0];
    expect({ sent: sms.sent, failed: sms.failed, blocked: sms.blocked, messageCost: sms.messageCost }).toEqual({ sent: 4, failed: 1, blocked: { 'skipped:no-consent': 1 }, messageCost: 0.05 });
    const head = funnelCsv({ flowId: 'f', nodes: [sms] }).split('\n')[0];
    expect(head).not.toMatch(/held_back_(sent|queued|sending)/);
  });

  it('says how many of the sent messages are still in the outbox (queued or being sent), in the JSON, the CSV and the text', async () => {
    const f = await flowFunnel(db.dataSource, 'f', NODES);
    expect({ sent: f.nodes[0].sent, queued: f.nodes[0].queued }).toEqual({ sent: 4, queued: 2 });
    const [head, row] = funnelCsv(f).split('\n');
    // queued after message_cost, then coupon_cost, before the step's card name (label, last).
    expect(head.split(',').slice(-4)).toEqual(['message_cost', 'queued', 'coupon_cost', 'label']);
    expect(row.split(',').at(-3)).toBe('2');
    expect(humanFunnel(f, 1)).toContain('\nstill in the outbox (counted in sent, not delivered yet): sms 2');
  });
});
