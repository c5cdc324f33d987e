/**
 * The server as the planner (REKINDLE_STEP_QUEUE=bullmq): its engine, built by Nest with the
 * queue registered through @nestjs/bullmq, hands each batch to the queue instead of stepping it;
 * a worker (here in this process, the same `startStepWorker` that `rekindle worker` runs) steps
 * it. Without a worker nothing moves — the server really does not step in-process.
 * BullMQ on Redis (the supported backend), under a key prefix of this run's own.
 */
import { mkdirSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import type { EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import type { TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const FLOW = `id: welcome
name: Welcome
nodes:
  - id: start
    type: entry
    trigger:
      type: event
      event: signup
    next: hello
  - id: hello
    type: send
    channel: email
    category: care
    template: hi {{customer.name}}
    next: done
  - id: done
    type: exit
`;

describe('the server plans, a BullMQ worker steps (REKINDLE_STEP_QUEUE=bullmq)', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let worker: Worker | null = null;
  let ds: DataSource;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-planner-');
  const env = { REKINDLE_STEP_QUEUE: 'bullmq', REKINDLE_QUEUE_BACKEND: 'redis', REKINDLE_QUEUE_PREFIX: `rekindle-test-planner-${process.pid}-${Date.now()}` };

  beforeAll(async () => {
    mkdirSync(join(rules, 'flows'), { recursive: true });
    mkdirSync(join(rules, 'segments'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    writeFileSync(join(rules, 'flows', 'welcome.flow.yaml'), FLOW);
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    Object.assign(process.env, env);
    // The step-queue module reads the environment when the app module loads: import after setting it.
    const { createTestApp } = await import('../support/http-app.js');
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get<DataSource>((await import('typeorm')).DataSource);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    if (api) {
      // This run's keys go from Redis with it.
      const { getQueueToken } = await import('@nestjs/bullmq');
      const { queueSettings } = await import('../../server/src/workers/queue-settings.js');
      await api.app.get<Queue>(getQueueToken(queueSettings().name)).obliterate({ force: true });
    }
    await api?.close();
    for (const k of Object.keys(env)) delete process.env[k];
    await drop?.();
  });

  it('a tick puts the batches on the queue; the worker steps them in one transaction each', async () => {
    expect((await api.http('marketer').post('/api/flows/welcome/publish')).status).toBeLessThan(300);
    const ids = await addCustomers(ds, [1, 2, 3].map((i) => ({ externalId: `p${i}` })), T0);
    const { ENGINE_RUNTIME } = await import('../../server/src/api/journeys/engine-runtime.provider.js');
    const rt = api.app.get<EngineRuntime>(ENGINE_RUNTIME);
    const events = [];
    for (const id of ids) events.push(await addEvent(ds, id, 'signup', {}, T0));
    await rt.engine.onEvents(events);

    // No worker yet: the tick hands the batch over and waits for it.
    const tick = api.http('admin').post('/api/engine/tick');
    const pending = tick.then((r) => r);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await queryRows(ds, `SELECT id FROM sends`)).toHaveLength(0);

    const { queueSettings } = await import('../../server/src/workers/queue-settings.js');
    const { startStepWorker } = await import('../../server/src/workers/step-worker.js');
    worker = startStepWorker(rt.engine.stepper, queueSettings());
    const res = await pending;
    expect(res.status).toBeLessThan(300);
    expect(await queryRows(ds, `SELECT customer_id FROM sends WHERE flow_id = 'welcome' AND status = 'queued'`)).toHaveLength(3);
    expect(await queryRows(ds, `SELECT id FROM enrollments WHERE status = 'active'`)).toHaveLength(0);
    // Each job names the planner's shop, so a worker on another database gives it back (worker-on-another-shop).
    const { getQueueToken } = await import('@nestjs/bullmq');
    const { shopIdOf } = await import('../../server/src/persistence/shop-identity.js');
    const [job] = await api.app.get<Queue>(getQueueToken(queueSettings().name)).getJobs(['completed']);
    expect({ shop: job.data.shop, db: job.data.db }).toEqual({ shop: await shopIdOf(ds), db: expect.stringMatching(/^postgres:\/\/.*\/rekindle_t_/) });
    clock.advance(MS_PER_HOUR);
  }, 60_000);
});
