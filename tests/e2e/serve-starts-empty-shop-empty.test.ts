/**
 * The production path never fills a real shop with made-up customers. `npm run serve` (the built
 * server without --demo-shop) on an empty database used to generate the 20,000-customer demo
 * shop into it — on PostgreSQL too — mixing fake customers and orders into the shop's segments,
 * counts and exports (and ids c000001… a real import could merge into). Now only `npm start`
 * (scripts/start.sh, outside NODE_ENV=production) passes --demo-shop; the server says the database
 * is empty instead. Runs the built server (`npm test` builds it first).
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { startUpLines } from '../support/server-process.js';
import { tempDir } from '../support/temp-dirs.js';

async function customerCount(file: string): Promise<number> {
  const ds: DataSource = await openDatabase({ url: file });
  try {
    const [row] = await queryRows(ds, 'SELECT COUNT(*) AS n FROM customers', []);
    return Number(row.n);
  } finally {
    await ds.destroy();
  }
}

describe('an empty database at start', () => {
  it('stays empty under `npm run serve` (no --demo-shop), and the start-up says how to fill it', async () => {
    const dir = tempDir('rekindle-serve-empty-');
    const rules = join(dir, 'rules');
    cpSync('rules', rules, { recursive: true });
    const db = join(dir, 'shop.sqlite');
    const { out } = await startUpLines({ DATABASE_URL: db, REKINDLE_RULES: rules, REKINDLE_DEMO_CUSTOMERS: '30' });
    expect(out).toMatch(/Empty database: no customers yet\. Import the shop's customers and orders/);
    expect(out).not.toMatch(/generated the demo shop/);
    expect(await customerCount(db)).toBe(0);
  }, 90_000);

  it('gets the demo shop when started with --demo-shop, as npm start does outside production', async () => {
    const start = readFileSync('scripts/start.sh', 'utf8');
    expect(start).toMatch(/if \[ "\$\{NODE_ENV:-\}" != "production" \]; then demo=\(--demo-shop\); fi/);
    expect(start).toMatch(/exec node dist\/server\/src\/main\.js "\$\{demo\[@\]\}"/);
    const dir = tempDir('rekindle-start-demo-');
    const rules = join(dir, 'rules');
    cpSync('rules', rules, { recursive: true });
    const db = join(dir, 'shop.sqlite');
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/server/src/main.js'), '--demo-shop'], {
      env: { ...process.env, PORT: '0', REKINDLE_QUIET: '0', NODE_ENV: 'production', DATABASE_URL: db, REKINDLE_RULES: rules, REKINDLE_DEMO_CUSTOMERS: '30' },
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    try {
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`not running after 60 s:\n${out}`)), 60_000);
        child.stdout.on('data', () => /Rekindle is running/.test(out) && (clearTimeout(timer), done()));
        child.on('exit', (code) => (clearTimeout(timer), fail(new Error(`exited ${code}:\n${out}`))));
      });
    } finally {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    expect(out).toMatch(/Empty database: generated the demo shop \(30 customers/);
    expect(await customerCount(db)).toBe(30);
  }, 90_000);
});
