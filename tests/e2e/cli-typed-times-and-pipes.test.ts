import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { tempDir } from '../support/temp-dirs.js';
import { rekindleIn } from '../support/cli-process.js';

// An empty rules folder: the default shop.yaml, timezone Asia/Shanghai.
const RULES = tempDir('rekindle-rules-');
const DIR = tempDir('rekindle-typed-times-');

describe('times typed on the command line are shop time, whatever the server zone', () => {
  const db = join(DIR, 'shop.sqlite');
  const customers = join(DIR, 'customers.csv');
  const orders = join(DIR, 'orders.csv');
  writeFileSync(customers, 'externalId,name\nc1,王芳\n');
  // Unpaid at 23:00 on 30 November, Beijing time.
  writeFileSync(orders, 'externalId,customerExternalId,status,amount,createdAt,items\no1,c1,created,99,2026-11-30T23:00:00+08:00,dress-01:dress\n');

  const hoursSinceUnpaid = async (tz: string, at: string) => {
    const res = await rekindleIn(tz, ['--db', db, '--rules', RULES, 'export', 'customers', '--at', at]);
    expect(res.stderr).toBe('');
    const rows = parse(res.stdout, { columns: true }) as Record<string, string>[];
    return Number(rows.find((r) => r.externalId === 'c1')!.hoursSinceLastUnpaid);
  };

  it('--at without an offset is the shop wall clock and a date alone the shop midnight, on a server in UTC or in Beijing', async () => {
    expect((await rekindleIn('UTC', ['--db', db, '--rules', RULES, 'import', 'customers', customers])).code).toBe(0);
    expect((await rekindleIn('UTC', ['--db', db, '--rules', RULES, 'import', 'orders', orders])).code).toBe(0);
    for (const tz of ['UTC', 'Asia/Shanghai']) {
      // 10:00 on 1 December in Beijing is 11 hours after the order (a UTC reading gave 19).
      expect(await hoursSinceUnpaid(tz, '2026-12-01T10:00:00')).toBe(11);
      expect(await hoursSinceUnpaid(tz, '2026-12-01 10:00')).toBe(11);
      expect(await hoursSinceUnpaid(tz, '2026-12-01T10:00:00+08:00')).toBe(11);
      // Midnight of 1 December in Beijing: one hour after the order (a UTC reading gave 9).
      expect(await hoursSinceUnpaid(tz, '2026-12-01')).toBe(1);
    }
    const bad = await rekindleIn('UTC', ['--db', db, '--rules', RULES, 'export', 'customers', '--at', '2026-13-01']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--at: "2026-13-01" is not an ISO-8601 date or time/);
  }, 60_000);

  it('an export piped into a reader that stops early (| head) ends quietly with exit code 0', async () => {
    const shop = join(DIR, 'seeded.sqlite');
    expect((await rekindleIn('UTC', ['--db', shop, '--rules', RULES, 'seed', '--customers', '3000'])).code).toBe(0);
    const child = spawn(process.execPath, ['bin/rekindle.js', '--db', shop, '--rules', RULES, 'export', 'customers'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    // Read the first chunk (the header and some rows), then close the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
