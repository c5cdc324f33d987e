import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { ensureDemoShop } from '../../server/src/startup/demo-shop.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const SHOP_YAML = fileURLToPath(new URL('../../rules/shop.yaml', import.meta.url));

/** Runs the CLI in-process and captures what it prints. */
const rekindle = (...args: string[]) => cli(args);

async function dump(file: string) {
  const ds = await openDatabase({ url: file });
  try {
    return JSON.stringify([
      await ds.query('SELECT * FROM customers ORDER BY id'),
      await ds.query('SELECT * FROM orders ORDER BY id'),
      await ds.query('SELECT * FROM customer_facts ORDER BY customer_id'),
    ]);
  } finally {
    await ds.destroy();
  }
}

describe('rekindle seed', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('rekindle-seed-');
    copyFileSync(SHOP_YAML, join(dir, 'shop.yaml'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const seed = (db: string, ...extra: string[]) => rekindle('--db', join(dir, db), '--rules', dir, 'seed', '--customers', '300', '--seed', '5', '--now', '2026-11-23T09:00:00Z', ...extra);

  it('writes the same data for the same customers, seed and now', async () => {
    const a = await seed('a.sqlite', '--json');
    expect(a.code).toBe(0);
    expect(a.stderr).not.toContain('seeding'); // --json is quiet: no progress bar
    const out = JSON.parse(a.stdout);
    expect(out).toMatchObject({ customers: 300, facts: 300, seed: '5', now: '2026-11-23T09:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(out.orders).toBeGreaterThan(300);
    expect((await seed('b.sqlite', '--json')).code).toBe(0);
    expect(await dump(join(dir, 'b.sqlite'))).toBe(await dump(join(dir, 'a.sqlite')));
  });

  it('refuses a shop that already has customers unless --reset is given', async () => {
    expect((await seed('s.sqlite')).code).toBe(0);
    const refused = await seed('s.sqlite');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has 300 customers');
    expect(refused.stderr).toContain('--reset');
    const before = await dump(join(dir, 's.sqlite'));
    const reset = await seed('s.sqlite', '--reset');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/Seeded 300 customers and \d+ orders \(seed 5/);
    expect(await dump(join(dir, 's.sqlite'))).toBe(before);
  });

  it('rejects a bad --customers or --now with a message naming the option', async () => {
    expect((await seed('x.sqlite', '--now', 'yesterday-ish')).stderr).toContain('--now');
    const r = await rekindle('--db', join(dir, 'x.sqlite'), '--rules', dir, 'seed', '--customers', 'many');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--customers');
  });
});

describe('ensureDemoShop', () => {
  it('seeds an empty database once and leaves a non-empty one alone', async () => {
    const dir = tempDir('rekindle-demo-');
    copyFileSync(SHOP_YAML, join(dir, 'shop.yaml'));
    const target = { url: join(dir, 'shop.sqlite') };
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const now = Date.parse('2026-11-23T09:00:00Z');
    expect(await ensureDemoShop(target, dir, { customers: 150, now, log })).toEqual({ seeded: true, customers: 150 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('150 customers');
    expect(await ensureDemoShop(target, dir, { customers: 999, now, log })).toEqual({ seeded: false, customers: 150 });
    expect(lines).toHaveLength(1);
  });

  it('takes the demo size from REKINDLE_DEMO_CUSTOMERS', async () => {
    const dir = tempDir('rekindle-demo-');
    process.env.REKINDLE_DEMO_CUSTOMERS = '40';
    try {
      expect(await ensureDemoShop({ url: join(dir, 'shop.sqlite') }, dir, { log: () => {} })).toEqual({ seeded: true, customers: 40 });
    } finally {
      delete process.env.REKINDLE_DEMO_CUSTOMERS;
    }
  });
});
