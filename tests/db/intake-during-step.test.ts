/**
 * An exit event taken in by the intake while a batch holding its journey is being stepped in the
 * same process. The batch read the journey's events before the payment was stored and commits
 * after the intake consumed it; the intake's wake-up found the journey still due and did nothing,
 * and the batch then put it to sleep for its 2-hour wait: a paid order's reminder journey stayed
 * active until then (SQLite: the batch's reads are not in its write transaction). The runtime now
 * lets the intake consume only between batches, so its wake-up finds the journey asleep and wakes it.
 * A worker's batch (another process: `stepStored`, PostgreSQL) is not behind that; there the
 * intake's wake-up skipped the journey the worker held (due in its snapshot) instead of waiting
 * for the worker's lock, and now waits for it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const workspace = openWorkspace('rules');

describe.each(DIALECTS)('the intake during a stepping batch on %s', (dialect) => {
  let db: TestDatabase;
  let rt: EngineRuntime;
  const clock = new VirtualClock(T0);
  const original = TypeOrmJourneyStore.prototype.events;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    rt = createEngineRuntime(db.dataSource, workspace, clock);
    const { flow } = loadValidFlow(workspace.rulesDir, 'payment-reminder', rt.rules);
    await rt.flows.publish(flow, 'test', T0 - MS_PER_HOUR);
  });
  afterAll(async () => {
    TypeOrmJourneyStore.prototype.events = original;
    await db?.close();
  });

  const inbox = (eventId: number, at: number) => executeBatch(db.dataSource, [{ sql: 'INSERT INTO event_inbox (event_id, received_at) VALUES (?, ?)', params: [eventId, at] }]);

  /** Steps the due journeys as `rekindle worker` does (a batch re-read and locked in its own transaction), or in this process. */
  const step = async (asWorker: boolean) => {
    if (!asWorker) return rt.engine.tick();
    const due = await queryRows<{ id: number; customer_id: number }>(db.dataSource, `SELECT id, customer_id FROM enrollments WHERE status = 'active' AND wake_at <= ?`, [clock.now()]);
    return rt.engine.stepper.stepStored(clock.now(), due.map((r) => ({ id: Number(r.id), customerId: Number(r.customer_id) })));
  };

  const cases: [string, boolean][] = [['a batch stepped in this process', false]];
  if (dialect === 'postgres') cases.push(['a worker\'s batch', true]);
  it.each(cases)('a payment consumed between %s reading its events and committing ends the journey at the next tick', async (_, asWorker) => {
    const ds = db.dataSource;
    const t0 = asWorker ? T0 + 10 * MS_PER_HOUR : T0;
    const order = asWorker ? 'o-2' : 'o-1';
    const [customer] = await addCustomers(ds, [{ externalId: `buyer-${order}` }], t0 - MS_PER_HOUR);
    clock.set(t0);
    // Placed 3 hours before: its 2-hour wait is over, so the new journey is due for a step (a fresh
    // order's journey starts asleep in its wait: core/engine/first-wait.ts).
    const created = await addEvent(ds, customer, 'order_created', { orderId: order }, t0 - 3 * MS_PER_HOUR);
    await inbox(created.id, t0);
    await rt.intake.drain();
    clock.set(t0 + 1000);

    // The batch's exit check reads the journey's events; right after that read the payment is
    // stored and the intake is nudged, as a request and the intake's nudge would do meanwhile.
    let nudged: Promise<unknown> | null = null;
    TypeOrmJourneyStore.prototype.events = async function (this: TypeOrmJourneyStore, ...args: Parameters<typeof original>) {
      const seen = await original.apply(this, args);
      if (!nudged) {
        const paid = await addEvent(ds, customer, 'order_paid', { orderId: order }, t0 + 500);
        await inbox(paid.id, t0 + 500);
        nudged = rt.intake.drain();
        await new Promise((r) => setTimeout(r, 200)); // the intake's turn, if it may take it now
      }
      return seen;
    };
    await step(asWorker);
    TypeOrmJourneyStore.prototype.events = original;
    expect(nudged).not.toBeNull();
    await nudged;

    clock.set(t0 + 2000);
    await rt.engine.tick();
    const [j] = await queryRows(ds, `SELECT status, exit_reason FROM enrollments WHERE journey_key = ?`, [order]);
    expect(j).toMatchObject({ status: 'completed', exit_reason: 'order_paid' });
  });
});
