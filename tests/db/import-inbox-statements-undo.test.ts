import { afterEach, describe, expect, it } from '@jest/globals';
import { fixedClock, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { EventIntake } from '../../server/src/core/engine/event-intake.js';
import { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { SqlEventInbox } from '../../server/src/persistence/event-inbox.js';
import { DEFAULT_CLIENT, recordEvents } from '../../server/src/persistence/event-log.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { recordPreparedStatements } from '../support/prepared-statements.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, TZ } from '../support/shop-fixtures.js';

/**
 * The import's set-based chunk statements (order-chunk-sqlite.ts) and the event inbox's
 * consuming transaction (event-inbox.ts) run inside one transaction that rolls back as a whole,
 * so on SQLite they are prepared as `INSERT OR FAIL` / `UPDATE OR FAIL`: no statement journal
 * (bench/README.md). What must not change: a row that breaks a constraint midway still fails the
 * whole chunk and leaves nothing of it.
 */
const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

/** The message a write failed with, or null (no `rejects.toThrow`: see batch-statements-undo.test.ts). */
const failureOf = (p: Promise<unknown>): Promise<string | null> => p.then(() => null, (e: unknown) => String((e as Error)?.message ?? e));

const NOW = Date.parse('2026-02-01T00:00:00Z');
const HEADER = 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items';
const T = Date.parse('2025-06-01T00:00:00Z');
const csv = (lines: string[]) => [HEADER, ...lines].join('\n') + '\n';

async function shopWithCustomers(dialect: (typeof DIALECTS)[number]): Promise<TestDatabase> {
  const db = await openTestDatabase(dialect);
  opened.push(db);
  const r = await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: ['externalId,name\nk1,A\nk2,B\nk3,C\n'], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
  expect(r.created).toBe(3);
  return db;
}

const importOrders = (db: TestDatabase, lines: string[], batchSize = 100) =>
  importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [csv(lines)], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize });

const n = async (db: TestDatabase, sql: string) => Number((await queryRows<{ n: number }>(db.dataSource, sql))[0].n);

describe('the import chunk and the inbox prepare their writes without a statement journal on SQLite', () => {
  it("prepares the chunk's order, event, inbox inserts and the facts update as OR FAIL", async () => {
    const db = await shopWithCustomers('sqlite');
    const prepared = recordPreparedStatements(db.dataSource);
    const r = await importOrders(db, [`a1,k1,paid,10,${T},${T + 1},,s1:dress`, `a2,k2,created,5,${T},,,s2:tops`]);
    expect(r).toMatchObject({ created: 2, failed: 0 });
    // The staged chunk (orders, events) or its per-customer aggregate (the facts update).
    const writes = prepared.filter((t) => /^\s*(INSERT|UPDATE)\b[^(]*\b(orders|customer_events|event_inbox|customer_facts)\b/.test(t) && /rekindle_import_(orders|facts)/.test(t));
    const heads = writes.map((t) => t.trim().split(/\s+/).slice(0, 5).join(' ')).sort();
    expect(heads).toEqual(['INSERT OR FAIL INTO customer_events', 'INSERT OR FAIL INTO orders', 'UPDATE OR FAIL customer_facts SET'].sort());
    expect(prepared.some((t) => /^INSERT OR FAIL INTO event_inbox \(event_id, received_at\) SELECT/.test(t))).toBe(true);
    // The event insert keeps its own conflict clause (a stored system key is a duplicate, skipped).
    expect(writes.find((t) => /customer_events/.test(t))).toMatch(/ON CONFLICT \(client_id, idempotency_key\) DO NOTHING/);
  });

  it("prepares the inbox drain's enrollment inserts and updates as OR FAIL", async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    const clock = new VirtualClock(Date.parse('2026-11-11T00:00:00Z'));
    const flow = FlowSchema.parse({
      id: 'reminder',
      name: 'Reminder',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait' },
        { id: 'wait', type: 'wait', duration: '2h', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    const flows = new FlowRepository(db.dataSource);
    await flows.publish(flow, 'test', clock.now() - MS_PER_HOUR);
    const ids = await addCustomers(db.dataSource, [{ externalId: 'a' }, { externalId: 'b' }], clock.now());
    await writeTransaction(db.dataSource, (m) =>
      recordEvents(m, ids.map((customerId, i) => ({ customerId, type: 'order_created', properties: { orderId: `o${i}` }, occurredAt: clock.now(), idempotencyKey: `k${i}`, clientId: DEFAULT_CLIENT })), clock.now()),
    );
    const prepared = recordPreparedStatements(db.dataSource);
    const engine = new JourneyEngine({
      clock,
      store: new TypeOrmJourneyStore(db.dataSource, defaultShopConfig),
      flows,
      segments: { customerIds: async () => [] },
      rulesFor: () => ({ evaluate: async () => ({ matched: false, explanation: {} }) }),
      timezone: TZ,
    });
    expect(await new EventIntake(engine, new SqlEventInbox(db.dataSource)).drain()).toMatchObject({ events: 2, enrolled: 2 });
    const enrollmentInsert = prepared.filter((t) => /INTO enrollments /.test(t));
    expect(enrollmentInsert.length).toBeGreaterThan(0);
    for (const t of enrollmentInsert) expect(t).toMatch(/^INSERT OR FAIL INTO enrollments .*ON CONFLICT \(flow_id, entry_key\) DO NOTHING$/s);
    expect(prepared.some((t) => /^UPDATE OR FAIL event_consumers SET/.test(t))).toBe(true);
  });
});

describe.each(DIALECTS)('an order chunk is still all or nothing, on %s', (dialect) => {
  it('a row that breaks a unique index in a later statement of the chunk leaves nothing of the chunk', async () => {
    const db = await shopWithCustomers(dialect);
    const first = await importOrders(db, [`a0,k1,paid,1,${T - 1000},${T - 999},,s0:kids`]);
    expect(first).toMatchObject({ created: 1, failed: 0 });
    const facts = await queryRows(db.dataSource, 'SELECT customer_id, order_count, total_spent, categories FROM customer_facts ORDER BY customer_id');
    // Test-only: two events at the same instant now break a unique index of customer_events, the
    // chunk's second statement (after its orders were written), at its third row.
    await db.dataSource.query('CREATE UNIQUE INDEX test_one_event_an_instant ON customer_events (occurred_at)');
    const error = await failureOf(importOrders(db, [`a1,k1,paid,10,${T},${T + 1},,s1:dress`, `a2,k2,paid,20,${T + 5},${T + 6},,s2:tops`, `a3,k3,paid,30,${T},${T + 1},,s3:bags`, `a4,k2,created,5,${T + 9},,,s4:home`]));
    expect(error).toMatch(/lines 2-5: the batch could not be written \(nothing of it was kept\).*(UNIQUE|unique|duplicate)/s);
    expect(await n(db, 'SELECT COUNT(*) AS n FROM orders')).toBe(1);
    expect(await n(db, 'SELECT COUNT(*) AS n FROM customer_events')).toBe(1);
    expect(await n(db, 'SELECT COUNT(*) AS n FROM event_inbox')).toBe(1);
    expect(await queryRows(db.dataSource, 'SELECT customer_id, order_count, total_spent, categories FROM customer_facts ORDER BY customer_id')).toEqual(facts);
  });
});
