/**
 * `rekindle scheduler` prunes what the retention lets go (REKINDLE_EVENT_RETENTION_DAYS), as a
 * planning server does (api/journeys/event-pruner.ts): at its first planning tick, then every
 * REKINDLE_PRUNE_MS. It had no test: it waited the interval first (at least a minute), and a
 * planner restarted more often than that never pruned at all.
 * Runs the built CLI (`npm test` builds it first) against PostgreSQL and Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';
import { until } from '../support/until.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `rekindle-test-sched-prune-${process.pid}-${Date.now()}`;

describe('rekindle scheduler with a retention set', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let url: string;
  let scheduler: ChildProcess | null = null;
  const rules = tempDir('rekindle-sched-prune-');

  beforeAll(async () => {
    mkdirSync(join(rules, 'segments'), { recursive: true });
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(rules, 'shop.yaml'));
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    url = t.target.url!;
    ds = await openDatabase(t.target);
  }, 60_000);

  afterAll(async () => {
    if (scheduler && scheduler.exitCode === null && scheduler.signalCode === null) {
      const gone = new Promise((r) => scheduler!.once('exit', r));
      scheduler.kill('SIGKILL');
      await gone;
    }
    await ds?.destroy();
    await drop?.();
  });

  it('prunes at its first planning tick: the old events go, the recent ones and the opt-outs stay, and the audit log says so', async () => {
    const now = Date.now();
    const [id] = await addCustomers(ds, [{ externalId: 'p1' }], now - 200 * MS_PER_DAY);
    await addEvent(ds, id!, 'page_view', {}, now - 120 * MS_PER_DAY);
    await addEvent(ds, id!, 'page_view', {}, now - 100 * MS_PER_DAY);
    await addEvent(ds, id!, 'unsubscribe', { channel: 'sms' }, now - 150 * MS_PER_DAY);
    await addEvent(ds, id!, 'page_view', {}, now - 2 * MS_PER_DAY);
    const types = async () => (await queryRows<{ type: string }>(ds, 'SELECT type FROM customer_events ORDER BY occurred_at')).map((r) => r.type);
    expect(await types()).toEqual(['unsubscribe', 'page_view', 'page_view', 'page_view']);

    let out = '';
    let err = '';
    scheduler = spawn(process.execPath, ['bin/rekindle.js', '--db', url, '--rules', rules, 'scheduler', '--every', '1s'], {
      env: { ...process.env, REDIS_URL: REDIS, REKINDLE_QUEUE_PREFIX: PREFIX, REKINDLE_EVENT_RETENTION_DAYS: '30', REKINDLE_PRUNE_MS: '3600000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    scheduler.stdout!.on('data', (d) => (out += String(d)));
    scheduler.stderr!.on('data', (d) => (err += String(d)));
    await until('the scheduler to prune', () => /retention prune: /.test(out) || scheduler!.exitCode !== null, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; it said:\n${out}\n${err}`);
    });
    expect(err).toBe('');
    expect(out).toMatch(/retention prune: customer_events: 2 deleted/);
    // The opt-out stays however old (the policy reads it back); the recent event stays.
    expect(await types()).toEqual(['unsubscribe', 'page_view']);
    const audited = await queryRows<{ actor: string; action: string }>(ds, "SELECT actor, action FROM audit_log WHERE action = 'events-pruned'");
    expect(audited).toEqual([{ actor: 'rekindle', action: 'events-pruned' }]);
    // Once an hour after that, not at every tick.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(out.match(/retention prune: /g)).toHaveLength(1);
  }, 120_000);
});
