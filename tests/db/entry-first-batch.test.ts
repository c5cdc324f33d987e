import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A schedule/audience entry takes its new journeys' first steps in the same transaction as the
 * entry (JourneyEngine.enterAndStep, Stepper.stepEntered): each enrollment is inserted where its
 * first batch leaves it. These pin that the rows are those of the two-step way (written at the
 * entry node, then stepped by the tick's batches), that a batch which fails leaves nothing, and
 * that an entry key taken by someone else meanwhile is neither lost nor doubled.
 */

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const rules = tempDir('rekindle-entry-first-batch-rules-');
cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
writeFileSync(
  join(rules, 'segments', 'test-everyone.yaml'),
  'name: test-everyone\ntitle: 所有人\nconditions:\n  all:\n    - fact: orderCount\n      operator: greaterThanInclusive\n      value: 0\n',
);
const opened: TestDatabase[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  for (const db of opened.splice(0)) await db.close();
});

const flow = FlowSchema.parse({
  id: 'entry-first-batch',
  name: 'entry and first batch',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'test-everyone', startAt: new Date(T0).toISOString() }, reentry: { policy: 'never' }, next: 'vip' },
    { id: 'vip', type: 'condition', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 0 }] }, yes: 'cap', no: 'done' },
    { id: 'cap', type: 'limit', max: 3, mode: 'split', next: 'hello' },
    { id: 'hello', type: 'send', channel: 'email', category: 'care', template: 'hi', next: 'pause' },
    { id: 'pause', type: 'wait', duration: '1d', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

/** Seven customers, batches of 2 (so the entry has four batches and the limit's count crosses them). */
async function shop(dialect: (typeof DIALECTS)[number]) {
  const db = await openTestDatabase(dialect);
  opened.push(db);
  const clock = new VirtualClock(T0);
  const rt = createEngineRuntime(db.dataSource, openWorkspace(rules), clock, { batchSize: 2 });
  await rt.flows.publish(flow, 'test', T0 - 1);
  const ids = await addCustomers(db.dataSource, [1, 2, 3, 4, 5, 6, 7].map((i) => ({ externalId: `e${i}`, email: `e${i}@example.com`, consent: { email: true } })), T0 - MS_PER_HOUR);
  const q = (sql: string) => queryRows(db.dataSource, sql);
  return { db, clock, rt, ids, q };
}

/** What a journey's rows say, without ids the two ways may number differently (the log's own ids). */
async function journeys(q: (sql: string) => Promise<Record<string, unknown>[]>) {
  const enrollments = await q(
    `SELECT id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, arm, waiting_for, exit_reason, entry_key, updated_at, group_label
       FROM enrollments ORDER BY id`,
  );
  const steps = await q('SELECT enrollment_id, customer_id, node_id, at, outcome, detail, detail_key FROM journey_steps ORDER BY enrollment_id, id');
  const sends = await q('SELECT idempotency_key, enrollment_id, customer_id, node_id, status, scheduled_at, group_label FROM sends ORDER BY idempotency_key');
  const counters = await q('SELECT flow_id, node_id, window_start, passed FROM limit_counters ORDER BY node_id');
  const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : v])));
  return { enrollments: norm(enrollments), steps: norm(steps), sends: norm(sends), counters: norm(counters) };
}

describe.each(DIALECTS)('an entry with its first batch, on %s', (dialect) => {
  it('writes each new journey where its first batch leaves it: the same rows as entering first and stepping in the tick', async () => {
    const together = await shop(dialect);
    const enroll = jest.spyOn(TypeOrmJourneyStore.prototype, 'enroll');
    const due = jest.spyOn(TypeOrmJourneyStore.prototype, 'dueEnrollments');
    const tick = await together.rt.engine.tick();
    // Nobody written at the entry node, nobody read back as due: the tick's own batches found nothing.
    expect(enroll).not.toHaveBeenCalled();
    expect((await Promise.all(due.mock.results.map((r) => r.value as Promise<unknown[]>))).flat()).toEqual([]);
    jest.restoreAllMocks();
    expect(tick.entries.map((e) => e.enrolled)).toEqual([7]);
    expect(tick.steps.steps).toBe(7 * 3); // vip, cap, hello; then each waits a day

    const apart = await shop(dialect);
    const [entry] = await apart.rt.engine.runDueEntries();
    expect(entry.enrolled).toBe(7);
    expect(Number((await apart.q("SELECT COUNT(*) AS n FROM enrollments WHERE node_id = 'vip' AND step_count = 0"))[0].n)).toBe(7);
    const stepped = await apart.rt.engine.stepper.tick();
    expect(stepped.steps).toBe(tick.steps.steps);
    expect(stepped.sends).toBe(tick.steps.sends);

    const a = await journeys(together.q);
    expect(a).toEqual(await journeys(apart.q));
    expect(a.enrollments.map((e) => [e.node_id, e.step_count, e.group_label])).toEqual([
      ...[1, 2, 3].map(() => ['pause', 3, 'cap-1']),
      ...[4, 5, 6].map(() => ['pause', 3, 'cap-2']),
      ['pause', 3, 'cap-3'],
    ]);
    // Each journey's entry line comes first, once.
    for (const e of a.enrollments) expect(a.steps.filter((s) => s.enrollment_id === e.id).map((s) => s.outcome)).toEqual(['entered', 'yes', 'group:cap-' + e.group_label!.toString().slice(-1), 'queued']);
    expect(a.sends).toHaveLength(7);

    // The next day both go on alike.
    together.clock.advance(25 * MS_PER_HOUR);
    apart.clock.advance(25 * MS_PER_HOUR);
    await together.rt.engine.tick();
    await apart.rt.engine.tick();
    expect(await journeys(together.q)).toEqual(await journeys(apart.q));
  });

  it('a batch that fails between the entry and its commit leaves nothing behind; the next tick enters everyone once', async () => {
    const { rt, clock, q, ids } = await shop(dialect);
    const commit = TypeOrmJourneyStore.prototype.commitStep;
    let createdBatches = 0;
    jest.spyOn(TypeOrmJourneyStore.prototype, 'commitStep').mockImplementation(function (this: TypeOrmJourneyStore, ...args: Parameters<TypeOrmJourneyStore['commitStep']>) {
      // The second batch of new journeys dies after its steps were taken, before its commit.
      if ((args[3]?.length ?? 0) > 0 && ++createdBatches === 2) return Promise.reject(new Error('the process died here'));
      return commit.apply(this, args);
    });
    await expect(rt.engine.tick()).rejects.toThrow('the process died here');
    // The first batch committed whole; nothing of the second one or after it.
    expect((await q('SELECT customer_id FROM enrollments ORDER BY customer_id')).map((r) => Number(r.customer_id))).toEqual(ids.slice(0, 2));
    expect(Number((await q('SELECT COUNT(*) AS n FROM journey_steps'))[0].n)).toBe(2 * 4);
    expect(Number((await q('SELECT COUNT(*) AS n FROM sends'))[0].n)).toBe(2);
    expect(Number((await q("SELECT passed FROM limit_counters WHERE node_id = 'cap'"))[0].passed)).toBe(2);

    jest.restoreAllMocks();
    clock.advance(MS_PER_HOUR);
    const again = await rt.engine.tick();
    expect(again.entries.map((e) => [e.enrolled, e.refused])).toEqual([[5, { 'already-in-journey': 2 }]]);
    const enrollments = await q('SELECT id, customer_id, node_id, step_count FROM enrollments ORDER BY customer_id');
    expect(enrollments.map((r) => Number(r.customer_id))).toEqual(ids);
    expect(enrollments.every((r) => r.node_id === 'pause' && Number(r.step_count) === 3)).toBe(true);
    // One entry line and one message a journey; no log line of a journey that was never written.
    const entered = await q("SELECT enrollment_id, COUNT(*) AS n FROM journey_steps WHERE outcome = 'entered' GROUP BY enrollment_id");
    expect(entered.map((r) => Number(r.n))).toEqual(ids.map(() => 1));
    expect(Number((await q('SELECT COUNT(*) AS n FROM journey_steps s WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.id = s.enrollment_id)'))[0].n)).toBe(0);
    expect(Number((await q('SELECT COUNT(DISTINCT enrollment_id) AS n FROM sends'))[0].n)).toBe(7);
    expect(Number((await q("SELECT passed FROM limit_counters WHERE node_id = 'cap'"))[0].passed)).toBe(7);
    // The audience ran once it went through.
    clock.advance(MS_PER_HOUR);
    expect((await rt.engine.tick()).entries).toEqual([]);
  });

  it('an entry key taken by another process after the plan read the history: nobody enters twice, the others step at once', async () => {
    const { rt, q, ids, db } = await shop(dialect);
    // Another process entered customer 3 of this run between this plan's history read and its batch.
    jest.spyOn(TypeOrmJourneyStore.prototype, 'entryHistory').mockImplementation(async () => {
      await db.dataSource.query(
        dialect === 'sqlite'
          ? `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at)
             SELECT 'entry-first-batch', id, ?, '', 'vip', 'active', ?, ?, ?, 0, ?, ? FROM flow_versions WHERE flow_id = 'entry-first-batch'`
          : `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at)
             SELECT 'entry-first-batch', id, $1, '', 'vip', 'active', $2, $2, $2, 0, $3, $2 FROM flow_versions WHERE flow_id = 'entry-first-batch'`,
        dialect === 'sqlite' ? [ids[2], T0, T0, T0, `audience:${ids[2]}`, T0] : [ids[2], T0, `audience:${ids[2]}`],
      );
      return new Map();
    });
    const tick = await rt.engine.tick();
    expect(tick.entries.map((e) => e.enrolled)).toEqual([6]);
    const rows = await q('SELECT customer_id, node_id, step_count FROM enrollments ORDER BY customer_id');
    expect(rows.map((r) => Number(r.customer_id))).toEqual(ids);
    // Everyone was stepped in this tick, the other process's journey included (it was due).
    expect(rows.every((r) => r.node_id === 'pause' && Number(r.step_count) === 3)).toBe(true);
    expect(Number((await q('SELECT COUNT(*) AS n FROM journey_steps s WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.id = s.enrollment_id)'))[0].n)).toBe(0);
    expect(Number((await q('SELECT COUNT(*) AS n FROM sends'))[0].n)).toBe(7);
  });

  it('reserved ids are never taken by a later insert, on SQLite also when the sequence row is missing', async () => {
    const { rt, q, db, ids } = await shop(dialect);
    await rt.engine.runDueEntries(); // seven enrollments written the two-step way
    if (dialect === 'sqlite') await db.dataSource.query("DELETE FROM sqlite_sequence WHERE name = 'enrollments'");
    const first = await rt.store.reserveEnrollmentIds(3);
    const second = await rt.store.reserveEnrollmentIds(2);
    const highest = Number((await q('SELECT MAX(id) AS n FROM enrollments'))[0].n);
    expect(first[0]).toBeGreaterThan(highest);
    expect(new Set([...first, ...second]).size).toBe(5);
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
    const [published] = await rt.flows.published();
    await rt.engine.enrollCustomers(published.version, [{ customerId: ids[0], journeyKey: 'later', entryKey: 'later' }], T0, 'test');
    expect(Number((await q("SELECT id FROM enrollments WHERE entry_key = 'later'"))[0].id)).toBeGreaterThan(Math.max(...second));
  });
});
