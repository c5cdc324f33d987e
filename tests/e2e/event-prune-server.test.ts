/**
 * The server's scheduled retention prune (api/journeys/event-pruner.ts): it deletes what the
 * retention lets go, logs the run and counts it on /metrics; on PostgreSQL only the process that
 * holds the shop's planner lease prunes, the others stand by.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource as TypeOrmDataSource, type DataSource } from 'typeorm';
import { EventPruner } from '../../server/src/api/journeys/event-pruner.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { MS_PER_DAY, VirtualClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { DEFAULT_CLIENT, recordEvents } from '../../server/src/persistence/event-log.js';
import { PlannerLease } from '../../server/src/persistence/planner-lease.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import type { RetentionRun } from '../../server/src/runtime/event-retention-run.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { until } from '../support/until.js';
import { tempDir } from '../support/temp-dirs.js';

const NOW = Date.parse('2027-03-01T10:00:00+08:00');
/** Log lines of both apps (the pino logger of the first app in a process may keep writing for the next). */
const lines: Record<string, unknown>[] = [];

describe.each(DIALECTS)('the scheduled prune on %s', (dialect) => {
  let t: TestApp;
  let other: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const rules = join(tempDir('rekindle-prune-server-'), 'rules');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const target = await freshTarget(dialect, { migrated: true });
    drop = target.drop;
    t = await createTestApp({
      database: target.target,
      rulesDir: rules,
      clock: new VirtualClock(NOW),
      schedulers: false,
      settings: loadSettings({ LOG_LEVEL: 'info', LOG_FORMAT: 'json', REKINDLE_EVENT_RETENTION_DAYS: '90' }),
      logDestination: { write: (s: string) => void lines.push(JSON.parse(s)) },
    });
    other = await openDatabase(target.target);
    const ds = t.app.get(TypeOrmDataSource);
    const [c] = await addCustomers(ds, [{ externalId: 'c1' }]);
    const ev = (key: string, at: number) => ({ customerId: c, type: 'page_view', properties: {}, occurredAt: at, idempotencyKey: key, clientId: DEFAULT_CLIENT });
    for (const [key, days] of [['old-1', 200], ['old-2', 150], ['new', 10]] as const) {
      const r = await writeTransaction(ds, (m) => recordEvents(m, [ev(key, NOW - days * MS_PER_DAY)], NOW - days * MS_PER_DAY));
      // Taken by the engine then (the inbox row gone, its consumed_events row written).
      await executeBatch(ds, [
        { sql: 'DELETE FROM event_inbox WHERE event_id = ?', params: [r.inserted[0].id] },
        { sql: 'INSERT INTO consumed_events (event_id, consumed_at) VALUES (?, ?)', params: [r.inserted[0].id, NOW - days * MS_PER_DAY] },
      ]);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await other?.destroy();
    await drop?.();
  });

  const keys = async () => (await queryRows(other, 'SELECT idempotency_key FROM customer_events ORDER BY id')).map((r) => String(r.idempotency_key));

  if (dialect === 'postgres') {
    it('stands by while another process holds the planner lease', async () => {
      const lease = new PlannerLease(other, 'rekindle scheduler 4242');
      expect((await lease.hold()).held).toBe(true);
      try {
        expect(await t.app.get(EventPruner).pruneNow()).toBeNull();
        expect(await keys()).toEqual(['old-1', 'old-2', 'new']);
      } finally {
        await lease.release();
      }
    }, 60_000);
  }

  it('prunes on its turn, logs the run and counts it on /metrics', async () => {
    // PostgreSQL ends the other session's lock a moment after its connection closes: the next turn takes it.
    let run: RetentionRun | null = null;
    await until('the prune to take its turn', async () => (run = await t.app.get(EventPruner).pruneNow()) !== null, 10_000);
    expect(run!.counts).toEqual({ events: 2, consumedEvents: 2 });
    expect(await keys()).toEqual(['new']);
    const said = lines.filter((l) => l.context === 'Retention').at(-1);
    expect(String(said?.msg)).toMatch(/^retention prune: customer_events: 2 deleted \(received and happened before 2026-12-01 10:00 \+08:00\); consumed_events: 2 deleted/);
    const metrics = (await t.http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^rekindle_retention_pruned_rows_total\{table="customer_events"\} 2$/m);
    expect(metrics).toMatch(/^rekindle_retention_pruned_rows_total\{table="consumed_events"\} 2$/m);
    expect(metrics).toMatch(/^rekindle_retention_runs_total\{outcome="ok"\} 1$/m);
    const [audited] = await queryRows(other, "SELECT actor, target, detail FROM audit_log WHERE action = 'events-pruned'");
    expect({ ...audited, detail: JSON.parse(String(audited.detail)) }).toEqual({ actor: 'rekindle', target: 'retention:events', detail: { eventDays: 90, eventsBefore: NOW - 90 * MS_PER_DAY, consumedBefore: null, events: 2, consumedEvents: 2 } });
  }, 60_000);
});
