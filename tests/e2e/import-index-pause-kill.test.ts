import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { tempDir } from '../support/temp-dirs.js';
import { rekindleIn } from '../support/cli-process.js';

const RULES = tempDir('rekindle-rules-');
const DIR = tempDir('rekindle-index-pause-');

/**
 * `rekindle import orders` of a large file leaves the by-customer indexes out while it writes
 * (persistence/import-index-pause.ts). Killed with SIGKILL in the middle, it cannot build them
 * again itself: the next process that opens the database must, and queries by customer must use
 * them again.
 */
describe('a large CLI import killed midway', () => {
  it('leaves its paused indexes to the next open, which builds them as they were', async () => {
    const db = join(DIR, 'shop.sqlite');
    const customers = join(DIR, 'customers.csv');
    const orders = join(DIR, 'orders.csv');
    writeFileSync(customers, ['externalId,name', ...Array.from({ length: 1000 }, (_, i) => `c${i},客户${i}`)].join('\n') + '\n');
    // 130,000 orders, ~11 MB: large enough to pause (>= 100,000 rows estimated at 80 bytes a row).
    const T = Date.parse('2025-01-01T00:00:00Z');
    const lines = ['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items'];
    for (let i = 0; i < 130_000; i++) lines.push(`order-${i},c${(i * 7919) % 1000},paid,${(i % 300) + 10}.90,${T + i * 1000},${T + i * 1000 + 60_000},,sku-${i % 97}:dress:summer:1:${(i % 300) + 10}.90`);
    writeFileSync(orders, lines.join('\n') + '\n');
    expect((await rekindleIn('UTC', ['--db', db, '--rules', RULES, 'import', 'customers', customers])).code).toBe(0);
    const definitions = (d: Database.Database) => d.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('ix_orders_customer_id', 'ix_customer_events_customer_type') ORDER BY name").all();
    const peek = new Database(db, { readonly: true });
    const before = definitions(peek);
    expect(before.length).toBe(2);

    const child = spawn(process.execPath, ['bin/rekindle.js', '--db', db, '--rules', RULES, 'import', 'orders', orders, '--batch-size', '5000'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let exited = false;
    const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
    // Killed once it has committed a batch with the indexes left out.
    for (;;) {
      const paused = (peek.prepare('SELECT COUNT(*) AS n FROM paused_indexes').get() as { n: number }).n;
      const written = (peek.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
      if (paused === 2 && written > 0) break;
      expect(exited).toBe(false);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exit;
    expect(definitions(peek)).toEqual([]);
    const written = (peek.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
    expect(written).toBeLessThan(130_000);
    peek.close();

    const ds = await openDatabase({ url: db });
    try {
      const after = await ds.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('ix_orders_customer_id', 'ix_customer_events_customer_type') ORDER BY name");
      expect(after).toEqual(before);
      expect(await ds.query('SELECT * FROM paused_indexes')).toEqual([]);
      const plan = async (sql: string) => (await ds.query(`EXPLAIN QUERY PLAN ${sql}`)).map((r: { detail: string }) => r.detail).join('; ');
      expect(await plan('SELECT id FROM orders WHERE customer_id = 3')).toMatch(/USING (COVERING )?INDEX ix_orders_customer_id/);
      expect(await plan("SELECT id FROM customer_events WHERE customer_id = 3 AND type = 'order_paid' AND occurred_at >= 0")).toMatch(/USING (COVERING )?INDEX ix_customer_events_customer_type/);
      // The index holds every committed order (built from the table, not from the import's memory).
      const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM orders INDEXED BY ix_orders_customer_id WHERE customer_id > 0');
      expect(Number(n)).toBe(written);
    } finally {
      await ds.destroy();
    }
    // The import run again completes (the rest of the file) and keeps the indexes.
    const again = await rekindleIn('UTC', ['--db', db, '--rules', RULES, 'import', 'orders', orders]);
    expect(again.code).toBe(0);
    const check = new Database(db, { readonly: true });
    expect(definitions(check)).toEqual(before);
    expect((check.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n).toBe(130_000);
    check.close();
  }, 180_000);
});
