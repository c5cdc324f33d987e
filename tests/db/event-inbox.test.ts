import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { EventIntake } from '../../server/src/core/engine/event-intake.js';
import { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { intakeStatus, SqlEventInbox } from '../../server/src/persistence/event-inbox.js';
import { DEFAULT_CLIENT, recordEvents, type NewCustomerEvent } from '../../server/src/persistence/event-log.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { upsertOrders } from '../../server/src/persistence/shop-repository.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import type { DataSource } from 'typeorm';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, TZ } from '../support/shop-fixtures.js';

const reminder: Flow = FlowSchema.parse({
  id: 'reminder',
  name: 'Reminder',
  exitOn: [{ event: 'order_paid', match: { orderId: '$key' } }],
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait' },
    { id: 'wait', type: 'wait', duration: '2h', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});
const vipOnly: Flow = FlowSchema.parse({
  id: 'vip-welcome',
  name: 'VIP',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signed_up', segment: 'vip' }, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const T0 = Date.parse('2026-11-11T00:00:00Z');

function engineFor(ds: DataSource, clock: VirtualClock) {
  return new JourneyEngine({
    clock,
    store: new TypeOrmJourneyStore(ds, defaultShopConfig),
    flows: new FlowRepository(ds),
    // The whole-shop segment must never be computed for an event trigger.
    segments: { customerIds: async () => { throw new Error('whole-shop segment computed for an event trigger'); } },
    rulesFor: () => ({ evaluate: async (ref, facts) => ({ matched: ref.rule === 'vip' && Boolean((facts as { tags?: string[] }).tags?.includes('vip')), explanation: {} }) }),
    timezone: TZ,
  });
}

const count = async (ds: DataSource, sql: string, params: unknown[] = []) => Number((await queryRows(ds, sql, params))[0].n);

describe.each(DIALECTS)('durable event inbox on %s', (dialect) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let ids: number[];
  let n = 0;
  const order = (customerId: number, type = 'order_created', orderId = `o${n++}`): NewCustomerEvent => ({ customerId, type, properties: { orderId }, occurredAt: clock.now(), idempotencyKey: `k-${type}-${orderId}`, clientId: DEFAULT_CLIENT });
  const record = (events: NewCustomerEvent[]) => writeTransaction(db.dataSource, (m) => recordEvents(m, events, clock.now()));

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    const flows = new FlowRepository(db.dataSource);
    await flows.publish(reminder, 'test', T0 - MS_PER_HOUR);
    await flows.publish(vipOnly, 'test', T0 - MS_PER_HOUR);
    ids = await addCustomers(db.dataSource, [{ externalId: 'a' }, { externalId: 'b', tags: ['vip'] }, { externalId: 'c' }], T0);
  });
  afterAll(async () => db?.close());

  it('queues every stored event and consumes it once, with its enrollments, in one transaction', async () => {
    const r = await record([order(ids[0]), order(ids[1]), order(ids[2])]);
    expect(r.inserted).toHaveLength(3);
    expect(await count(db.dataSource, 'SELECT COUNT(*) AS n FROM event_inbox')).toBe(3);
    const intake = new EventIntake(engineFor(db.dataSource, clock), new SqlEventInbox(db.dataSource));
    expect(await intake.drain()).toMatchObject({ events: 3, enrolled: 3 });
    expect(await intake.drain()).toMatchObject({ events: 0, enrolled: 0 });
    expect(await count(db.dataSource, 'SELECT COUNT(*) AS n FROM event_inbox')).toBe(0);
    expect(await count(db.dataSource, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'reminder'")).toBe(3);
    const status = await intakeStatus(db.dataSource);
    expect(status).toMatchObject({ pending: 0, consumed: 3 });
    expect(status.flows.find((f) => f.flowId === 'reminder')).toMatchObject({ matched: 3, enrolled: 3 });
  });

  it('a failure before the commit consumes nothing; the next drain does it exactly once', async () => {
    await record([order(ids[0]), order(ids[1])]);
    const engine = engineFor(db.dataSource, clock);
    // The last statement of the consuming transaction (the per-flow figures) fails: enrollments,
    // wake-ups and the inbox delete were already written in it and must all roll back.
    await db.dataSource.query('ALTER TABLE event_intake_flows RENAME TO event_intake_flows_gone');
    const failing = new EventIntake(engine, new SqlEventInbox(db.dataSource));
    // (The driver's error may come from another realm than jest's, so no toThrow here.)
    let failure: unknown = null;
    try {
      await failing.drain();
    } catch (e) {
      failure = e;
    } finally {
      await db.dataSource.query('ALTER TABLE event_intake_flows_gone RENAME TO event_intake_flows');
    }
    expect(String(failure)).toMatch(/event_intake_flows/);
    expect(await count(db.dataSource, 'SELECT COUNT(*) AS n FROM event_inbox')).toBe(2);
    expect(await count(db.dataSource, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'reminder'")).toBe(3);
    expect(await new EventIntake(engine, new SqlEventInbox(db.dataSource)).drain()).toMatchObject({ events: 2, enrolled: 2 });
    expect(await count(db.dataSource, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'reminder'")).toBe(5);
  });

  it("evaluates an event trigger's segment for the events' customers only", async () => {
    await record([{ ...order(ids[0], 'signed_up'), properties: {} }, { ...order(ids[1], 'signed_up'), properties: {} }]);
    const intake = new EventIntake(engineFor(db.dataSource, clock), new SqlEventInbox(db.dataSource));
    await intake.drain();
    expect((await queryRows(db.dataSource, "SELECT customer_id FROM enrollments WHERE flow_id = 'vip-welcome'")).map((r) => Number(r.customer_id))).toEqual([ids[1]]);
  });

  it("a client key can never take the system's key of an order event", async () => {
    // A client posts the key the system will use when order o-spoof is paid.
    const spoof = await record([{ customerId: ids[2], type: 'order_paid', properties: { orderId: 'o-spoof' }, occurredAt: clock.now(), idempotencyKey: 'order:o-spoof:order_paid', clientId: DEFAULT_CLIENT }]);
    expect(spoof.inserted).toHaveLength(1);
    const ctx = { now: clock.now(), timezone: TZ };
    const base = { externalId: 'o-spoof', customerExternalId: 'c', amount: 10, createdAt: clock.now(), items: [{ sku: 's', category: 'dress', quantity: 1 }] };
    await writeTransaction(db.dataSource, (m) => upsertOrders(m, [{ ...base, status: 'created' } as never], ctx));
    const paid = await writeTransaction(db.dataSource, (m) => upsertOrders(m, [{ ...base, status: 'paid', paidAt: clock.now() } as never], ctx));
    expect(paid.events.map((e) => e.idempotencyKey)).toEqual(['order:o-spoof:order_paid']);
    expect(await count(db.dataSource, "SELECT COUNT(*) AS n FROM customer_events WHERE idempotency_key = 'order:o-spoof:order_paid'")).toBe(2);
  });

  it('the same client key with other content is a conflict; with the same content a duplicate', async () => {
    const e = order(ids[0], 'coupon_clicked', 'x1');
    await record([e]);
    const again = await record([e, { ...e, properties: { orderId: 'other' } }, { ...e, customerId: ids[1] }]);
    expect(again.outcomes).toEqual(['duplicate', 'conflict', 'conflict']);
    expect(again.inserted).toHaveLength(0);
  });

  it('writes one consumed_events row per consumed event, at the moment the batch acted, for batches wider than one statement', async () => {
    await new EventIntake(engineFor(db.dataSource, clock), new SqlEventInbox(db.dataSource)).drain();
    // 120 events: more than one 50-row statement on SQLite, one unnest on PostgreSQL.
    const r = await record(Array.from({ length: 120 }, (_, i) => order(ids[i % 3])));
    const stored = r.inserted.map((e) => e.id).sort((a, b) => a - b);
    clock.advance(5 * 60_000); // acted on later than stored: consumed_at is the batch's moment, not the arrival
    expect(await new EventIntake(engineFor(db.dataSource, clock), new SqlEventInbox(db.dataSource), 1000).drain()).toMatchObject({ events: 120, batches: 1 });
    const rows = await queryRows(db.dataSource, `SELECT event_id, consumed_at FROM consumed_events WHERE event_id >= ? ORDER BY event_id`, [stored[0]]);
    expect(rows.map((x) => Number(x.event_id))).toEqual(stored);
    expect(new Set(rows.map((x) => Number(x.consumed_at)))).toEqual(new Set([clock.now()]));
  });

  it('an intake whose events another consumed while it planned writes nothing and gives way', async () => {
    await new EventIntake(engineFor(db.dataSource, clock), new SqlEventInbox(db.dataSource)).drain();
    await record([order(ids[0]), order(ids[1])]);
    const enrolled = () => count(db.dataSource, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'reminder'");
    const consumed = () => count(db.dataSource, 'SELECT COUNT(*) AS n FROM consumed_events');
    const [enrolledBefore, consumedBefore] = [await enrolled(), await consumed()];
    const engine = engineFor(db.dataSource, clock);
    let inner: unknown;
    const outer = await new SqlEventInbox(db.dataSource).consume(100, async (events) => {
      // A second process takes the same events while this one plans (SQLite: it reads them before its write transaction).
      inner = await new SqlEventInbox(db.dataSource).consume(100, (e) => engine.planEvents(e));
      return engine.planEvents(events);
    });
    if (dialect === 'sqlite') {
      expect(inner).toMatchObject({ events: 2, enrolled: 2 });
      expect(outer).toBeNull();
    } else {
      // PostgreSQL: the first holds the consumer row's lock; the second finds it taken and gives way.
      expect(inner).toBeNull();
      expect(outer).toMatchObject({ events: 2, enrolled: 2 });
    }
    expect(await enrolled()).toBe(enrolledBefore + 2);
    expect(await consumed()).toBe(consumedBefore + 2);
    expect(await count(db.dataSource, 'SELECT COUNT(*) AS n FROM event_inbox')).toBe(0);
  });

  if (dialect === 'postgres') {
    it('two processes draining at once consume each event exactly once', async () => {
      const other = await openDatabase(db.target);
      try {
        await new EventIntake(engineFor(db.dataSource, clock), new SqlEventInbox(db.dataSource)).drain();
        const batch = Array.from({ length: 300 }, (_, i) => order(ids[i % 3]));
        await record(batch);
        const a = new EventIntake(engineFor(db.dataSource, clock), new SqlEventInbox(db.dataSource), 20);
        const b = new EventIntake(engineFor(other, clock), new SqlEventInbox(other), 20);
        const before = await count(db.dataSource, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'reminder'");
        const runs = await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
        await a.drain();
        expect(runs.reduce((s, r) => s + r.events, 0)).toBeLessThanOrEqual(300);
        expect(await count(db.dataSource, "SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'reminder'")).toBe(before + 300);
        expect(await count(db.dataSource, 'SELECT COUNT(*) AS n FROM event_inbox')).toBe(0);
      } finally {
        await other.destroy();
      }
    });
  }
});
