/**
 * The send-log export said `coupon_status = issued` of a coupon the customer had already paid with
 * (only `coupon_used_at` told): an analyst counting "coupons still standing" by status counted used
 * ones too. A used coupon's issuing row now says `used`; the amount stays on it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { sendLogRows, type SendLogRow } from '../../server/src/persistence/send-log.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const T0 = Date.parse('2027-11-08T02:00:00Z');
const DAY = 86_400_000;

describe.each(DIALECTS)('the send log of coupons used and unused on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ids = await addCustomers(db.dataSource, [{ externalId: 'used-it' }, { externalId: 'kept-it' }], T0 - DAY);
    for (const [i, usedAt] of [T0 + DAY, null].entries()) {
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES ('w', 1, ?, 'j', 'sms', 'exited', ?, ?, 1, ?, ?)`,
          params: [ids[i], T0, T0, `e${i}`, T0],
        },
      ]);
      const [{ id }] = await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM enrollments WHERE entry_key = ?', [`e${i}`]);
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, channel, category, priority, body, link_token, status, attempts, scheduled_at, coupon_code, coupon_value)
                VALUES (?, ?, ?, 'w', 1, 'sms', 'sms', 'marketing', 0, 'x', ?, 'sent', 1, ?, ?, 20)`,
          params: [`s${i}`, id, ids[i], `TOKEN${i}ABCDEFG`, T0, `CODE${i}ABCDEFG`],
        },
        {
          sql: `INSERT INTO coupons (code, template_id, customer_id, flow_id, enrollment_id, journey_key, send_key, amount, min_spend, issued_at, expires_at, redeemed_at, redeemed_order) VALUES (?, 'winback-20', ?, 'w', ?, 'j', ?, 20, 199, ?, ?, ?, ?)`,
          params: [`CODE${i}ABCDEFG`, ids[i], id, `s${i}`, T0, T0 + 7 * DAY, usedAt, usedAt === null ? null : `o${i}`],
        },
      ]);
    }
  });
  afterAll(async () => db?.close());

  it('says used of a coupon paid with, issued of one still standing, each with its amount', async () => {
    const rows: SendLogRow[] = [];
    for await (const r of sendLogRows(db.dataSource, { flowId: 'w' })) rows.push(r);
    expect(rows.map((r) => [r.customer_external_id, r.coupon, r.coupon_amount, r.coupon_status, r.coupon_used_at])).toEqual([
      ['used-it', 'CODE0ABCDEFG', 20, 'used', new Date(T0 + DAY).toISOString()],
      ['kept-it', 'CODE1ABCDEFG', 20, 'issued', null],
    ]);
  });
});
