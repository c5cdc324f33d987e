/**
 * A `rekindle worker` stepping a batch when Redis restarts empty (no persistence): the batch still
 * commits in PostgreSQL, then BullMQ cannot mark its job done (`Missing key for job …
 * moveToFinished`). The worker printed that as `worker: Redis at …: Missing key … (retrying)`,
 * which an operator reads as "the batch will be stepped again". It now says what happened — the
 * batch was already committed, nothing is repeated — and nothing is: every step and send of the
 * batch is in the database once, and a later tick finds nothing left to do for it.
 * A private redis-server on a free port (the shared one is left alone), restarted for real; a
 * customer row locked in PostgreSQL holds the batch until Redis is back empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import type { StepJobResult } from '../../server/src/core/engine/step-queue.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { BullMqStepQueue } from '../../server/src/workers/bullmq-step-queue.js';
import { CommittedBatches } from '../../server/src/workers/committed-batches.js';
import { makeQueue, makeQueueEvents } from '../../server/src/workers/queue-backend.js';
import { queueSettings } from '../../server/src/workers/queue-settings.js';
import type { StepJobData } from '../../server/src/workers/step-job.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';
import { unusedPort } from '../support/unused-port.js';

const T0 = Date.parse('2026-11-02T10:00:00+08:00');
const CUSTOMERS = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** How many client connections the redis-server on `port` has, not counting this one. */
async function clientCount(port: number): Promise<number> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    return String(await r.client('LIST')).trim().split('\n').length - 1;
  } finally {
    r.disconnect();
  }
}

/** A redis-server without persistence on `port`; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (/Ready to accept connections/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`)));
  });
  return child;
}

async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await gone;
}

describe('a worker whose batch committed while Redis restarted empty', () => {
  const rules = tempDir('rekindle-redis-empty-');
  const clock = new VirtualClock(T0);
  let port: number;
  let redis: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let db: TestDatabase;
  let rt: EngineRuntime;
  let queue: Queue<StepJobData, StepJobResult>;
  let events: QueueEvents;
  let adapter: BullMqStepQueue | undefined;
  let stderr = '';

  beforeAll(async () => {
    port = await unusedPort();
    redis = await startRedis(port);
    db = await openTestDatabase('postgres');
    mkdirSync(join(rules, 'segments'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    const ws = openWorkspace(rules);
    await bulkWriteShop(db.dataSource, generateDemoShop({ customers: CUSTOMERS, seed: 3, now: T0, timezone: ws.shop.timezone }), { timezone: ws.shop.timezone, now: T0 });
    await db.dataSource.query(`UPDATE customers SET consent = '{"sms":true,"email":true}', phone = COALESCE(phone, '13800000000'), email = COALESCE(email, 'x@example.com')`);
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REKINDLE_QUEUE: 'steps', REKINDLE_QUEUE_PREFIX: 'rekindle-empty' };
    const settings = queueSettings(env);
    queue = makeQueue(settings);
    events = makeQueueEvents(settings);
    await events.waitUntilReady();
    // checkMs: the planner finds the vanished job within half a second (docs/scale-out.md).
    rt = createEngineRuntime(db.dataSource, ws, clock, { batchSize: 100, queue: () => (adapter = new BullMqStepQueue(queue, events, { attempts: 3, checkMs: 500 })) });
    const flow = FlowSchema.parse({
      id: 'welcome',
      name: 'welcome',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signed_up' }, next: 'sms' },
        { id: 'sms', type: 'send', channel: 'sms', category: 'care', template: 'hi {{customer.name}}', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    });
    await rt.flows.publish(flow, 'test', T0 - MS_PER_HOUR);
    worker = spawn(process.execPath, ['bin/rekindle.js', '--db', db.target.url, '--rules', rules, 'worker'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    worker.stderr!.on('data', (d) => (stderr += String(d)));
  }, 120_000);

  afterAll(async () => {
    await stop(worker, 'SIGTERM');
    await stop(worker);
    await adapter?.close().catch(() => undefined);
    await events?.close().catch(() => undefined);
    await queue?.close().catch(() => undefined);
    await stop(redis);
    await db?.close();
  });

  it('says the batch was already committed and nothing is repeated — and nothing is', async () => {
    const published = await rt.flows.published();
    const ids = (await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM customers ORDER BY id')).map((r) => Number(r.id));
    await rt.engine.enrollCustomers(published[0].version, ids.map((customerId) => ({ customerId, journeyKey: '', entryKey: `e:${customerId}` })), clock.now(), 'test');

    // Hold the batch: the worker locks its customers first, so it waits for this transaction.
    const holder = new pg.Client({ connectionString: db.target.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM customers WHERE id = $1 FOR UPDATE', [ids[0]]);
    const tick = rt.engine.stepper.tick().then(
      () => 'done',
      (e: Error) => e.message,
    );
    let active = 0;
    for (let i = 0; i < 300 && active === 0; i++) {
      active = (await queue.getJobCounts('active')).active;
      if (active === 0) await sleep(50);
    }
    expect(active).toBe(1);

    // Redis restarts without its data while the batch is in hand.
    const clients = await clientCount(port);
    await stop(redis);
    redis = await startRedis(port);
    // The worker's and this test's connections come back (ioredis retries every second) before
    // the batch commits; a fixed wait was too short once on a loaded CI machine.
    for (let i = 0; i < 300 && (await clientCount(port)) < clients; i++) await sleep(100);
    expect(await clientCount(port)).toBeGreaterThanOrEqual(clients);
    await holder.query('COMMIT');
    await holder.end();

    for (let i = 0; i < 600 && !/already committed/.test(stderr); i++) await sleep(50);
    const lines = stderr.trim().split('\n');
    const said = lines.filter((l) => /batch /.test(l));
    // The whole stderr in the comparison, so that a failure shows what the worker said instead.
    expect({ said, stderr }).toEqual({ said: [expect.stringMatching(/^worker: batch \S+ was already committed \(\d+ step\(s\), 12 send\(s\)\), but Redis no longer has its job \(Redis restarted empty or was flushed\), so it cannot be marked done there\. Nothing is repeated and nothing is retried/)], stderr });
    expect(stderr).not.toMatch(/Missing key.*\(retrying\)/);
    // The planner's tick does not wait forever for the vanished job.
    expect(await tick).toMatch(/vanished/);

    // Committed once: one SMS per journey, every journey finished; the next tick has nothing to step.
    const one = async (sql: string) => Number((await queryRows<{ n: number }>(db.dataSource, sql))[0].n);
    expect(await one("SELECT COUNT(*) AS n FROM sends WHERE node_id = 'sms'")).toBe(CUSTOMERS);
    expect(await one("SELECT COUNT(*) AS n FROM enrollments WHERE status = 'active'")).toBe(0);
    const next = await rt.engine.stepper.tick();
    expect(next.steps ?? 0).toBe(0);
    expect(await one("SELECT COUNT(*) AS n FROM sends WHERE node_id = 'sms'")).toBe(CUSTOMERS);
  }, 120_000);

  it('says a lost job of a batch that did not commit, and a lost lock, in words too', () => {
    const b = new CommittedBatches();
    b.committed('7', { steps: 3, sends: 1, exited: 1 });
    expect(b.explain(new Error('Missing lock for job 8. moveToFinished'))).toMatch(/^batch 8 did not commit \(its transaction rolled back\).*planner plans them again/);
    expect(b.explain(new Error('could not renew lock for job 7'))).toMatch(/^batch 7: Redis no longer holds the job's lock/);
    expect(b.explain(new Error('Missing key for job 7. moveToFinished'))).toMatch(/^batch 7 was already committed \(3 step\(s\), 1 send\(s\)\)/);
    expect(b.explain(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBeNull();
  });
});
