/**
 * Whether anything plans the shop, seen from a server that does not plan it (REKINDLE_PLANNER=off,
 * a `rekindle scheduler` plans): its readiness said "planned by a separate rekindle scheduler"
 * and /metrics nothing, whether a scheduler ran or not, so a shop whose scheduler had died looked
 * healthy while its journeys waited. Both now say who holds the shop's planner lease, or that no
 * process does (PostgreSQL).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { loadSettings } from '../../server/src/config/settings.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { PlannerLease } from '../../server/src/persistence/planner-lease.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

describe('a server with REKINDLE_PLANNER=off on PostgreSQL', () => {
  let t: TestApp;
  let scheduler: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const rules = join(tempDir('rekindle-planner-presence-'), 'rules');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const target = await freshTarget('postgres', { migrated: true });
    drop = target.drop;
    scheduler = await openDatabase(target.target);
    t = await createTestApp({
      database: target.target,
      rulesDir: rules,
      clock: new VirtualClock(Date.parse('2026-11-20T10:00:00+08:00')),
      schedulers: true,
      settings: loadSettings({ LOG_LEVEL: 'silent', REKINDLE_PLANNER: 'off', REKINDLE_TICK_MS: '3600000', REKINDLE_OUTBOX_MS: '3600000' }),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await scheduler?.destroy();
    await drop?.();
  });

  const engine = async () => (await t.http('anonymous').get('/api/health/ready').expect(200)).body.details.engine.message as string;
  const present = async () => /^rekindle_planner_present (\d)$/m.exec((await t.http().get('/metrics').expect(200)).text)?.[1];

  it('says in readiness and /metrics whether a planner holds the shop, and which', async () => {
    expect(await engine()).toBe('planned by a separate rekindle scheduler (REKINDLE_PLANNER=off): no process plans this shop now (start `rekindle scheduler`)');
    expect(await present()).toBe('0');

    const lease = new PlannerLease(scheduler, 'rekindle scheduler 4242');
    expect((await lease.hold()).held).toBe(true);
    expect(await engine()).toMatch(/^planned by a separate rekindle scheduler \(REKINDLE_PLANNER=off\): rekindle scheduler 4242 on .+, PostgreSQL backend \d+ plans it$/);
    expect(await present()).toBe('1');

    await lease.release();
    expect(await present()).toBe('0');
  }, 60_000);
});
