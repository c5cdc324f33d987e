import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { recordEvents, SYSTEM_CLIENT, type NewCustomerEvent } from '../../server/src/persistence/event-log.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite, statementTransaction } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * A request of the events API (recordEvents with allOrNothing) on SQLite inside its transaction
 * does not look its keys up before inserting (a second probe of the key index for each event of a
 * batch): a key already stored is found by its insert changing nothing, then compared with the
 * stored event. The verdicts must be the lookup's, on both dialects: a stored key with the same
 * event is a duplicate with the stored id; with another event a conflict that stores nothing of
 * the call (no event, no inbox row); a key repeated in the call is compared, each time, with the
 * event stored under it; conflicts are listed in the call's order.
 */
const T0 = Date.parse('2026-11-11T00:00:00Z');
const CLIENT = 'token:feed';

describe.each(DIALECTS)('event log keys found by the insert on %s', (dialect) => {
  let db: TestDatabase;
  let ids: number[];
  const event = (customerId: number, key: string, amount = 1, clientId = CLIENT): NewCustomerEvent => ({ customerId, type: 'order_created', properties: { orderId: key, amount }, occurredAt: T0, idempotencyKey: key, clientId });
  const count = async (ds: DataSource, table: string) => Number((await queryRows(ds, `SELECT COUNT(*) AS n FROM ${table}`, []))[0].n);
  const record = (events: NewCustomerEvent[]) => statementTransaction(db.dataSource, (m) => recordEvents(m, events, T0, { allOrNothing: true }));

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ids = await addCustomers(db.dataSource, [{ externalId: 'a' }, { externalId: 'b' }], T0);
  });
  afterAll(async () => db?.close());

  it('a stored key with the same event is a duplicate with the stored id, stored once; new keys are stored and queued', async () => {
    const first = await record([event(ids[0], 'k1'), event(ids[1], 'k2')]);
    expect(first.outcomes).toEqual(['inserted', 'inserted']);
    const inbox = await count(db.dataSource, 'event_inbox');
    // Properties in another key order are the same event.
    const again = await record([event(ids[1], 'k3'), { ...event(ids[0], 'k1'), properties: { amount: 1, orderId: 'k1' } }, event(ids[1], 'k2')]);
    expect(again.outcomes).toEqual(['inserted', 'duplicate', 'duplicate']);
    expect(again.duplicates).toBe(2);
    expect(again.conflicts).toEqual([]);
    expect(again.ids.slice(1)).toEqual(first.ids);
    expect(again.inserted.map((e) => e.idempotencyKey)).toEqual(['k3']);
    expect(await count(db.dataSource, 'event_inbox')).toBe(inbox + 1);
  });

  it('a stored key with another event refuses the whole call: conflicts in the call order, nothing stored or queued', async () => {
    const events = await count(db.dataSource, 'customer_events');
    const inbox = await count(db.dataSource, 'event_inbox');
    // k4 new, k2 stored with amount 1, k5 twice in the call with different events, k1 stored and sent twice (the second time different).
    const r = await record([event(ids[0], 'k4'), event(ids[1], 'k2', 2), event(ids[0], 'k5', 1), event(ids[0], 'k5', 2), event(ids[0], 'k1'), event(ids[0], 'k1', 3), event(ids[0], 'k6')]);
    expect(r.conflicts).toEqual([
      { index: 1, idempotencyKey: 'k2' },
      { index: 3, idempotencyKey: 'k5' },
      { index: 5, idempotencyKey: 'k1' },
    ]);
    expect(r.inserted).toEqual([]);
    expect(r.ids).toEqual([null, null, null, null, null, null, null]);
    expect(await count(db.dataSource, 'customer_events')).toBe(events);
    expect(await count(db.dataSource, 'event_inbox')).toBe(inbox);
    // The refused call's new keys are free: sent again alone, they are stored.
    const later = await record([event(ids[0], 'k4'), event(ids[0], 'k6')]);
    expect(later.outcomes).toEqual(['inserted', 'inserted']);
    expect(await count(db.dataSource, 'event_inbox')).toBe(inbox + 2);
  });

  it('a key stored earlier in the same transaction (another request of the group commit) is compared like a committed one', async () => {
    const out = await statementTransaction(db.dataSource, async (m) => [
      await recordEvents(m, [event(ids[0], 'g1')], T0, { allOrNothing: true }),
      await recordEvents(m, [event(ids[0], 'g2'), event(ids[0], 'g1', 9)], T0, { allOrNothing: true }),
      await recordEvents(m, [event(ids[0], 'g1'), event(ids[1], 'g3')], T0, { allOrNothing: true }),
    ]);
    expect(out.map((r) => r.conflicts)).toEqual([[], [{ index: 1, idempotencyKey: 'g1' }], []]);
    expect(out[2].outcomes).toEqual(['duplicate', 'inserted']);
    expect(out[2].ids[0]).toBe(out[0].ids[0]);
    const keys = (await queryRows(db.dataSource, "SELECT idempotency_key AS k FROM customer_events WHERE idempotency_key LIKE 'g%' ORDER BY id", [])).map((r) => r.k);
    expect(keys).toEqual(['g1', 'g3']);
  });

  it('the system namespace keeps its rule: a repeat of a key is a duplicate whatever its content', async () => {
    await record([event(ids[0], 'order:o9:order_created', 1, SYSTEM_CLIENT)]);
    const r = await record([event(ids[0], 'order:o9:order_created', 5, SYSTEM_CLIENT)]);
    expect(r.outcomes).toEqual(['duplicate']);
    expect(r.conflicts).toEqual([]);
  });

  if (dialect === 'sqlite')
    it('looks up no key that occurs once in the call before inserting it (SQLite)', async () => {
      const queries: string[] = [];
      const spied = (events: NewCustomerEvent[]) =>
        statementTransaction(db.dataSource, (m) => {
          const query = m.query.bind(m);
          const spy = Object.assign(Object.create(m) as typeof m, { connection: m.connection, query: (sql: string, params?: unknown[]) => (queries.push(sql), query(sql, params)) });
          return recordEvents(spy, events, T0, { allOrNothing: true });
        });
      const r = await spied(Array.from({ length: 37 }, (_, i) => event(ids[i % 2], `once-${i}`)));
      expect(r.outcomes.every((o) => o === 'inserted')).toBe(true);
      expect(queries.filter((q) => /FROM customer_events/.test(q))).toEqual([]);
      // A key repeated in the call is still looked up first (each repeat is compared with the stored event).
      const again = await spied([event(ids[0], 'once-0'), event(ids[0], 'twice'), event(ids[0], 'twice')]);
      expect(again.outcomes).toEqual(['duplicate', 'inserted', 'duplicate']);
      expect(queries.filter((q) => /FROM customer_events/.test(q))).toHaveLength(1);
    });
});
