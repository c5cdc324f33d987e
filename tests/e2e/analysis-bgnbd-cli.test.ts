/**
 * `rekindle analyse --model bgnbd`: the fitted parameters printed (--json), P(alive) and expected
 * purchases stored as facts on the shop, and a rule reading them ("pAlive < 0.3").
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const CDNOW = fileURLToPath(new URL('../../data/cdnow/cdnow_sample.txt', import.meta.url));
const rekindle = (...args: string[]) => cli(args);
const dir = tempDir('rekindle-bgnbd-');
const rules = join(dir, 'rules');
cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
const db = join(dir, 'shop.sqlite');
const NOW = Date.parse('2026-11-20T04:00:00Z');

describe('rekindle analyse --model bgnbd', () => {
  afterAll(() => undefined);

  it('on a CDNOW file: prints the fitted parameters of the 39-week calibration period', async () => {
    const r = await rekindle('analyse', '--model', 'bgnbd', '--cdnow', CDNOW, '--until', '1997-09-30', '--json', '--rules', rules, '--db', join(dir, 'none', 'x.sqlite'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'bgnbd', until: '1997-09-30T23:59:59+00:00', horizonDays: 90, stored: null });
    expect(out.fit.customers).toBe(2357);
    expect(out.fit.params.r).toBeCloseTo(0.243, 3);
    expect(out.fit.params.alpha).toBeCloseTo(4.414, 2);
    expect(out.fit.params.a).toBeCloseTo(0.793, 3);
    expect(out.fit.params.b).toBeCloseTo(2.426, 2);
    const text = await rekindle('analyse', '--model', 'bgnbd', '--cdnow', CDNOW, '--until', '1997-09-30', '--rules', rules);
    expect(text.stdout).toContain('r = 0.243   alpha = 4.414');
    expect(text.stdout).toContain('a = 0.793   b = 2.426');
  });

  it("on the shop: stores P(alive) and expected purchases as facts that rules read (pAlive < 0.3)", async () => {
    const ds = await openDatabase({ url: db });
    await bulkWriteShop(ds, generateDemoShop({ customers: 1500, seed: 7, now: NOW, timezone: 'Asia/Shanghai' }), { timezone: 'Asia/Shanghai', now: NOW });
    await ds.destroy();
    const r = await rekindle('analyse', '--model', 'bgnbd', '--db', db, '--rules', rules, '--at', '2026-11-20T12:00:00+08:00', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.stored).toBeGreaterThan(1000);
    for (const k of ['r', 'alpha', 'a', 'b']) expect(out.fit.params[k]).toBeGreaterThan(0);

    const check = await openDatabase({ url: db });
    const facts = await queryRows<{ customer_id: number; p_alive: number | null; expected_purchases: number | null; order_count: number }>(check, 'SELECT customer_id, p_alive, expected_purchases, order_count FROM customer_facts');
    const [fit] = await queryRows(check, 'SELECT model, horizon_days, params FROM model_fits');
    await check.destroy();
    expect(fit).toMatchObject({ model: 'bgnbd', horizon_days: 90 });
    const buyers = facts.filter((f) => Number(f.order_count) > 0);
    expect(buyers.every((f) => f.p_alive !== null && Number(f.p_alive) >= 0 && Number(f.p_alive) <= 1 && Number(f.expected_purchases) >= 0)).toBe(true);
    expect(facts.filter((f) => Number(f.order_count) === 0).every((f) => f.p_alive === null)).toBe(true);

    const expected = facts.filter((f) => f.p_alive !== null && Number(f.p_alive) < 0.3 && Number(f.order_count) >= 2).map((f) => Number(f.customer_id)).sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    const seg = await rekindle('segment', 'predicted-lost', '--db', db, '--rules', rules, '--json', '--list');
    expect(seg.code).toBe(0);
    expect(JSON.parse(seg.stdout).count).toBe(expected.length);
  });

  it('refuses an unknown model and a bad horizon by name', async () => {
    expect((await rekindle('analyse', '--model', 'pareto', '--db', db, '--rules', rules)).stderr).toContain('--model: "pareto" is not a model (models: bgnbd)');
    expect((await rekindle('analyse', '--model', 'bgnbd', '--horizon', 'soon', '--db', db, '--rules', rules)).stderr).toContain('--horizon: "soon" is not a whole number of days');
  });
});
