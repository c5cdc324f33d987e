import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';
import { rekindleIn } from '../support/cli-process.js';

// An empty rules folder: the default shop.yaml, timezone Asia/Shanghai.
const RULES = tempDir('rekindle-rules-');
const DIR = tempDir('rekindle-shop-time-');
const CUSTOMERS = join(DIR, 'customers.csv');
const ORDERS = join(DIR, 'orders.csv');
writeFileSync(CUSTOMERS, 'externalId,name\nc1,王芳\nc2,李雷\nc3,张三\n');
// Written by a shop system in Beijing time, without an offset (as Taobao exports and Excel write them).
writeFileSync(
  ORDERS,
  [
    'externalId,customerExternalId,status,amount,createdAt,paidAt,items',
    'o1,c1,created,99,2026-11-30 10:00:00,,dress-01:dress',
    // 21:30 on Double 11, Beijing time: 13:30 UTC, still 11 November.
    'o2,c2,paid,199,2025-11-11 21:30:00,2025-11-11T21:35:00,coat-01:coat',
    // A date alone is midnight in the shop.
    'o3,c3,paid,59,2026-06-01,2026-06-01 00:05,tops-01:tops',
    // An explicit offset is kept as it is.
    'o4,c3,paid,59,2026-06-02T10:00:00Z,2026-06-02T18:00:00+08:00,tops-01:tops',
  ].join('\n') + '\n',
);

const run = promisify(execFile);

describe.each(DIALECTS)('times without an offset are shop time on %s', (dialect) => {
  const stored: Record<string, unknown>[] = [];
  let drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of drops) await d();
    drops = [];
  });

  it.each(['UTC', 'Asia/Shanghai'])('rekindle import orders on a server in %s stores Beijing wall-clock instants; an evening Double 11 order is a Double 11 order', async (tz) => {
    // The process really runs in that zone: local midnight of 1 Jan 2026 is 0 h or 8 h from UTC there.
    const probe = await run(process.execPath, ['-e', 'process.stdout.write(String(new Date(2026, 0, 1).getTimezoneOffset()))'], { env: { ...process.env, TZ: tz } });
    expect(probe.stdout).toBe(tz === 'UTC' ? '0' : '-480');
    const t = await freshTarget(dialect, { migrated: true });
    drops.push(t.drop);
    const r = (...args: string[]) => rekindleIn(tz, ['--db', t.target.url, '--rules', RULES, ...args]);
    expect((await r('import', 'customers', CUSTOMERS)).code).toBe(0);
    const res = await r('import', 'orders', ORDERS);
    expect(res).toMatchObject({ code: 0 });

    const ds = await openDatabase(t.target);
    try {
      const rows = (await ds.query('SELECT external_id, created_at, paid_at FROM orders ORDER BY external_id')) as { external_id: string; created_at: unknown; paid_at: unknown }[];
      const at = (v: unknown) => (v === null ? null : new Date(Number(v)).toISOString());
      const orders = Object.fromEntries(rows.map((o) => [o.external_id, [at(o.created_at), at(o.paid_at)]]));
      expect(orders).toEqual({
        o1: ['2026-11-30T02:00:00.000Z', null],
        o2: ['2025-11-11T13:30:00.000Z', '2025-11-11T13:35:00.000Z'],
        o3: ['2026-05-31T16:00:00.000Z', '2026-05-31T16:05:00.000Z'],
        o4: ['2026-06-02T10:00:00.000Z', '2026-06-02T10:00:00.000Z'],
      });
      stored.push(orders);
    } finally {
      await ds.destroy();
    }

    const exported = parse((await r('export', 'customers', '--at', '2026-12-01T00:00:00Z')).stdout.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(exported.find((c) => c.externalId === 'c2')).toMatchObject({ double11Years: '2025', double11Count: '1' });
  });

  it('rekindle import orders refuses an order paid before it was created by line and field, in the shop clock', async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drops.push(t.drop);
    const early = join(DIR, 'orders-early.csv');
    writeFileSync(early, 'externalId,customerExternalId,status,amount,createdAt,paidAt\nx2,c2,paid,12,2026-11-02T10:00:00Z,2026-11-01T09:00:00Z\n');
    const r = (...args: string[]) => rekindleIn('UTC', ['--db', t.target.url, '--rules', RULES, ...args]);
    expect((await r('import', 'customers', CUSTOMERS)).code).toBe(0);
    const res = await r('import', 'orders', early);
    expect(res.code).not.toBe(0);
    expect(res.stdout + res.stderr).toContain('orders-early.csv:2: paidAt: 2026-11-01 17:00 +08:00 is before createdAt 2026-11-02 18:00 +08:00');
  });

  it('both server zones stored the same instants', () => {
    expect(stored).toHaveLength(2);
    expect(stored[0]).toEqual(stored[1]);
  });
});
