/**
 * The planner lease (persistence/planner-lease.ts) when PostgreSQL ends the holder's session in the
 * middle of a tick (pg_terminate_backend, a restart, the network): the lock is gone, a standby
 * takes it over, and the old planner must queue no more batches. It went on planning for the rest
 * of its tick beside the new planner (8 jobs for 4 batches in the operator's walkthrough) and then
 * said only TypeORM's "Query runner already released. Cannot run queries anymore."
 * Real PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { StepJobResult } from '../../server/src/core/engine/step-queue.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { PlannerLease } from '../../server/src/persistence/planner-lease.js';
import { PlannerTurn } from '../../server/src/runtime/planner-turn.js';
import { BullMqStepQueue } from '../../server/src/workers/bullmq-step-queue.js';
import { makeQueue, makeQueueEvents } from '../../server/src/workers/queue-backend.js';
import { queueSettings } from '../../server/src/workers/queue-settings.js';
import type { StepJobData } from '../../server/src/workers/step-job.js';
import { freshTarget } from '../support/databases.js';
import { until } from '../support/until.js';

const settings = queueSettings({ REDIS_URL: process.env.REDIS_URL, REKINDLE_QUEUE_PREFIX: `rekindle-test-lease-${process.pid}-${Date.now()}` });

describe('the planner lease lost in the middle of a tick', () => {
  let ds: DataSource;
  let other: DataSource;
  let drop: () => Promise<void>;
  const queue: Queue<StepJobData, StepJobResult> = makeQueue(settings);

  beforeAll(async () => {
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    ds = await openDatabase(t.target);
    other = await openDatabase(t.target); // the second planner's process
  }, 60_000);
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await ds?.destroy();
    await other?.destroy();
    await drop?.();
  });

  it('stops the old planner queueing batches at once, lets the standby take over, and says both in words', async () => {
    const said: string[] = [];
    const first = new PlannerTurn(new PlannerLease(ds, 'rekindle scheduler 1'), (l) => said.push(`1: ${l}`));
    const second = new PlannerTurn(new PlannerLease(other, 'rekindle scheduler 2'), (l) => said.push(`2: ${l}`));
    expect((await first.take()).held).toBe(true);
    expect((await second.take()).held).toBe(false);
    const events = makeQueueEvents(settings);
    const adapter = new BullMqStepQueue(queue, events, { lostLease: first.lostLease });
    const batch = (id: number) => ({ now: 1, enrollments: [{ id, customerId: id }] }) as never;
    await adapter.submit(batch(1)); // still the planner: queued

    // PostgreSQL ends the first planner's lease session (as pg_terminate_backend or a restart would).
    await other.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'rekindle scheduler 1 on %'`);
    await until('the first planner noticing', () => first.lostLease() !== null, 10_000, 20);
    await expect(adapter.submit(batch(2))).rejects.toThrow(
      /^this planner lost the planner lease in the middle of its tick \(its PostgreSQL connection ended: .+\); it queues no more batches, and the journeys left are planned by whoever holds the lease$/,
    );
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    expect((await second.take()).held).toBe(true);
    expect((await first.take()).held).toBe(false);
    expect(first.lostLease()).toBeNull(); // said once; standing by now
    expect(said).toEqual([
      expect.stringMatching(/^2: another planner plans this shop \(rekindle scheduler 1 on .+, PostgreSQL backend \d+\); standing by, and taking over when it stops$/),
      '2: planning now: the other planner of this shop has stopped or lost its PostgreSQL connection',
      expect.stringMatching(/^1: lost the planner lease: its PostgreSQL connection ended \(.+\); taking it again if it is free$/),
      expect.stringMatching(/^1: another planner plans this shop \(rekindle scheduler 2 on .+\); standing by, and taking over when it stops$/),
    ]);
    await first.release();
    await second.release();
    await events.close();
  }, 60_000);
});
