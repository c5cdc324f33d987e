/**
 * A `rekindle worker` whose DATABASE_URL names another database than its planner's. It used to take
 * the planner's jobs, look their enrollment ids up in its own database (none due there), report
 * each batch done with 0 steps, and say nothing; the planner planned the same journeys again a tick
 * later, for as long as the two ran. Every job now carries its planner's shop id
 * (persistence/shop-identity.ts); the worker gives such a job back untouched and stops, naming both
 * shops, and a worker of the right shop steps it once. Runs the built CLI against PostgreSQL and Redis.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../server/src/core/clock.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { shopIdOf } from '../../server/src/persistence/shop-identity.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';
import { until } from '../support/until.js';
import { endAll, startWatched, type WatchedProcess } from '../support/watched-process.js';
import { WELCOME_FLOW } from '../support/welcome-flow.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `rekindle-test-other-shop-${process.pid}-${Date.now()}`;
function rekindle(url: string, rules: string, args: string[]): WatchedProcess {
  return startWatched('bin/rekindle.js', ['--db', url, '--rules', rules, ...args], { REDIS_URL: REDIS, REKINDLE_QUEUE_PREFIX: PREFIX });
}

describe('rekindle worker on another shop’s database', () => {
  let planned: DataSource;
  let other: DataSource;
  let urls: { planned: string; other: string };
  const drops: (() => Promise<void>)[] = [];
  const runs: WatchedProcess[] = [];
  const rules = tempDir('rekindle-other-shop-');

  beforeAll(async () => {
    mkdirSync(join(rules, 'segments'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    const a = await freshTarget('postgres', { migrated: true });
    const b = await freshTarget('postgres', { migrated: true });
    drops.push(a.drop, b.drop);
    urls = { planned: a.target.url, other: b.target.url };
    planned = await openDatabase(a.target);
    // Both were copied from one migrated template: the same shop id, as a restored backup keeps it.
    other = await openDatabase(b.target);
  }, 60_000);

  afterAll(async () => {
    await endAll(runs);
    const queue = new Queue('rekindle-steps', { connection: { url: REDIS }, prefix: PREFIX });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await planned?.destroy();
    await other?.destroy();
    for (const drop of drops) await drop();
  });

  it('gives the batch back untouched and stops, naming both databases (a copy of the shop, then another shop); a worker of the planner’s database then steps it once', async () => {
    const rt = createEngineRuntime(planned, openWorkspace(rules), systemClock);
    await rt.flows.publish(WELCOME_FLOW, 'test', Date.now() - 60_000);
    const ids = await addCustomers(planned, [1, 2, 3].map((i) => ({ externalId: `s${i}` })), Date.now());
    const events = [];
    for (const id of ids) events.push(await addEvent(planned, id, 'signup', {}, Date.now() - 1000));
    await rt.engine.onEvents(events);
    const plannedShop = await shopIdOf(planned);
    expect(await shopIdOf(other)).toBe(plannedShop);
    const dbName = (url: string) => url.slice(url.lastIndexOf('/') + 1);

    // A copy of the planner's database (the same shop id): it stepped the copy's journeys, silently.
    const onCopy = rekindle(urls.other, rules, ['worker']);
    runs.push(onCopy);
    await until('the worker’s start line', () => onCopy.out.includes(`: shop ${plannedShop.slice(0, 8)} (`) || onCopy.child.exitCode !== null);
    const scheduler = rekindle(urls.planned, rules, ['scheduler', '--once']);
    runs.push(scheduler);
    expect(await onCopy.exited).toBe(1);
    expect(onCopy.err).toMatch(
      new RegExp(
        `^error: worker \\d+ stopped: batch \\S+: this batch was planned on postgres://\\S+/${dbName(urls.planned)}, but this worker's database postgres://\\S+/${dbName(urls.other)} is a copy of it \\(the same shop ${plannedShop.slice(0, 8)}, another database: a restored backup, or CREATE DATABASE … TEMPLATE\\): set the worker's DATABASE_URL \\(or --db\\) to the planner's database\\. The batch goes back on the queue, untouched, for a worker of its database\\n$`,
      ),
    );

    // Another shop's database.
    await other.query('UPDATE shop_identity SET id = gen_random_uuid()::text');
    const otherShop = await shopIdOf(other);
    const wrong = rekindle(urls.other, rules, ['worker']);
    runs.push(wrong);
    expect(await wrong.exited).toBe(1);
    expect(wrong.err).toMatch(
      new RegExp(
        `^error: worker \\d+ stopped: batch \\S+: this batch was planned on shop ${plannedShop.slice(0, 8)} \\(postgres://\\S+/${dbName(urls.planned)}\\), but this worker's database is shop ${otherShop.slice(0, 8)} \\(postgres://\\S+/${dbName(urls.other)}\\): set the worker's DATABASE_URL \\(or --db\\) to the planner's database, or, if both shops are meant to run, give each its own REKINDLE_QUEUE_PREFIX \\(this worker's is ${PREFIX}\\)\\.`,
      ),
    );
    expect(wrong.err.trim().split('\n')).toHaveLength(1); // one line, no stack trace
    // Nothing was stepped on either side: the journeys are still due in the planner's database.
    expect(await queryRows(planned, 'SELECT id FROM sends')).toHaveLength(0);
    expect(await queryRows(other, 'SELECT id FROM sends')).toHaveLength(0);
    expect(scheduler.child.exitCode).toBeNull(); // still waiting for its batch

    const right = rekindle(urls.planned, rules, ['worker']);
    runs.push(right);
    expect(await scheduler.exited).toBe(0);
    expect(scheduler.out).toMatch(/1 batch\(es\) of 3 enrollment\(s\) → 6 step\(s\), 3 message\(s\) queued/);
    expect(await queryRows(planned, `SELECT customer_id FROM sends WHERE flow_id = 'welcome'`)).toHaveLength(3);
    expect(await queryRows(planned, `SELECT id FROM enrollments WHERE status = 'active'`)).toHaveLength(0);
    expect(right.out).toContain(`: shop ${plannedShop.slice(0, 8)} (`);
    right.child.kill('SIGTERM');
    expect(await right.exited).toBe(0);
  }, 90_000);
});
