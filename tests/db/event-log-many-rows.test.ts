import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordEvents, SYSTEM_CLIENT, type NewCustomerEvent, type RecordResult } from '../../server/src/persistence/event-log.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite, statementTransaction } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * On SQLite, a call's events inside a transaction go in by multi-row INSERTs (64 rows, the rest
 * by 16, 4 and 1) instead of one statement an event. The answers must be those of one row at a
 * time, on both dialects: each inserted event's id is the id stored under its key, in input
 * order; a key stored before (in any chunk) is a duplicate with the stored id, even though the
 * skipped row may use up a rowid of its statement; a conflict anywhere refuses the whole call
 * (nothing stored or queued); every stored event is queued once.
 */
const T0 = Date.parse('2026-11-11T00:00:00Z');
const CLIENT = 'token:feed';

describe.each(DIALECTS)('event log rows by multi-row statements on %s', (dialect) => {
  let db: TestDatabase;
  let ids: number[];
  const event = (i: number, key: string, amount = 1, clientId = CLIENT): NewCustomerEvent => ({
    customerId: ids[i % ids.length],
    type: 'order_created',
    properties: { orderId: key, amount },
    occurredAt: T0 + i,
    idempotencyKey: key,
    clientId,
  });
  const record = (events: NewCustomerEvent[], allOrNothing = true) => statementTransaction(db.dataSource, (m) => recordEvents(m, events, T0, { allOrNothing }));
  const storedIds = async (clientId: string, keys: string[]) => {
    const rows = await queryRows(db.dataSource, `SELECT id, idempotency_key FROM customer_events WHERE client_id = ?`, [clientId]);
    const byKey = new Map(rows.map((r) => [String(r.idempotency_key), Number(r.id)]));
    return keys.map((k) => byKey.get(k) ?? null);
  };
  const inbox = async () => (await queryRows(db.dataSource, 'SELECT event_id FROM event_inbox ORDER BY event_id', [])).map((r) => Number(r.event_id));
  const count = async (table: string) => Number((await queryRows(db.dataSource, `SELECT COUNT(*) AS n FROM ${table}`, []))[0].n);
  /** Runs `fn` counting the statements that insert into customer_events (SQLite; 0 elsewhere). */
  const counted = async <T>(fn: () => Promise<T>): Promise<{ out: T; inserts: number }> => {
    if (dialect !== 'sqlite') return { out: await fn(), inserts: 0 };
    const proto = Object.getPrototypeOf(rawSqlite(db.dataSource).prepare('SELECT 1')) as { run: (...a: unknown[]) => unknown };
    const run = proto.run;
    let inserts = 0;
    proto.run = function (this: { source: string }, ...a: unknown[]) {
      if (/^INSERT (OR FAIL )?INTO customer_events/.test(this.source)) inserts++;
      return run.apply(this, a);
    };
    try {
      return { out: await fn(), inserts };
    } finally {
      proto.run = run;
    }
  };
  const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const expectIdsAreStored = async (r: RecordResult, clientId: string, ks: string[]) => {
    expect(r.ids).toEqual(await storedIds(clientId, ks));
    const inserted = r.inserted.map((e) => e.id);
    expect([...inserted].sort((a, b) => a - b)).toEqual(inserted);
  };

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ids = await addCustomers(db.dataSource, [{ externalId: 'a' }, { externalId: 'b' }, { externalId: 'c' }], T0);
  });
  afterAll(async () => db?.close());

  it('150 new events: each id is the one stored under its key, all queued; on SQLite in 6 statements, not 150', async () => {
    await db.dataSource.query('DELETE FROM event_inbox');
    const ks = keys('new', 150);
    const { out: r, inserts } = await counted(() => record(ks.map((k, i) => event(i, k))));
    expect(r.outcomes).toEqual(ks.map(() => 'inserted'));
    expect(r.inserted.map((e) => e.idempotencyKey)).toEqual(ks);
    expect(r.inserted.map((e) => e.id)).toEqual(r.ids);
    await expectIdsAreStored(r, CLIENT, ks);
    expect(await inbox()).toEqual(r.ids);
    // 64 + 64 + 16 + 4 + 1 + 1
    if (dialect === 'sqlite') expect(inserts).toBe(6);
  });

  it('keys stored before, in several chunks: duplicates with the stored ids, the others stored with their own ids and queued', async () => {
    await db.dataSource.query('DELETE FROM event_inbox');
    const before = await record([event(5, 'dup-5'), event(70, 'dup-70'), event(129, 'dup-129'), event(149, 'dup-149')]);
    const ks = keys('mix', 150).map((k, i) => ([5, 70, 129, 149].includes(i) ? `dup-${i}` : k));
    const r = await record(ks.map((k, i) => event(i, k)));
    expect(r.conflicts).toEqual([]);
    expect(r.duplicates).toBe(4);
    expect(r.outcomes.filter((o) => o === 'duplicate')).toHaveLength(4);
    for (const [j, i] of [5, 70, 129, 149].entries()) {
      expect(r.outcomes[i]).toBe('duplicate');
      expect(r.ids[i]).toBe(before.ids[j]);
    }
    expect(r.inserted.map((e) => e.idempotencyKey)).toEqual(ks.filter((k) => !k.startsWith('dup-')));
    await expectIdsAreStored(r, CLIENT, ks);
    expect(await inbox()).toEqual([...before.ids, ...r.inserted.map((e) => e.id)]);

    // The next call's ids are found alike after rowids a skipped row may have used up.
    const next = await record(keys('after', 70).map((k, i) => event(i, k)));
    await expectIdsAreStored(next, CLIENT, keys('after', 70));
  });

  it('a conflict in the second chunk refuses the whole call: nothing stored or queued, the conflict named', async () => {
    await record([event(0, 'taken')]);
    const events = await count('customer_events');
    const queued = await count('event_inbox');
    const ks = keys('refused', 100).map((k, i) => (i === 80 ? 'taken' : k));
    const r = await record(ks.map((k, i) => event(i, k, i === 80 ? 2 : 1)));
    expect(r.conflicts).toEqual([{ index: 80, idempotencyKey: 'taken' }]);
    expect(r.inserted).toEqual([]);
    expect(await count('customer_events')).toBe(events);
    expect(await count('event_inbox')).toBe(queued);
    // The call's keys are free afterwards.
    const again = await record(keys('refused', 100).map((k, i) => event(i, k)));
    expect(again.outcomes).toEqual(keys('refused', 100).map(() => 'inserted'));
    await expectIdsAreStored(again, CLIENT, keys('refused', 100));
  });

  it('an event that fails in the middle of a 64-row statement: the events before it stored and queued, as one by one, and the call throws', async () => {
    await db.dataSource.query('DELETE FROM event_inbox');
    const events = await count('customer_events');
    const ks = keys('failing', 100);
    const list = ks.map((k, i) => (i === 70 ? ({ ...event(i, k), type: null } as unknown as NewCustomerEvent) : event(i, k))); // type is NOT NULL
    let failed: unknown = null;
    await statementTransaction(db.dataSource, async (m) => {
      await recordEvents(m, list, T0, { allOrNothing: true }).catch((e: unknown) => (failed = e));
    });
    expect(failed).not.toBeNull();
    const added = (await storedIds(CLIENT, ks)).filter((id): id is number => id !== null);
    // PostgreSQL's statement stores nothing of its chunk; SQLite keeps the rows before the failing one, as single-row inserts did.
    expect(await count('customer_events')).toBe(events + added.length);
    expect(await inbox()).toEqual(added);
    if (dialect === 'sqlite') expect(await storedIds(CLIENT, ks.slice(0, 70))).toEqual(added);
  });

  it("the system's keys stored before, inside a 64-row chunk: duplicates whatever their content, with the stored ids", async () => {
    const sys = (i: number, key: string, amount = 1) => event(i, key, amount, SYSTEM_CLIENT);
    const before = await record([sys(3, 'order:o-3:order_paid'), sys(40, 'order:o-40:order_paid')], false);
    const ks = keys('order:n', 64).map((k, i) => (i === 3 ? 'order:o-3:order_paid' : i === 40 ? 'order:o-40:order_paid' : k));
    const r = await record(
      ks.map((k, i) => sys(i, k, i === 40 ? 9 : 1)),
      false,
    );
    expect(r.outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    expect(r.ids[3]).toBe(before.ids[0]);
    expect(r.ids[40]).toBe(before.ids[1]);
    expect(r.inserted).toHaveLength(62);
    await expectIdsAreStored(r, SYSTEM_CLIENT, ks);
  });
});
