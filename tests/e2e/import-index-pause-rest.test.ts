import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { VirtualClock } from '../../server/src/core/clock.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { freshTarget } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * `POST /api/import/orders` of a large upload into the running server (SQLite) leaves the
 * by-customer indexes out while it writes and builds them at its end
 * (persistence/import-index-pause.ts); a batch that fails midway answers an error and leaves them
 * back; queries by customer use them again.
 */
const NOW = Date.parse('2026-02-01T00:00:00Z');
const T = Date.parse('2025-01-01T00:00:00Z');
const HEADER = 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items';
/** ~105,000 orders, ~9.5 MB: large enough to pause (>= 100,000 rows at 80 bytes a row). */
const ordersCsv = (prefix: string, n: number) => {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`${prefix}-${i},c${(i * 7919) % 500},paid,${(i % 300) + 10}.90,${T + i * 1000},${T + i * 1000 + 60_000},,sku-${i % 97}:dress:summer:1:${(i % 300) + 10}.90`);
  return lines.join('\n') + '\n';
};

describe('a large REST orders import (SQLite)', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let file: string;
  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    drop = t.drop;
    file = t.target.url;
    const rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    api = await createTestApp({ database: t.target, rulesDir, clock: new VirtualClock(NOW), schedulers: false });
    const customers = ['externalId,name', ...Array.from({ length: 500 }, (_, i) => `c${i},客户${i}`)].join('\n') + '\n';
    await api.http().post('/api/import/customers').set('Content-Type', 'text/csv').send(customers).expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const definitions = (d: Database.Database) => d.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('ix_orders_customer_id', 'ix_customer_events_customer_type') ORDER BY name").all();
  /** Polls the file from a connection of its own while the request runs: did it ever see the indexes out? */
  const watch = (peek: Database.Database) => {
    let sawPaused = false;
    const timer = setInterval(() => {
      if (definitions(peek).length === 0) sawPaused = true;
    }, 5);
    return () => (clearInterval(timer), sawPaused);
  };
  const expectIndexesUsed = (peek: Database.Database, before: unknown) => {
    expect(definitions(peek)).toEqual(before);
    expect(peek.prepare('SELECT * FROM paused_indexes').all()).toEqual([]);
    const plan = (sql: string) => (peek.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT id FROM orders WHERE customer_id = 3')).toMatch(/USING (COVERING )?INDEX ix_orders_customer_id/);
    expect(plan("SELECT id FROM customer_events WHERE customer_id = 3 AND type = 'order_paid' AND occurred_at >= 0")).toMatch(/USING (COVERING )?INDEX ix_customer_events_customer_type/);
  };

  it('leaves the by-customer indexes out while it writes and builds them at its end', async () => {
    const peek = new Database(file, { readonly: true });
    const before = definitions(peek);
    expect(before.length).toBe(2);
    const stop = watch(peek);
    const r = await api.http().post('/api/import/orders').set('Content-Type', 'text/csv').send(ordersCsv('a', 105_000)).expect(200);
    expect(stop()).toBe(true);
    expect(r.body).toMatchObject({ created: 105_000, failed: 0, eventsRecorded: 105_000 });
    expectIndexesUsed(peek, before);
    peek.close();
  }, 120_000);

  it('a batch failing midway answers an error and leaves the indexes back', async () => {
    const peek = new Database(file, { readonly: true });
    const before = definitions(peek);
    const w = new Database(file);
    w.exec(`CREATE TRIGGER fail_b_60000 BEFORE INSERT ON orders WHEN NEW.external_id = 'b-60000' BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END`);
    w.close();
    const stop = watch(peek);
    const r = await api.http().post('/api/import/orders').set('Content-Type', 'text/csv').send(ordersCsv('b', 210_000));
    expect(stop()).toBe(true);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expectIndexesUsed(peek, before);
    expect((peek.prepare("SELECT COUNT(*) AS n FROM orders WHERE external_id LIKE 'b-%'").get() as { n: number }).n).toBe(60_000);
    peek.close();
  }, 120_000);
});
