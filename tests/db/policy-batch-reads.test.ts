import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import type { Customer } from '../../server/src/core/data/model.js';
import type { SendRequest } from '../../server/src/core/engine/model.js';
import type { Facts } from '../../server/src/core/facts/derive.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import type { BatchReads } from '../../server/src/core/policy/ports.js';
import type { PolicyRequest } from '../../server/src/core/policy/review.js';
import { PolicySchema } from '../../server/src/core/policy/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { PolicyStore } from '../../server/src/persistence/policy-store.js';
import { queryRows, toPgPlaceholders } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';
import { addCustomers, addEvent, addOrder, TZ } from '../support/shop-fixtures.js';

/** 10:00 in Shanghai on 2 Nov 2026 (outside the SMS quiet hours). */
const T0 = Date.parse('2026-11-02T02:00:00Z');
const LIST = 'do-not-contact';

/** Give-up after three delivered, unanswered marketing touches; a block list; no caps in the way. */
const policy = PolicySchema.parse({
  caps: [],
  giveUp: { after: 3, within: '30d', pauseFor: '60d' },
  suppression: { lists: [LIST] },
});

/** An SMS whose text names a fact, so the stepping batch reads its customers' facts before the review. */
const factsNote = FlowSchema.parse({
  id: 'facts-note',
  name: 'facts-note',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'go' }, reentry: { policy: 'always' }, next: 'send' },
    { id: 'send', type: 'send', channel: 'sms', category: 'marketing', template: '您已下单 {{facts.orderCount}} 次', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const rowsOf = (ds: DataSource, customerId: number) =>
  queryRows<{ status: string; reason: string | null }>(ds, 'SELECT status, reason FROM sends WHERE customer_id = ? ORDER BY scheduled_at, id', [customerId]);
const sql = (ds: DataSource, text: string) => (ds.options.type === 'postgres' ? toPgPlaceholders(text) : text);

describe.each(DIALECTS)("the contact policy of a stepping batch uses the batch's own reads on %s", (dialect) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let store: PolicyStore;

  /** Three touches delivered to each customer on three days, then the clock a day later. */
  async function threeDeliveredTouches(ids: number[]): Promise<void> {
    const engine = ruleFreeEngine(db.dataSource, clock, { policy: store, groups: store });
    for (let day = 0; day < 3; day++) {
      await engine.onEvents(await Promise.all(ids.map((id) => addEvent(db.dataSource, id, 'go', {}, clock.now()))));
      await engine.tick();
      await db.dataSource.query(sql(db.dataSource, `UPDATE sends SET status = 'sent', sent_at = scheduled_at WHERE status = 'queued'`));
      clock.advance(25 * MS_PER_HOUR);
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    store = new PolicyStore(db.dataSource, { timezone: TZ, policy: () => policy, list: () => new Set(['listed-in-db', 'listed-in-batch']) });
    await new FlowRepository(db.dataSource).publish(factsNote, 'test', T0 - MS_PER_HOUR);
  });
  afterAll(async () => db?.close());

  it("takes block-list external ids and last orders from the batch's reads, not from a second read of its own", async () => {
    const [named, tired] = await addCustomers(db.dataSource, [{ externalId: 'named-differently' }, { externalId: 'tired-of-it' }], clock.now());
    await threeDeliveredTouches([tired]);
    const now = clock.now();
    const request = (customerId: number): { request: PolicyRequest; send: SendRequest } => ({
      request: { key: `k-${customerId}-${now}`, customerId, category: 'marketing', priority: 50, campaign: null, options: [{ channel: 'sms', unavailable: null }], flowCaps: [], multiTouchShare: null, onCapped: 'skip', expiresAt: null, urgent: false },
      send: {} as SendRequest, // a batch's review decides on the request alone (the stepper writes the row)
    });
    const review = (reads?: BatchReads) =>
      BatchUnit.run(db.dataSource, { customerIds: [named, tired], enrollmentIds: [] }, (unit) => store.within(unit, [named, tired], reads).review([request(named), request(tired)], now));

    // Without the batch's reads: the stored external id is on no list; the stored facts know no order.
    const own = await review();
    expect([own.get(`k-${named}-${now}`)?.status, own.get(`k-${tired}-${now}`)?.reason?.replace(/until-.*/, 'until')]).toEqual(['queued', 'given-up:until']);

    // With them: what the batch read is what counts (here it says something the tables do not,
    // which only shows whether the policy read the tables again).
    const customers = await new TypeOrmJourneyStore(db.dataSource, defaultShopConfig).customers([named, tired]);
    const asRead = new Map<number, Customer>([...customers].map(([id, c]) => [id, id === named ? { ...c, externalId: 'listed-in-batch' } : c]));
    const facts = new Map<number, Facts>([[tired, { lastOrderAt: now - MS_PER_HOUR }]]);
    const batch = await review({ customers: async () => asRead, factsIfRead: () => Promise.resolve(facts) });
    expect([batch.get(`k-${named}-${now}`), batch.get(`k-${tired}-${now}`)?.status]).toEqual([{ status: 'blocked', channel: 'sms', reason: `blocked:list:${LIST}` }, 'queued']);
  });

  it("reads a dense batch's last orders by its id range, and answers only for the batch's own customers", async () => {
    const ids = await addCustomers(db.dataSource, Array.from({ length: 40 }, (_, i) => ({ externalId: `dense-${i}` })), clock.now());
    await threeDeliveredTouches(ids);
    const [ordered, outside] = [ids[5], ids[20]];
    for (const id of [ordered, outside]) {
      await addOrder(db.dataSource, { externalId: `dense-order-${id}`, customerId: id, status: 'paid', amount: 99, createdAt: clock.now() - MS_PER_HOUR, paidAt: clock.now() - MS_PER_HOUR });
    }
    await db.dataSource.query(sql(db.dataSource, 'UPDATE customer_facts SET last_order_at = ? WHERE customer_id IN (?, ?)'), [clock.now() - MS_PER_HOUR, ordered, outside]);
    const batch = ids.filter((id) => id !== outside); // inside the batch's id range, not in the batch
    const now = clock.now();
    const request = (customerId: number): { request: PolicyRequest; send: SendRequest } => ({
      request: { key: `d-${customerId}-${now}`, customerId, category: 'marketing', priority: 50, campaign: null, options: [{ channel: 'sms', unavailable: null }], flowCaps: [], multiTouchShare: null, onCapped: 'skip', expiresAt: null, urgent: false },
      send: {} as SendRequest,
    });
    const verdicts = await BatchUnit.run(db.dataSource, { customerIds: batch, enrollmentIds: [] }, (unit) => store.within(unit, batch).review(batch.map(request), now));
    expect(verdicts.size).toBe(batch.length);
    expect(verdicts.get(`d-${ordered}-${now}`)?.status).toBe('queued');
    for (const id of batch) if (id !== ordered) expect(verdicts.get(`d-${id}-${now}`)?.reason).toMatch(/^given-up:until/);
  });

  it('through the engine, with a send that reads the facts: a purchase after the touches lifts give-up, a listed customer is blocked', async () => {
    const [tired, ordered, listed] = await addCustomers(db.dataSource, [{ externalId: 'e2e-tired' }, { externalId: 'e2e-ordered' }, { externalId: 'listed-in-db' }], clock.now());
    await threeDeliveredTouches([tired, ordered]);
    await addOrder(db.dataSource, { externalId: 'e2e-order-1', customerId: ordered, status: 'paid', amount: 120, createdAt: clock.now() - MS_PER_HOUR, paidAt: clock.now() - MS_PER_HOUR });
    const engine = ruleFreeEngine(db.dataSource, clock, { policy: store, groups: store });
    await engine.onEvents(await Promise.all([tired, ordered, listed].map((id) => addEvent(db.dataSource, id, 'go', {}, clock.now()))));
    await engine.tick();
    const last = async (id: number) => (await rowsOf(db.dataSource, id)).at(-1);
    expect((await last(tired))?.reason?.replace(/until-.*/, 'until')).toBe('given-up:until');
    expect(await last(ordered)).toEqual({ status: 'queued', reason: null });
    expect(await last(listed)).toEqual({ status: 'blocked', reason: `blocked:list:${LIST}` });
  });
});
