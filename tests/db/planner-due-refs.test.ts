import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import type { EnrollmentRef } from '../../server/src/core/engine/ports.js';
import type { StepJob, StepJobResult, StepQueue } from '../../server/src/core/engine/step-queue.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { defaultShopConfig, type ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * A planner whose queue's workers re-read the rows (BullMQ: StepQueue.idsOnly) reads only the ids
 * of what is due (`dueRefs`): the same batches, in the same order, as `dueEnrollments` — dense
 * ranges, sparse ids and the cursor walk after the plan — without the rows' other columns.
 */
describe.each(DIALECTS)('a planner for workers reads the ids of due enrollments only (%s)', (dialect) => {
  let db: TestDatabase;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(dialect === 'postgres' ? sql.replace(/\?/g, ((i) => () => `$${++i}`)(0)) : sql, params) as Promise<Record<string, unknown>[]>;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ids = await addCustomers(db.dataSource, Array.from({ length: 90 }, (_, i) => ({ externalId: `ref-${i}` })), 0);
    await q(`INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES ('running', 'active', 1, NULL, 0), ('paused', 'paused', 2, NULL, 0)`);
    const enroll = (flow: string, key: string, customer: number, status: string, wakeAt: number | null) =>
      q(`INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at) VALUES (?, 1, ?, ?, 'wait', ?, 0, 0, ?, 1, ?, 0)`, [flow, customer, key, status, wakeAt, `e-${flow}-${key}`]);
    // 60 dense customers due (two journeys for some), then sparse ones, a paused flow's, a later one, a finished one.
    for (let i = 0; i < 60; i++) await enroll('running', `a${i}`, ids[i], 'active', 100 + i);
    for (const i of [3, 17, 42]) await enroll('running', `b${i}`, ids[i], 'active', 50);
    for (const i of [61, 70, 89]) await enroll('running', `s${i}`, ids[i], 'active', 100);
    await enroll('paused', 'p', ids[65], 'active', 100);
    await enroll('running', 'later', ids[66], 'active', 5000);
    await enroll('running', 'done', ids[67], 'exited', null);
  });
  afterAll(async () => db?.close());

  async function walk<T extends EnrollmentRef>(read: (after: { customerId: number; id: number } | null) => Promise<T[]>): Promise<T[][]> {
    const batches: T[][] = [];
    for (let batch = await read(null); batch.length > 0; ) {
      batches.push(batch);
      const last = batch[batch.length - 1];
      batch = await read({ customerId: last.customerId, id: last.id });
    }
    return batches;
  }

  it('gives the same batches as dueEnrollments, each an id and a customer id only', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const rows = await walk((after) => store.dueEnrollments(1000, 40, after));
    const refs = await walk((after) => store.dueRefs(1000, 40, after));
    expect(rows.flat()).toHaveLength(66);
    expect(refs.map((b) => b.map((e) => [e.id, e.customerId]))).toEqual(rows.map((b) => b.map((e) => [e.id, e.customerId])));
    // The dense batches (the usual case: 32 ids or more in a narrow customer range) carry nothing else.
    expect(Object.keys(refs[0][0]).sort()).toEqual(['customerId', 'id']);
  });

  it("the stepper's tick hands an ids-only queue the ids of every due journey", async () => {
    const jobs: StepJob[] = [];
    const recording: StepQueue = {
      idsOnly: true,
      async submit(job: StepJob) {
        jobs.push(job);
        return null;
      },
      async drain(): Promise<StepJobResult> {
        return { steps: 0, sends: 0, exited: 0 };
      },
    };
    const rt = createEngineRuntime(db.dataSource, { rulesDir: 'rules', shop: defaultShopConfig }, new VirtualClock(1000), { rules: RuleSet.fromDefinitions([]), batchSize: 40, queue: () => recording });
    const report = await rt.engine.stepper.tick();
    expect(report.enrollments).toBe(66);
    expect(jobs.flatMap((j) => j.enrollments)).toHaveLength(66);
    expect(Object.keys(jobs[0].enrollments[0]).sort()).toEqual(['customerId', 'id']);
  });
});
