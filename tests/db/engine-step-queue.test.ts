import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { InProcessStepQueue, type StepJob } from '../../server/src/core/engine/step-queue.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent, sends } from '../support/shop-fixtures.js';

const T0 = Date.parse('2026-11-20T02:00:00Z');

describe('stepping goes through the queue port', () => {
  let db: TestDatabase;
  let rt: EngineRuntime;
  const clock = new VirtualClock(T0);
  const jobs: StepJob[] = [];

  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    rt = createEngineRuntime(db.dataSource, { rulesDir: 'rules', shop: defaultShopConfig }, clock, {
      rules: RuleSet.fromDefinitions([]),
      batchSize: 2,
      // A recording queue: what a BullMQ adapter would put on Redis, run here in-process.
      queue: (stepper) => new InProcessStepQueue(async (job) => (jobs.push(job), stepper.stepBatch(job.enrollments, job.now))),
    });
    const flow = FlowSchema.parse({
      id: 'ping',
      name: 'ping',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signup' }, reentry: { policy: 'always' }, next: 'later' },
        { id: 'later', type: 'wait', duration: '1h', next: 'hello' },
        { id: 'hello', type: 'send', channel: 'email', category: 'care', template: 'hi {{customer.name}}', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    await rt.flows.publish(flow, 'test', T0 - 1);
  });
  afterAll(async () => db?.close());

  it('hands batches of customers (in customer-id order) to the queue, not single customers', async () => {
    const ids = await addCustomers(db.dataSource, [1, 2, 3, 4, 5].map((i) => ({ externalId: `q${i}` })), T0);
    const events = [];
    for (const id of [...ids].reverse()) events.push(await addEvent(db.dataSource, id, 'signup', {}, T0));
    await rt.engine.onEvents(events);
    clock.advance(MS_PER_HOUR);
    await rt.engine.tick();
    const stepped = jobs.filter((j) => j.now === clock.now());
    expect(stepped.map((j) => j.enrollments.length)).toEqual([2, 2, 1]);
    expect(stepped.flatMap((j) => j.enrollments.map((e) => e.customerId))).toEqual([...ids].sort((a, b) => a - b));
    expect(await sends(db.dataSource)).toHaveLength(5);
  });
});
