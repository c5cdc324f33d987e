/**
 * One planner a shop (docs/scale-out.md): a second `rekindle scheduler`, or a server with
 * REKINDLE_STEP_QUEUE=bullmq beside a scheduler, used to plan side by side with the first without a
 * word (every due batch queued and read twice; nothing stepped twice, since a worker re-reads and
 * locks its rows). The planner now holds the shop's planner lease, a PostgreSQL advisory lock
 * (persistence/planner-lease.ts); the others say who plans and stand by, `--once` refuses, a
 * standing-by server is ready, and when the planner dies a standby takes over and plans.
 * Runs the built CLI and server against PostgreSQL and Redis.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue, type Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../server/src/core/clock.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { queueSettings } from '../../server/src/workers/queue-settings.js';
import { startStepWorker } from '../../server/src/workers/step-worker.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';
import { until } from '../support/until.js';
import { endAll, startWatched, type WatchedProcess } from '../support/watched-process.js';
import { WELCOME_FLOW } from '../support/welcome-flow.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `rekindle-test-planners-${process.pid}-${Date.now()}`;
describe('a second planner of the same shop', () => {
  let ds: DataSource;
  let url = '';
  let drop: () => Promise<void>;
  let worker: Worker | null = null;
  const runs: WatchedProcess[] = [];
  const rules = tempDir('rekindle-planners-');

  function start(script: string, args: string[], extra: Record<string, string> = {}): WatchedProcess {
    const run = startWatched(script, args, { REDIS_URL: REDIS, REKINDLE_QUEUE_PREFIX: PREFIX, ...extra });
    runs.push(run);
    return run;
  }
  const scheduler = (...args: string[]) => start('bin/rekindle.js', ['--db', url, '--rules', rules, 'scheduler', ...args]);

  beforeAll(async () => {
    mkdirSync(join(rules, 'segments'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    url = t.target.url;
    ds = await openDatabase(t.target);
  }, 60_000);

  afterAll(async () => {
    await endAll(runs);
    await worker?.close();
    const queue = new Queue('rekindle-steps', { connection: { url: REDIS }, prefix: PREFIX });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await ds?.destroy();
    await drop?.();
  });

  it('stands by naming the planner, refuses --once, is ready as a server, and takes over when the planner dies', async () => {
    const first = scheduler('--every', '1s');
    await until('the first scheduler’s start line', () => first.out.includes(': shop '));
    await new Promise((r) => setTimeout(r, 1500)); // its first tick has taken the lease

    const second = scheduler('--every', '1s');
    const standing = `scheduler ${second.child.pid}: another planner plans this shop (rekindle scheduler ${first.child.pid} on `;
    await until('the second scheduler standing by', () => second.out.includes(standing));
    expect(second.out).toMatch(new RegExp(`PostgreSQL backend \\d+\\); standing by, and taking over when it stops\\n`));

    const once = scheduler('--once');
    expect(await once.exited).toBe(1);
    expect(once.err).toMatch(new RegExp(`^error: another planner plans this shop \\(rekindle scheduler ${first.child.pid} on .*\\): --once would plan beside it; stop that planner first, or leave --once out to stand by\\n$`));
    expect(once.out).not.toContain('tick:');

    // A server planning onto the same queue stands by too, and is ready all the same.
    const server = start('dist/server/src/main.js', [], { PORT: '0', DATABASE_URL: url, REKINDLE_RULES: rules, REKINDLE_QUIET: '0', NODE_ENV: 'production', REKINDLE_STEP_QUEUE: 'bullmq', REKINDLE_TICK_MS: '1000' });
    await until('the server standing by', () => server.out.includes(`another planner plans this shop (rekindle scheduler ${first.child.pid} on `) && server.out.includes('Rekindle is running'));
    const port = /Rekindle is running: http:\/\/[^:]+:(\d+)/.exec(server.out)![1];
    const ready = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
    const body = (await ready.json()) as { info?: { engine?: { message?: string } } };
    expect({ status: ready.status, engine: body.info?.engine?.message }).toEqual({ status: 200, engine: expect.stringMatching(/^standing by: rekindle scheduler \d+ on .* plans this shop$/) });
    server.child.kill('SIGTERM');
    await server.exited;

    // The planner dies: the standby takes the lease at its next tick and plans.
    first.child.kill('SIGKILL');
    await first.exited;
    await until('the second scheduler taking over', () => second.out.includes(`scheduler ${second.child.pid}: planning now: the other planner of this shop has stopped or lost its PostgreSQL connection\n`));
    const rt = createEngineRuntime(ds, openWorkspace(rules), systemClock);
    await rt.flows.publish(WELCOME_FLOW, 'test', Date.now() - 60_000);
    const ids = await addCustomers(ds, [1, 2, 3].map((i) => ({ externalId: `p${i}` })), Date.now());
    const events = [];
    for (const id of ids) events.push(await addEvent(ds, id, 'signup', {}, Date.now() - 1000));
    await rt.engine.onEvents(events);
    worker = startStepWorker(rt.engine.stepper, queueSettings({ REDIS_URL: REDIS, REKINDLE_QUEUE_PREFIX: PREFIX }));
    await until('the welcome e-mails', async () => (await queryRows(ds, `SELECT id FROM sends WHERE flow_id = 'welcome'`)).length === 3);
    await until('the second scheduler’s tick line', () => /tick: 0 event\(s\), 0 entered, 1 batch\(es\) of 3 enrollment\(s\)/.test(second.out));
    expect(second.err).toBe('');
  }, 120_000);
});
