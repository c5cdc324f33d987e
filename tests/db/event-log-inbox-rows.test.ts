import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { DEFAULT_CLIENT, recordEvents, SYSTEM_CLIENT, type NewCustomerEvent } from '../../server/src/persistence/event-log.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite, statementTransaction } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * recordEvents queues every event it stores in the inbox: on SQLite inside a transaction with one
 * statement for the id range its inserts took (the request thread's share of a batch of 1,000
 * events was one statement per event), which must cover exactly the rows it stored — not a row
 * the caller wrote before in the same transaction, not a duplicate it skipped — also when an
 * insert fails part-way and the caller keeps the transaction.
 */
const T0 = Date.parse('2026-11-11T00:00:00Z');

const rows = async (ds: DataSource, sql: string) => (await queryRows(ds, sql, [])).map((r) => Number(r.id));

describe.each(DIALECTS)('event log inbox rows on %s', (dialect) => {
  let db: TestDatabase;
  let ids: number[];
  let n = 0;
  const event = (customerId: number, clientId = DEFAULT_CLIENT, key = `k${n++}`): NewCustomerEvent => ({ customerId, type: 'order_created', properties: { orderId: key }, occurredAt: T0, idempotencyKey: key, clientId });
  const inbox = () => rows(db.dataSource, 'SELECT event_id AS id FROM event_inbox ORDER BY event_id');
  const stored = () => rows(db.dataSource, 'SELECT id FROM customer_events ORDER BY id');

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ids = await addCustomers(db.dataSource, [{ externalId: 'a' }, { externalId: 'b' }], T0);
  });
  afterAll(async () => db?.close());

  it('queues exactly the events it stored: not a row the caller wrote before it in the transaction, not a duplicate or a repeated key', async () => {
    const before = await statementTransaction(db.dataSource, (m) => recordEvents(m, [event(ids[0], DEFAULT_CLIENT, 'old'), event(ids[0], SYSTEM_CLIENT, 'order:o1:order_created')], T0));
    await db.dataSource.query('DELETE FROM event_inbox');
    const queued: number[] = [];
    await statementTransaction(db.dataSource, async (m) => {
      // The caller's own row first, in the same transaction: it is not recordEvents', so not queued by it.
      const [a, b, c] = dialect === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
      await m.query(`INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, client_id, received_at) VALUES (${a}, 'note', '{}', ${b}, 'callers-own', 'other', ${c})`, [ids[1], T0, T0]);
      const batch = [event(ids[0]), event(ids[0], DEFAULT_CLIENT, 'old'), event(ids[1]), event(ids[0], SYSTEM_CLIENT, 'order:o1:order_created'), event(ids[0], SYSTEM_CLIENT, 'order:o2:order_created'), event(ids[1])];
      batch.push({ ...batch[2] }); // the same key twice in one call
      const r = await recordEvents(m, batch, T0);
      expect(r.outcomes).toEqual(['inserted', 'duplicate', 'inserted', 'duplicate', 'inserted', 'inserted', 'duplicate']);
      expect(r.ids[1]).toBe(before.ids[0]);
      expect(r.ids[3]).toBe(before.ids[1]);
      queued.push(...r.inserted.map((e) => e.id));
    });
    expect(queued).toHaveLength(4);
    expect(await inbox()).toEqual(queued);
  });

  it('queues the events stored before an insert that failed, when the caller keeps its transaction', async () => {
    await db.dataSource.query('DELETE FROM event_inbox');
    const already = await stored();
    await statementTransaction(db.dataSource, async (m) => {
      const bad = { ...event(ids[0]), type: null } as unknown as NewCustomerEvent; // type is NOT NULL
      await expect(recordEvents(m, [event(ids[0]), event(ids[1]), bad, event(ids[1])], T0)).rejects.toBeDefined();
    }).catch(() => undefined);
    // PostgreSQL's transaction is lost with the failed statement; SQLite's caller may commit what was stored.
    const added = (await stored()).filter((id) => !already.includes(id));
    expect(await inbox()).toEqual(added);
    if (dialect === 'sqlite') expect(added).toHaveLength(2);
  });

  if (dialect === 'sqlite') {
    it('writes the inbox rows of a call inside a transaction with one statement, and one by one outside any', async () => {
      const raw = rawSqlite(db.dataSource);
      const proto = Object.getPrototypeOf(raw.prepare('SELECT 1')) as { run: (...a: unknown[]) => unknown };
      const run = proto.run;
      let inboxStatements = 0;
      proto.run = function (this: { source: string }, ...a: unknown[]) {
        if (this.source.startsWith('INSERT INTO event_inbox')) inboxStatements++;
        return run.apply(this, a);
      };
      try {
        await db.dataSource.query('DELETE FROM event_inbox');
        const many = Array.from({ length: 300 }, (_, i) => event(ids[i % 2]));
        const r = await statementTransaction(db.dataSource, (m) => recordEvents(m, many, T0));
        expect(inboxStatements).toBe(1);
        expect(await inbox()).toEqual(r.inserted.map((e) => e.id));

        inboxStatements = 0;
        await db.dataSource.query('DELETE FROM event_inbox');
        const manager = { connection: db.dataSource, query: (sql: string, p: unknown[]) => db.dataSource.query(sql, p) } as unknown as Parameters<typeof recordEvents>[0];
        const out = await recordEvents(manager, [event(ids[0]), event(ids[1])], T0);
        expect(raw.inTransaction).toBe(false);
        expect(inboxStatements).toBe(2);
        expect(await inbox()).toEqual(out.inserted.map((e) => e.id));
      } finally {
        proto.run = run;
      }
    });
  }
});
