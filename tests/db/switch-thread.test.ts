/**
 * The switch decided one batch ahead on a thread of its own (runtime/switch-precompute.ts): the
 * Double-11 campaign (the frozen 2026 copy) simulated over the same generated shop twice, with the
 * thread and without, must leave the same tables: the journey log and its shared details, the
 * enrollments, the limit counters, the sends (less their random link tokens, coupon codes and
 * the texts naming them) and the coupons (less their codes).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { simulate } from '../../server/src/core/engine/simulation.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/** Worker threads run compiled JavaScript: the thread's entry from dist/ (npm test builds it first). */
const SWITCH_THREAD_ENTRY = new URL('../../dist/server/src/runtime/switch-thread.js', import.meta.url);
const workspace = openWorkspace('rules');
const TZ = workspace.shop.timezone;
const FROM = Date.parse('2026-10-27T00:00:00+08:00');
const FLOW_FILE = 'tests/fixtures/double11-2026/double11-campaign.flow.yaml';
const CUSTOMERS = 2_000;
const TABLES: Record<string, string> = {
  journey_steps: 'SELECT * FROM journey_steps ORDER BY id',
  journey_details: 'SELECT * FROM journey_details ORDER BY key',
  enrollments: 'SELECT * FROM enrollments ORDER BY id',
  limit_counters: 'SELECT * FROM limit_counters ORDER BY flow_id, node_id, window_start',
  sends: 'SELECT id, customer_id, flow_id, node_id, channel, status, reason, scheduled_at, group_label, coupon_value, idempotency_key FROM sends ORDER BY id',
  coupons: 'SELECT template_id, customer_id, flow_id, enrollment_id, send_key, amount, issued_at, expires_at FROM coupons ORDER BY send_key',
};

const open: TestDatabase[] = [];
afterAll(async () => {
  for (const db of open) await db.close();
});

async function run(switchThread: URL | false) {
  const db = await openTestDatabase('sqlite');
  open.push(db);
  const ds = db.dataSource;
  await bulkWriteShop(ds, generateDemoShop({ customers: CUSTOMERS, seed: 11, now: FROM, timezone: TZ }), { timezone: TZ, now: FROM });
  const clock = new VirtualClock(FROM);
  // Batches of 100: the entry's 1,800 or so customers step in ~18 batches, all but the first decided ahead.
  const rt = createEngineRuntime(ds, workspace, clock, { switchThread, batchSize: 100 });
  try {
    const { flow } = loadValidFlow(workspace.rulesDir, FLOW_FILE, rt.rules);
    for (const n of flow.nodes) if (n.type === 'limit') n.max = 200;
    await rt.flows.publish(flow, 'test', FROM);
    // The due reads of the whole run (the stepper's and the thread's read-ahead alike).
    let dueReads = 0;
    const due = rt.store.dueEnrollments.bind(rt.store);
    rt.store.dueEnrollments = (...a) => {
      dueReads++;
      return due(...a);
    };
    const summary = await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: FROM + 12 * MS_PER_DAY, step: MS_PER_HOUR });
    const tables: Record<string, string> = {};
    for (const [name, sql] of Object.entries(TABLES)) {
      const rows = await queryRows(ds, sql);
      tables[name] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
    }
    return { summary, tables, dueReads, counts: rt.switchThread ? { ...rt.switchThread.counts } : null };
  } finally {
    await rt.switchThread?.close();
  }
}

describe('the switch decided one batch ahead on a thread of its own (SQLite)', () => {
  it('leaves the same journey log, details, enrollments, counters, sends and coupons as deciding in place', async () => {
    const inPlace = await run(false);
    const ahead = await run(SWITCH_THREAD_ENTRY);
    expect(inPlace.counts).toBeNull();
    // The thread decided every batch of the entry tick but its first.
    expect(ahead.counts!.taken).toBeGreaterThan(10);
    expect(ahead.counts!.inPlace).toBeGreaterThanOrEqual(1);
    expect(ahead.summary.steps).toBe(inPlace.summary.steps);
    expect(ahead.summary.enrolled).toBe(inPlace.summary.enrolled);
    expect(Number(ahead.tables.journey_details.split(':')[0])).toBeGreaterThan(50);
    expect(ahead.tables).toEqual(inPlace.tables);
  }, 180_000);

  it('reads each batch of the entry tick once: the stepper takes the batch the thread read ahead', async () => {
    const inPlace = await run(false);
    const ahead = await run(SWITCH_THREAD_ENTRY);
    // Every batch the thread decided was read once, ahead, and handed to the stepper…
    expect(ahead.counts!.readAhead).toBe(ahead.counts!.taken);
    // …so the run reads what deciding in place reads, but for the one read ahead past the entry tick's last batch (empty).
    expect(ahead.dueReads - inPlace.dueReads).toBeLessThanOrEqual(1);
    expect(ahead.summary.steps).toBe(inPlace.summary.steps);
    expect(ahead.tables).toEqual(inPlace.tables);
  }, 180_000);
});
