import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { cli } from '../support/cli.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { tempDir } from '../support/temp-dirs.js';

const CDNOW = fileURLToPath(new URL('../../data/cdnow/cdnow_sample.txt', import.meta.url));
const SHOP_YAML = fileURLToPath(new URL('../../rules/shop.yaml', import.meta.url));

/** Runs the CLI in-process and captures what it prints. */
const rekindle = (...args: string[]) => cli(args);

describe('rekindle analyse --cdnow', () => {
  let rules: string;
  beforeEach(() => {
    rules = tempDir('rekindle-analyse-');
    copyFileSync(SHOP_YAML, join(rules, 'shop.yaml'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(rules, { recursive: true, force: true });
  });

  it('warns of a thin sample and writes no thresholds from it unless --force (the first 120 purchases of the sample)', async () => {
    const small = join(rules, 'small.txt');
    writeFileSync(small, readFileSync(CDNOW, 'utf8').split('\n').slice(0, 120).join('\n') + '\n');
    const yaml = readFileSync(join(rules, 'shop.yaml'), 'utf8');
    const r = await rekindle('analyse', '--cdnow', small, '--rules', rules);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WARNING thin sample: 73 interval(s) from 21 repeat customer(s); the suggested thresholds are noise below 369 intervals from 100 repeat customers');
    expect(JSON.parse((await rekindle('analyse', '--cdnow', small, '--rules', rules, '--json')).stdout).lifecycle.thin).toEqual({ intervals: 73, repeatCustomers: 21, neededIntervals: 369, neededRepeatCustomers: 100 });
    const refused = await rekindle('analyse', '--cdnow', small, '--rules', rules, '--write-thresholds');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--write-thresholds: nothing written, thin sample: 73 interval(s)');
    expect(refused.stderr).toContain('(--force writes them all the same)');
    expect(readFileSync(join(rules, 'shop.yaml'), 'utf8')).toBe(yaml);
    const forced = await rekindle('analyse', '--cdnow', small, '--rules', rules, '--write-thresholds', '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(rules, 'shop.yaml'), 'utf8')).not.toBe(yaml);
    // The whole sample (4,339 intervals from 1,139 repeat customers) is enough: no warning.
    expect(JSON.parse((await rekindle('analyse', '--cdnow', CDNOW, '--rules', rules, '--json')).stdout).lifecycle.thin).toBeNull();
  });

  it('prints the lifecycle and RFM results as JSON without touching a database', async () => {
    const r = await rekindle('analyse', '--cdnow', CDNOW, '--json', '--rules', rules, '--db', join(rules, 'must-not-exist', 'x.sqlite'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out.lifecycle.at).toBe('1998-07-01T00:00:00+00:00');
    expect(out.lifecycle.intervals.distribution).toMatchObject({ count: 4339, median: 34 });
    expect(out.lifecycle.suggestion.thresholds).toEqual({ activeDays: 15, silentDays: 49, sleepingDays: 196 });
    expect(out.lifecycle.current).toEqual({ activeDays: 27, silentDays: 138, sleepingDays: 426 });
    expect(out.rfm.rfm.topCells[0]).toMatchObject({ cell: '555', count: 234 });
    expect(out.written).toBeNull();
  });

  it('cuts at other shares and evaluates at another instant', async () => {
    const r = await rekindle('analyse', '--cdnow', CDNOW, '--json', '--rules', rules, '--shares', '0.5,0.8,0.95', '--at', '1998-01-01');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.lifecycle.suggestion.requestedShares).toEqual([0.5, 0.8, 0.95]);
    // Only orders up to 1998-01-01 count: fewer intervals than the full 4,339.
    expect(out.lifecycle.intervals.distribution.count).toBeLessThan(4339);
    expect(out.lifecycle.suggestion.realisedCumulative[0]).toBeGreaterThanOrEqual(0.5);
  });

  it('prints a readable report comparing suggested and current thresholds', async () => {
    const r = await rekindle('analyse', '--cdnow', CDNOW, '--rules', rules);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Repurchase intervals: 4339 intervals from 1139 repeat customers');
    expect(r.stdout).toMatch(/activeDays +15 +27/);
    expect(r.stdout).toMatch(/sleepingDays +196 +426/);
    expect(r.stdout).toContain('555 champions');
    expect(r.stdout).toContain('Customers by order count:');
  });

  it("writes the suggestion into shop.yaml's lifecycle block, keeping the comments", async () => {
    const r = await rekindle('analyse', '--cdnow', CDNOW, '--rules', rules, '--write-thresholds', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).written).toBe(join(rules, 'shop.yaml'));
    const text = readFileSync(join(rules, 'shop.yaml'), 'utf8');
    expect(text).toContain('# Shop-wide settings.');
    // The comments keep their words, with each threshold's number as written now.
    expect(text).toMatch(/activeDays: 15 +# recencyDays <= 15: active/);
    expect(text).toMatch(/silentDays: 49 +# <= 49: silent/);
    expect(text).toMatch(/sleepingDays: 196 +# <= 196: sleeping; beyond: lost/);
    expect(text).toContain('timezone: Asia/Shanghai');
  });

  it('names the line and field of a bad CDNOW row, and rejects bad shares', async () => {
    const bad = join(rules, 'bad.txt');
    writeFileSync(bad, ' 00004 0001 19970101  2   29.33\n 00004 0001 1997-01-02  2   29.33\n');
    const r = await rekindle('analyse', '--cdnow', bad, '--rules', rules);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 2, field date');
    const s = await rekindle('analyse', '--cdnow', CDNOW, '--rules', rules, '--shares', '0.9,0.6,0.3');
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('--shares');
  });
});

describe('rekindle analyse (database)', () => {
  it('analyses an empty shop database: no intervals, no suggestion', async () => {
    const dir = tempDir('rekindle-analyse-db-');
    try {
      // An empty shop: the database exists (a --db naming no database is refused, cli-missing-database.test.ts).
      await (await openDatabase({ url: join(dir, 'shop.sqlite') })).destroy();
      const r = await rekindle('analyse', '--json', '--db', join(dir, 'shop.sqlite'), '--rules', dir, '--at', '2026-01-01');
      // (stderr may carry Node's one-time VM-modules warning under jest, so only errors are checked.)
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('error');
      const out = JSON.parse(r.stdout);
      expect(out.lifecycle.suggestion).toBeNull();
      expect(out.rfm).toMatchObject({ customers: 0, prospects: 0 });
      const w = await rekindle('analyse', '--db', join(dir, 'shop.sqlite'), '--rules', dir, '--write-thresholds');
      expect(w.code).toBe(1);
      expect(w.stderr).toContain('no customer bought on two different days');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
