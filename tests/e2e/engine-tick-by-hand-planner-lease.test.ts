/**
 * An admin's tick by hand (`POST /api/engine/tick`) on PostgreSQL needs the shop's planner lease
 * like any tick. It used to tick whoever planned the shop, so a tick by hand on a standby server,
 * or on a server beside a `rekindle scheduler`, planned the same due journeys beside the planner.
 * Now it answers 409 naming the planner; a server that plans keeps the lease it takes, and a
 * server with REKINDLE_PLANNER=off gives back the lease it borrowed for the tick.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { loadSettings } from '../../server/src/config/settings.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { PlannerLease, plannerOf } from '../../server/src/persistence/planner-lease.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';
import { until } from '../support/until.js';

for (const planner of ['on', 'off'] as const) {
  describe(`POST /api/engine/tick on PostgreSQL, REKINDLE_PLANNER=${planner}`, () => {
    let t: TestApp;
    let other: DataSource;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const rules = join(tempDir('rekindle-tick-by-hand-'), 'rules');
      cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
      const target = await freshTarget('postgres', { migrated: true });
      drop = target.drop;
      other = await openDatabase(target.target);
      t = await createTestApp({
        database: target.target,
        rulesDir: rules,
        clock: new VirtualClock(Date.parse('2026-11-20T10:00:00+08:00')),
        schedulers: true,
        // The ticker's own interval never comes within the test: only the ticks by hand run.
        settings: loadSettings({ LOG_LEVEL: 'silent', REKINDLE_PLANNER: planner, REKINDLE_TICK_MS: '3600000', REKINDLE_OUTBOX_MS: '3600000' }),
      });
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await other?.destroy();
      await drop?.();
    });

    it('refuses with 409 naming the planner while another process holds the lease, and ticks once it is free', async () => {
      const scheduler = new PlannerLease(other, 'rekindle scheduler 4242');
      expect((await scheduler.hold()).held).toBe(true);
      const refused = await t.http('admin').post('/api/engine/tick').expect(409);
      expect(refused.body.message).toMatch(/^another planner plans this shop \(rekindle scheduler 4242 on .+, PostgreSQL backend \d+\): its next tick runs what is due/);
      expect(JSON.stringify(refused.body)).not.toMatch(/\/work\/|node_modules|\bat \w+ \(/);

      await scheduler.release();
      // PostgreSQL lets the lock go when the released session's backend has ended, a moment after.
      await until('the scheduler\'s lease let go', async () => (await plannerOf((sql, p) => other.query(sql, p))) === null, 10_000);
      const ticked = await t.http('admin').post('/api/engine/tick').expect(200);
      expect(ticked.body).toHaveProperty('steps');

      // The planning server keeps the lease (its ticker plans from now on); a server that does not plan gives it back.
      const after = new PlannerLease(other, 'rekindle scheduler 4343');
      if (planner === 'on') {
        expect(await after.hold()).toEqual({ held: false, holder: expect.stringMatching(/^rekindle server \d+ on /) });
      } else {
        await until('the borrowed lease given back', async () => (await after.hold()).held, 10_000);
      }
      await after.release();
    }, 60_000);

    it('is refused to anyone but an admin', async () => {
      await t.http('anonymous').post('/api/engine/tick').expect(401);
      await t.http('marketer').post('/api/engine/tick').expect(403);
    }, 30_000);
  });
}
