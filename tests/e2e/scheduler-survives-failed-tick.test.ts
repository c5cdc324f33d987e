/**
 * `rekindle scheduler` after a tick that failed (a batch that failed every attempt; the same path
 * as jobs lost with a Redis restarted empty, "job … vanished from the queue"): docs/scale-out.md
 * promises that the enrollments stay due and the next tick plans them again. The scheduler used
 * to end on the first failed tick instead (`error: 1 of 1 stepping job(s) failed: …`, exit 1), so
 * nothing was stepped any more until someone restarted it.
 * Runs the built CLI (`npm test` builds it first) against PostgreSQL and Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../server/src/core/clock.js';
import type { StepJobResult } from '../../server/src/core/engine/step-queue.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { makeQueue, makeWorker } from '../../server/src/workers/queue-backend.js';
import { queueSettings, type QueueSettings } from '../../server/src/workers/queue-settings.js';
import type { StepJobData } from '../../server/src/workers/step-job.js';
import { startStepWorker } from '../../server/src/workers/step-worker.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';
import { until } from '../support/until.js';
import { WELCOME_FLOW } from '../support/welcome-flow.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `rekindle-test-sched-fail-${process.pid}-${Date.now()}`;
describe('rekindle scheduler after a failed tick', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let url: string;
  let settings: QueueSettings;
  let queue: Queue<StepJobData, StepJobResult>;
  let worker: Worker | null = null;
  let scheduler: ChildProcess | null = null;
  const rules = tempDir('rekindle-sched-fail-');

  beforeAll(async () => {
    mkdirSync(join(rules, 'segments'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    url = t.target.url!;
    ds = await openDatabase(t.target);
    settings = queueSettings({ REDIS_URL: REDIS, REKINDLE_QUEUE_PREFIX: PREFIX });
    queue = makeQueue(settings);
  }, 60_000);

  afterAll(async () => {
    if (scheduler && scheduler.exitCode === null && scheduler.signalCode === null) {
      const gone = new Promise((r) => scheduler!.once('exit', r));
      scheduler.kill('SIGKILL');
      await gone;
    }
    await worker?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await ds?.destroy();
    await drop?.();
  });

  it('says the tick failed, keeps ticking, and steps the journeys once a worker can', async () => {
    const rt = createEngineRuntime(ds, openWorkspace(rules), systemClock);
    await rt.flows.publish(WELCOME_FLOW, 'test', Date.now() - 60_000);
    const ids = await addCustomers(ds, [1, 2, 3].map((i) => ({ externalId: `s${i}` })), Date.now());
    const events = [];
    for (const id of ids) events.push(await addEvent(ds, id, 'signup', {}, Date.now() - 1000));
    await rt.engine.onEvents(events);

    // A worker whose every batch fails: with one attempt a job fails at once, and so does the tick.
    worker = makeWorker<StepJobData, StepJobResult>(settings, async () => {
      throw new Error('the database went away');
    });
    const stderr: string[] = [];
    const stdout: string[] = [];
    scheduler = spawn(process.execPath, ['bin/rekindle.js', '--db', url, '--rules', rules, 'scheduler', '--every', '1s'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDIS_URL: REDIS, REKINDLE_QUEUE_PREFIX: PREFIX, REKINDLE_JOB_ATTEMPTS: '1' },
    });
    scheduler.stdout!.on('data', (d) => stdout.push(String(d)));
    scheduler.stderr!.on('data', (d) => stderr.push(String(d)));
    const failures = () => stderr.join('').split('\n').filter((l) => l.startsWith('tick failed: ')).length;
    const alive = () => scheduler!.exitCode === null && scheduler!.signalCode === null;
    await until('two failed ticks (or the scheduler ending)', () => failures() >= 2 || !alive());
    expect({ alive: alive(), stderr: stderr.join('') }).toEqual({ alive: true, stderr: expect.stringContaining('tick failed: 1 of 1 stepping job(s) failed: the database went away\n') });
    expect(failures()).toBeGreaterThanOrEqual(2);
    expect(stderr.join('')).not.toMatch(/\n\s+at /); // no stack trace

    // A worker that can step: the next tick plans the still-due journeys again.
    await worker.close();
    worker = startStepWorker(rt.engine.stepper, settings);
    await until('the welcome e-mails', async () => (await queryRows(ds, `SELECT id FROM sends WHERE flow_id = 'welcome'`)).length === 3);
    expect(await queryRows(ds, `SELECT id FROM enrollments WHERE status = 'active'`)).toHaveLength(0);
    expect(alive()).toBe(true);
    // The tick's line comes once the scheduler hears the job completed, a moment after the worker's
    // commit that the e-mails above were read from (a loaded CI run read stdout in between).
    await until('the tick that stepped them', () => /tick: 0 event\(s\), 0 entered, 1 batch\(es\) of 3 enrollment\(s\)/.test(stdout.join('')) || !alive(), 20_000);
    expect(stdout.join('')).toMatch(/tick: 0 event\(s\), 0 entered, 1 batch\(es\) of 3 enrollment\(s\)/);
  }, 90_000);
});
