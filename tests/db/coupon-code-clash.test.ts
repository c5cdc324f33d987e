/**
 * A coupon code drawn twice (two sends, one code) must never pass silently: the ledger would give
 * the code to the first customer while the second one's message names it. Only a retried step (the
 * same send's key) is passed over, keeping the first code, as its `sends` row does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SendRequest } from '../../server/src/core/engine/model.js';
import { couponLedgerOps } from '../../server/src/persistence/coupon-ledger.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const T0 = Date.parse('2026-11-05T02:00:00Z');

function send(key: string, customerId: number, code: string): SendRequest {
  return {
    idempotencyKey: key,
    customerId,
    flowId: 'winback',
    enrollmentId: null,
    status: 'queued',
    coupon: { code, templateId: 'd11-winback-20', journeyKey: 'j', amount: 20, minSpend: 199, issuedAt: T0, expiresAt: T0 + 86_400_000 },
  } as unknown as SendRequest;
}

describe.each(DIALECTS)('a coupon code drawn twice on %s', (dialect) => {
  let db: TestDatabase;
  let a: number;
  let b: number;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    [a, b] = await addCustomers(db.dataSource, [{ externalId: 'a' }, { externalId: 'b' }], T0 - 86_400_000);
    await executeBatch(db.dataSource, couponLedgerOps([send('s-a', a, 'ABCDEFGHJKMN')]));
  });
  afterAll(async () => db?.close());

  it('fails the write when another send drew the same code, so its batch is retried with new codes', async () => {
    await expect(executeBatch(db.dataSource, couponLedgerOps([send('s-b', b, 'ABCDEFGHJKMN')]))).rejects.toThrow();
    const rows = await queryRows<{ customer_id: number; send_key: string }>(db.dataSource, 'SELECT customer_id, send_key FROM coupons');
    expect(rows.map((r) => [Number(r.customer_id), r.send_key])).toEqual([[a, 's-a']]);
  });

  it('passes over a retried step of the same send: the first code stays', async () => {
    await executeBatch(db.dataSource, couponLedgerOps([send('s-a', a, 'PQRSTUVWXYZ2')]));
    const rows = await queryRows<{ code: string }>(db.dataSource, "SELECT code FROM coupons WHERE send_key = 's-a'");
    expect(rows.map((r) => r.code)).toEqual(['ABCDEFGHJKMN']);
  });
});
