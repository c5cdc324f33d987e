/**
 * Scale-out (issue 10): a `rekindle worker` steps ONE batch at a time unless told otherwise
 * (REKINDLE_WORKER_CONCURRENCY, default 1: docs/scale-out.md says what 1 and 2 measured). Two
 * batches in flight in one worker (concurrency 2) are two transactions on two connections of its
 * pool, exactly as two worker processes are; this pins the default, and that two batches stepped at once by ONE
 * worker — two flows racing for a cap of 1 over the same customers, and the same batch queued twice
 * — never pass the cap, never write a send or a step twice, and lose none.
 * PostgreSQL and a real Redis (BullMQ); the worker runs in this process so its batches can be counted.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Queue, Worker } from 'bullmq';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import type { StepJobResult } from '../../server/src/core/engine/step-queue.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { settingDefault } from '../../server/src/config/settings.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { makeQueue } from '../../server/src/workers/queue-backend.js';
import { queueSettings } from '../../server/src/workers/queue-settings.js';
import type { StepJobData } from '../../server/src/workers/step-job.js';
import { startStepWorker } from '../../server/src/workers/step-worker.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CUSTOMERS = 120;
const CHUNK = 20;

const flow = (id: string, template: string) =>
  FlowSchema.parse({
    id,
    name: id,
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: `enter-${id}` }, next: 'sms' },
      { id: 'sms', type: 'send', channel: 'sms', category: 'marketing', template, next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  });

describe('the worker concurrency default', () => {
  it('is 1: in settings.ts and in the queue settings every worker reads; 2 when set', () => {
    expect(settingDefault('REKINDLE_WORKER_CONCURRENCY')).toBe(1);
    expect(queueSettings({}).concurrency).toBe(1);
    expect(queueSettings({ REKINDLE_WORKER_CONCURRENCY: '' }).concurrency).toBe(1);
    expect(queueSettings({ REKINDLE_WORKER_CONCURRENCY: '2' }).concurrency).toBe(2);
  });
});

describe('two batches at once in one worker (REKINDLE_WORKER_CONCURRENCY=2) on PostgreSQL', () => {
  let db: TestDatabase | undefined;
  let queue: Queue<StepJobData, StepJobResult> | undefined;
  let worker: Worker<StepJobData, StepJobResult> | undefined;
  const closing: { destroy(): Promise<void> }[] = [];

  afterAll(async () => {
    await worker?.close();
    if (queue) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    for (const c of closing) await c.destroy();
    await db?.close();
  });

  it('never pass a cap of 1 raced by two flows over the same customers, nor duplicate a send or a step of a batch queued twice', async () => {
    db = await openTestDatabase('postgres');
    const rules = tempDir('rekindle-worker-concurrency-');
    mkdirSync(join(rules, 'segments'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    writeFileSync(join(rules, 'policy.yaml'), 'caps:\n  - id: one-sms\n    max: 1\n    window: 30d\n    channels: [sms]\n    categories: [marketing]\n');
    const ws = openWorkspace(rules);
    await bulkWriteShop(db.dataSource, generateDemoShop({ customers: CUSTOMERS, seed: 7, now: T0, timezone: ws.shop.timezone }), { timezone: ws.shop.timezone, now: T0 });
    await db.dataSource.query(`UPDATE customers SET consent = '{"sms":true,"email":true}', phone = COALESCE(phone, '13800000000')`);

    const clock = new VirtualClock(T0);
    const planner = createEngineRuntime(db.dataSource, ws, clock);
    for (const f of [flow('race-a', 'a {{customer.name}}'), flow('race-b', 'b {{customer.name}}')]) await planner.flows.publish(f, 'test', T0 - MS_PER_HOUR);
    const ids = (await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM customers ORDER BY id')).map((r) => Number(r.id));
    for (const f of await planner.flows.published()) await planner.engine.enrollCustomers(f.version, ids.map((customerId) => ({ customerId, journeyKey: '', entryKey: `race:${customerId}` })), T0, 'test');
    const enrolled = await queryRows<{ id: number; customer_id: number; flow_id: string }>(db.dataSource, 'SELECT id, customer_id, flow_id FROM enrollments ORDER BY customer_id, id');
    const batchOf = (flowId: string, from: number): StepJobData => {
      const rows = enrolled.filter((r) => r.flow_id === flowId && ids.indexOf(Number(r.customer_id)) >= from && ids.indexOf(Number(r.customer_id)) < from + CHUNK);
      return { now: T0, ids: rows.map((r) => Number(r.id)), customers: rows.map((r) => Number(r.customer_id)) };
    };

    // Per chunk of customers: flow a's batch, flow b's batch over the SAME customers, and flow a's
    // batch again (another job id: a planner that planned it twice). All are queued before the worker
    // starts, so that it takes them two at a time.
    const s = queueSettings({ REDIS_URL: REDIS, REKINDLE_QUEUE: 'steps', REKINDLE_QUEUE_PREFIX: `rekindle-test-concurrency-${process.pid}-${Date.now()}` });
    queue = makeQueue<StepJobData, StepJobResult>(s);
    const jobs: { name: string; data: StepJobData; opts: { jobId: string } }[] = [];
    for (let from = 0; from < CUSTOMERS; from += CHUNK) {
      jobs.push({ name: 'step', data: batchOf('race-a', from), opts: { jobId: `a-${from}` } });
      jobs.push({ name: 'step', data: batchOf('race-b', from), opts: { jobId: `b-${from}` } });
      jobs.push({ name: 'step', data: batchOf('race-a', from), opts: { jobId: `a-again-${from}` } });
    }
    await queue.addBulk(jobs);

    // The worker: its own pool and runtime, as `rekindle worker`; its stepper counts batches in flight.
    const wds = await openDatabase(db.target);
    closing.push(wds);
    const stepper = createEngineRuntime(wds, ws, clock).engine.stepper;
    let inFlight = 0;
    let mostAtOnce = 0;
    const stepStored = stepper.stepStored.bind(stepper);
    stepper.stepStored = async (now, refs) => {
      mostAtOnce = Math.max(mostAtOnce, ++inFlight);
      try {
        return await stepStored(now, refs);
      } finally {
        inFlight--;
      }
    };
    const failures: string[] = [];
    let done = 0;
    const allDone = new Promise<void>((resolve) => {
      worker = startStepWorker(stepper, { ...s, concurrency: queueSettings({ REKINDLE_WORKER_CONCURRENCY: '2' }).concurrency }, () => {
        if (++done === jobs.length) resolve();
      });
      worker.on('failed', (job, err) => failures.push(`${job?.id}: ${err.message}`));
    });
    expect(worker!.concurrency).toBe(2);
    await allDone;

    const one = async (sql: string) => Number((await queryRows<{ n: number }>(db!.dataSource, sql))[0].n);
    expect(failures).toEqual([]);
    expect(mostAtOnce).toBe(2);
    // Every journey finished, each step logged once.
    expect(await one(`SELECT COUNT(*) AS n FROM enrollments WHERE status = 'active'`)).toBe(0);
    expect(await one(`SELECT COUNT(*) AS n FROM enrollments WHERE exit_reason = 'exit:done'`)).toBe(2 * CUSTOMERS);
    expect(await one('SELECT COUNT(*) AS n FROM (SELECT enrollment_id, node_id, outcome FROM journey_steps GROUP BY enrollment_id, node_id, outcome HAVING COUNT(*) > 1) d')).toBe(0);
    // One send row per journey's send node, no more.
    expect(await one('SELECT COUNT(*) AS n FROM (SELECT enrollment_id, node_id FROM sends GROUP BY enrollment_id, node_id HAVING COUNT(*) > 1) d')).toBe(0);
    expect(await one(`SELECT COUNT(*) AS n FROM sends WHERE node_id = 'sms'`)).toBe(2 * CUSTOMERS);
    // The cap of 1 SMS: exactly one queued per customer, the other flow's held back by the cap.
    expect(await one(`SELECT COUNT(*) AS n FROM (SELECT customer_id FROM sends WHERE channel = 'sms' AND status = 'queued' GROUP BY customer_id HAVING COUNT(*) <> 1) d`)).toBe(0);
    expect(await one(`SELECT COUNT(*) AS n FROM sends WHERE channel = 'sms' AND status = 'skipped' AND reason = 'capped:one-sms'`)).toBe(CUSTOMERS);
  }, 120_000);
});
