/**
 * A coupon code drawn twice (two sends, one code) must never pass silently: the ledger would give
 * the code to the first customer while the second one's message names it. Only a retried step (the
 * same send's key) is passed over, keeping the first code, as its `sends` row does. A batch whose
 * commit is refused for such a code is stepped again and draws a new one (BatchUnit.run); nothing
 * of the refused attempt is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SendRequest } from '../../server/src/core/engine/model.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { couponLedgerOps } from '../../server/src/persistence/coupon-ledger.js';
import { drawnTwice } from '../../server/src/persistence/drawn-twice.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const T0 = Date.parse('2026-11-05T02:00:00Z');
const HELD = 'ABCDEFGHJKMN';

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

/**
 * What a write was refused with, or null. Not `rejects.toThrow`: better-sqlite3's native module
 * keeps the SqliteError class of the first test file of a jest worker that loaded it, so in a later
 * file of the same worker (`jest -i`, or the full suite) the error's prototype is another realm's
 * Error and jest reports "did not throw" although the statement threw (why this test, as first
 * written, failed on SQLite after tests/db/flow-stats-both-dialects in one worker).
 */
const failureOf = (p: Promise<unknown>): Promise<unknown> => p.then(
  () => null,
  (e: unknown) => e ?? 'rejected',
);

describe.each(DIALECTS)('a coupon code drawn twice on %s', (dialect) => {
  let db: TestDatabase;
  let a: number;
  let b: number;
  const coupons = async () =>
    (await queryRows<{ code: string; customer_id: number; send_key: string }>(db.dataSource, 'SELECT code, customer_id, send_key FROM coupons ORDER BY send_key')).map((r) => [r.send_key, Number(r.customer_id), r.code]);
  const details = async () => (await queryRows<{ key: string }>(db.dataSource, "SELECT key FROM journey_details WHERE key LIKE 'attempt-%' ORDER BY key")).map((r) => r.key);

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    [a, b] = await addCustomers(db.dataSource, [{ externalId: 'a' }, { externalId: 'b' }], T0 - 86_400_000);
    await executeBatch(db.dataSource, couponLedgerOps([send('s-a', a, HELD)]));
  });
  afterAll(async () => db?.close());

  it('fails the write when another send drew the same code, and the failure reads as a key drawn twice', async () => {
    const error = await failureOf(executeBatch(db.dataSource, couponLedgerOps([send('s-b', b, HELD)])));
    expect(String((error as Error)?.message)).toMatch(/coupons\.code|duplicate key/);
    expect(drawnTwice(error)).toBe(true);
    expect(await coupons()).toEqual([['s-a', a, HELD]]);
  });

  it('fails the write when two sends of one batch drew the same code', async () => {
    const error = await failureOf(executeBatch(db.dataSource, couponLedgerOps([send('s-b', b, 'PQRSTUVWXYZ2'), send('s-c', a, 'PQRSTUVWXYZ2')])));
    expect(drawnTwice(error)).toBe(true);
    expect(await coupons()).toEqual([['s-a', a, HELD]]);
  });

  it('passes over a retried step of the same send: the first code stays', async () => {
    await executeBatch(db.dataSource, couponLedgerOps([send('s-a', a, 'PQRSTUVWXYZ2')]));
    expect(await coupons()).toEqual([['s-a', a, HELD]]);
  });

  it('steps a batch refused for a code drawn twice again: it draws a new code and nothing of the refused attempt is kept', async () => {
    const draws = [HELD, 'NEWCODE23456'];
    let attempts = 0;
    const result = await BatchUnit.run(db.dataSource, { customerIds: [b], enrollmentIds: [] }, async (unit) => {
      attempts++;
      // Another write of the same batch: only the committed attempt's row may remain.
      unit.write([{ sql: 'INSERT INTO journey_details (key, detail) VALUES (?, ?)', params: [`attempt-${attempts}`, '{}'] }]);
      unit.write(couponLedgerOps([send('s-b', b, draws.shift()!)]));
      return attempts;
    });
    expect(result).toBe(2);
    expect(await coupons()).toEqual([
      ['s-a', a, HELD],
      ['s-b', b, 'NEWCODE23456'],
    ]);
    expect(await details()).toEqual(['attempt-2']);
  });

  it('gives up after three refusals in a row, keeping nothing', async () => {
    let attempts = 0;
    const error = await failureOf(
      BatchUnit.run(db.dataSource, { customerIds: [a], enrollmentIds: [] }, async (unit) => {
        attempts++;
        unit.write([{ sql: 'INSERT INTO journey_details (key, detail) VALUES (?, ?)', params: [`attempt-x${attempts}`, '{}'] }]);
        unit.write(couponLedgerOps([send('s-d', a, HELD)]));
      }),
    );
    expect(attempts).toBe(3);
    expect(drawnTwice(error)).toBe(true);
    expect(await details()).toEqual(['attempt-2']);
    expect((await coupons()).map((r) => r[0])).toEqual(['s-a', 's-b']);
  });

  it('does not step a batch again for any other refusal', async () => {
    let attempts = 0;
    const error = await failureOf(
      BatchUnit.run(db.dataSource, { customerIds: [a], enrollmentIds: [] }, async (unit) => {
        attempts++;
        unit.write([{ sql: 'INSERT INTO journey_details (key, detail) VALUES (?, ?)', params: ['attempt-2', '{}'] }]); // its key is taken
      }),
    );
    expect(error).not.toBeNull();
    expect(drawnTwice(error)).toBe(false);
    expect(attempts).toBe(1);
  });

  it("steps a journey batch again when its message's code was drawn twice: the message and the ledger name the new code", async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const draws = [HELD, 'FRESHCODE234'];
    let attempts = 0;
    await store.inBatch({ customerIds: [b], enrollmentIds: [] }, async ({ store: s }) => {
      attempts++;
      const code = draws.shift()!;
      const message = { ...send('m-b', b, code), versionId: 1, nodeId: 'n', arm: null, channel: 'sms', category: 'marketing', priority: 0, subject: null, body: `券码${code}`, linkToken: `tok-${attempts}`, linkUrl: null, couponCode: code, couponValue: 20, cost: 0, reason: null, scheduledAt: T0, enrollmentId: 0 } as unknown as SendRequest;
      await s.commitStep([], [{ kind: 'send', send: message }], []);
    });
    expect(attempts).toBe(2);
    const sends = await queryRows<{ body: string; coupon_code: string; link_token: string }>(db.dataSource, "SELECT body, coupon_code, link_token FROM sends WHERE idempotency_key = 'm-b'");
    expect(sends).toEqual([{ body: '券码FRESHCODE234', coupon_code: 'FRESHCODE234', link_token: 'tok-2' }]);
    expect((await coupons()).filter((r) => r[0] === 'm-b')).toEqual([['m-b', b, 'FRESHCODE234']]);
  });

  it('reads a link token drawn twice as drawn twice too', async () => {
    const insert = (key: string, customerId: number) => ({
      sql: `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, channel, category, priority, body, link_token, status, attempts, scheduled_at)
            VALUES (?, 0, ?, 'winback', 1, 'n', 'email', 'marketing', 0, 'x', 'TOKEN1234567', 'queued', 0, ?)`,
      params: [key, customerId, T0],
    });
    await executeBatch(db.dataSource, [insert('t-a', a)]);
    const error = await failureOf(executeBatch(db.dataSource, [insert('t-b', b)]));
    expect(error).not.toBeNull();
    expect(drawnTwice(error)).toBe(true);
  });
});
