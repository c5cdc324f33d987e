import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, shownDatabaseUrl } from '../../server/src/persistence/data-source.js';
import { shopIdOf } from '../../server/src/persistence/shop-identity.js';
import { closeWithin, queueConnectionRejections, reportQueueErrors } from '../../server/src/workers/queue-errors.js';
import { queueSettings } from '../../server/src/workers/queue-settings.js';
import { freshTarget } from '../support/databases.js';
import { unusedPort } from '../support/unused-port.js';
import { until } from '../support/until.js';

/**
 * `rekindle scheduler` with its Redis down: one line saying so (no password), no stack traces, and
 * `--once` ends. It printed BullMQ's connection error with its stack trace on every reconnect
 * (several a second) and `--once` never exited (closing waited for Redis).
 */
const run = promisify(execFile);

describe('rekindle scheduler without Redis', () => {
  let db: { url: string };
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await freshTarget('postgres', { migrated: true });
    db = t.target;
    drop = t.drop;
    await (await openDatabase(db)).destroy(); // migrated, as a server would have left it
  });
  afterAll(async () => drop?.());

  it('--once says once that Redis is unreachable, without the password or a stack trace, and exits', async () => {
    const port = await unusedPort();
    const started = Date.now();
    const r = await run(process.execPath, ['bin/rekindle.js', '--db', db.url, 'scheduler', '--once'], {
      env: { ...process.env, REDIS_URL: `redis://feed:hunter2@127.0.0.1:${port}`, REKINDLE_QUEUE_PREFIX: `rekindle-test-noredis-${process.pid}` },
      timeout: 40_000,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    const out = r.stdout.trim().split('\n');
    // Which shop and queue its one tick planned onto, then the tick.
    expect(out[0]).toMatch(new RegExp(`^scheduler \\d+: shop [0-9a-f]{8} \\(postgres://\\S+\\), one tick, 1000 enrollment\\(s\\) a job, onto queue rekindle-test-noredis-${process.pid}:\\S+ on Redis redis://127\\.0\\.0\\.1:${port}; workers must use the same queue and prefix$`));
    expect(out[0]).not.toContain('hunter2');
    expect(out[1]).toMatch(/^tick: 0 event\(s\), 0 entered, 0 batch\(es\)/);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([`scheduler: Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (retrying)`]);
  }, 60_000);

  it('a long-running scheduler says at once which queue, prefix and Redis it plans onto (without the password), before any tick has work', async () => {
    const port = await unusedPort();
    const prefix = `rekindle-test-announce-${process.pid}`;
    const child = spawn(process.execPath, ['bin/rekindle.js', '--db', db.url, 'scheduler', '--every', '7s', '--batch', '500'], {
      env: { ...process.env, REDIS_URL: `redis://feed:hunter2@127.0.0.1:${port}`, REKINDLE_QUEUE_PREFIX: prefix },
    });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no line on stdout within 20 s (got ${JSON.stringify(out)})`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.split('\n')[0]);
          }
        });
      });
      // …and its shop, which every worker names too (worker-on-another-shop).
      const ds = await openDatabase(db);
      const shop = (await shopIdOf(ds)).slice(0, 8);
      await ds.destroy();
      expect(first).toBe(`scheduler ${child.pid}: shop ${shop} (${shownDatabaseUrl(db.url)}), a tick every 7s, 500 enrollment(s) a job, onto queue ${prefix}:rekindle-steps on Redis redis://127.0.0.1:${port}; workers must use the same queue and prefix`);
    } finally {
      const ended = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await ended;
    }
  }, 60_000);

  it('a stop signal during a tick stuck on Redis (journeys due) ends the scheduler after the grace, saying why', async () => {
    // A journey of a published flow that is due, so the tick has a batch to hand to the queue.
    await run(process.execPath, ['bin/rekindle.js', '--db', db.url, 'seed', '--customers', '20', '--reset']);
    await run(process.execPath, ['bin/rekindle.js', '--db', db.url, 'flows', 'publish', 'payment-reminder']);
    const ds = await openDatabase(db);
    try {
      await ds.query(
        `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at)
         SELECT 'payment-reminder', (SELECT MAX(id) FROM flow_versions WHERE flow_id = 'payment-reminder'), MIN(id), 'k', 'wait-2h', 'active', 0, 0, 1, 0, 'k', 0 FROM customers`,
      );
    } finally {
      await ds.destroy();
    }
    const port = await unusedPort();
    const child = spawn(process.execPath, ['bin/rekindle.js', '--db', db.url, 'scheduler', '--every', '1s'], {
      env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}`, REKINDLE_QUEUE_PREFIX: `rekindle-test-stuck-${process.pid}` },
    });
    let err = '';
    let out = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      // Its start line comes once it handles stop signals (a fixed 3 s was too short on a loaded
      // machine: the signal came first and killed it outright), then its first tick starts at once.
      await until('the scheduler\'s start line', () => /^scheduler \d+: shop /.test(out) || child.exitCode !== null, 30_000);
      await new Promise((r) => setTimeout(r, 2_000)); // the first tick is handing its batch over by now
      expect(child.exitCode).toBeNull();
      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 35_000))]);
      expect(code).toBe(143);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(19_000);
      expect(err).toContain('scheduler: the tick under way did not end within 20 s of the stop signal (is Redis reachable?); stopping without it: what it did not hand over stays due for the next planner');
      expect(err).not.toMatch(/\n\s+at /);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    }
  }, 60_000);

  it('reports each distinct error once until the connection is ready again', () => {
    const handlers: Record<string, ((e?: Error) => void)[]> = { error: [], ready: [] };
    const source = { on: (ev: string, fn: (e?: Error) => void) => handlers[ev].push(fn) };
    const out: string[] = [];
    reportQueueErrors('scheduler', queueSettings({ REDIS_URL: 'redis://u:pw@h:1' }), [source as never], (l) => out.push(l));
    const fail = (m: string) => handlers.error.forEach((f) => f(new Error(m)));
    fail('connect ECONNREFUSED');
    fail('connect ECONNREFUSED');
    handlers.ready.forEach((f) => f());
    fail('connect ECONNREFUSED');
    expect(out).toEqual(Array(2).fill('scheduler: Redis at redis://h:1: connect ECONNREFUSED (retrying)\n'));
  });

  it('says a connection error nobody awaited like the clients\' own errors, once, and lets any other rejection end the process', () => {
    const out: string[] = [];
    const say = reportQueueErrors('scheduler', queueSettings({ REDIS_URL: 'redis://u:pw@h:1' }), [], (l) => out.push(l));
    const onRejection = queueConnectionRejections(say);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    onRejection(refused);
    onRejection(refused);
    expect(out).toEqual(['scheduler: Redis at redis://h:1: connect ECONNREFUSED 127.0.0.1:1 (retrying)\n']);
    const bug = new TypeError('x is not a function');
    expect(() => onRejection(bug)).toThrow(bug);
    expect(() => onRejection('a string')).toThrow();
  });

  it('closing gives up on a connection that never closes and drops it', async () => {
    let dropped = false;
    await closeWithin({ close: () => new Promise(() => undefined), disconnect: async () => void (dropped = true) }, 50);
    expect(dropped).toBe(true);
  });
});
