process.env.REKINDLE_QUIET = '1';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';
import type { JourneyIncrementalEffect, SplitIncrementalEffect } from '../../server/src/core/experiment/incremental-effect.js';

/**
 * A simulation says what the journey brought in beyond its holdout: the designer's 模拟 (POST
 * /api/flows/:id/simulate) and `rekindle simulate` on the same shop, the same start and the same
 * seed give the same figures, and those figures are the experiment report's arms summed (treated
 * against holdout) as an analyst would add them up. A journey without a holdout says so instead.
 */
const dir = tempDir('rekindle-sim-uplift-');
const RULES = join(dir, 'rules');
cpSync(join(process.cwd(), 'rules'), RULES, { recursive: true });
const shop = join(dir, 'shop.sqlite');
const NOW = '2026-11-20T12:00:00+08:00';
const LAUNCH = '2027-04-20T10:00:00+08:00';

type Arm = { arm: string; holdout: boolean; assigned: number; responders: number; revenue: number; incrementalRevenue: number | null };

describe('the incremental effect of a simulated journey against its holdout', () => {
  let api: TestApp;
  let launch: { incrementalEffect: JourneyIncrementalEffect; experiments: Record<string, { arms: Arm[] }> };

  beforeAll(async () => {
    expect((await cli(['--db', shop, 'seed', '--customers', '2000', '--seed', '5', '--now', NOW, '--json'])).code).toBe(0);
    api = await createTestApp({ database: { url: shop }, rulesDir: RULES, clock: fixedClock(Date.parse(NOW)), schedulers: false });
    launch = (await api.http('marketer').post('/api/flows/new-product-launch/simulate').send({ from: LAUNCH, days: 25 }).expect(200)).body;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it("the server's simulate route states treated against holdout as the experiment report's arms add up", () => {
    const e = launch.incrementalEffect;
    if (!e.measured) throw new Error(`not measured: ${JSON.stringify(e)}`);
    expect(e.splits.map((s) => s.nodeId)).toEqual(['early-adopters']);
    const s = e.splits[0];
    const arms = launch.experiments['early-adopters'].arms;
    const sum = (xs: Arm[], f: (a: Arm) => number) => xs.reduce((n, a) => n + f(a), 0);
    const treated = arms.filter((a) => !a.holdout);
    const held = arms.filter((a) => a.holdout);
    const [tn, tx, hn, hx] = [sum(treated, (a) => a.assigned), sum(treated, (a) => a.responders), sum(held, (a) => a.assigned), sum(held, (a) => a.responders)];
    // The simulation has customers on both sides, and some converted (else the figures test nothing).
    expect(tn).toBeGreaterThan(100);
    expect(hn).toBeGreaterThan(0);
    expect(tx).toBeGreaterThan(0);
    expect(s.treated).toMatchObject({ arms: ['a', 'b'], assigned: tn, converted: tx });
    expect(s.holdout).toMatchObject({ arms: ['holdout'], assigned: hn, converted: hx });
    expect(s.treated.rate).toBeCloseTo(tx / tn, 12);
    expect(s.holdout.rate).toBeCloseTo(hx / hn, 12);
    expect(s.holdout.share).toBeCloseTo(hn / (tn + hn), 12);
    expect(s.lift).toBeCloseTo(tx / tn - hx / hn, 12);
    expect(s.liftCi.low).toBeLessThanOrEqual(s.lift);
    expect(s.liftCi.high).toBeGreaterThanOrEqual(s.lift);
    expect(s.incrementalConversions).toBeCloseTo(tn * (tx / tn - hx / hn), 9);
    // Each arm that sends, as the report counts it, against the same holdout.
    expect(s.byArm.map((a) => [a.arm, a.assigned, a.converted])).toEqual(treated.map((a) => [a.arm, a.assigned, a.responders]));
    for (const a of s.byArm) expect(a.lift).toBeCloseTo(a.converted / a.assigned - hx / hn, 12);
    // The responses are payments: revenue is counted, and is the report's per-arm incremental revenue summed.
    expect(s.incrementalRevenue).toBeCloseTo(sum(treated, (a) => a.revenue) - tn * (sum(held, (a) => a.revenue) / hn), 2);
    expect(s.incrementalRevenue).toBeCloseTo(sum(treated, (a) => a.incrementalRevenue ?? 0), 2);
    // 10% of a few hundred early adopters: too small a holdout to tell, and said so.
    expect(hn).toBeLessThan(30);
    expect(s.caution).toEqual({ code: 'too-few-customers', group: 'holdout', assigned: hn, minPerArm: 30 });
  });

  it('`rekindle simulate` states the same figures in its JSON and prints them', async () => {
    const json = await cli(['--db', join(dir, 'launch.sqlite'), '--rules', RULES, '--json', 'simulate', 'new-product-launch', '--copy-of', shop, '--from', LAUNCH, '--days', '25']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { incrementalEffect: JourneyIncrementalEffect };
    expect(out.incrementalEffect).toEqual(launch.incrementalEffect);

    const text = await cli(['--db', join(dir, 'launch-text.sqlite'), '--rules', RULES, 'simulate', 'new-product-launch', '--copy-of', shop, '--from', LAUNCH, '--days', '25']);
    expect(text.code).toBe(0);
    const s = (out.incrementalEffect as { splits: SplitIncrementalEffect[] }).splits[0];
    const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
    const yuan = (v: number) => `¥${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(text.stdout).toContain(`incremental effect of split early-adopters (experiment new-product-launch) against its holdout (holdout: ${s.holdout.assigned} customers, ${pct(s.holdout.share)} of the split, sent nothing):`);
    expect(text.stdout).toContain(`  converted: treated (a, b) ${s.treated.converted} of ${s.treated.assigned} = ${pct(s.treated.rate)}, holdout ${s.holdout.converted} of ${s.holdout.assigned} = ${pct(s.holdout.rate)}; lift ${(s.lift * 100).toFixed(2)} pp`);
    // Two messages (a e-mail, b SMS): which one brought the lift, each against the same holdout.
    expect(s.byArm.map((a) => a.arm)).toEqual(['a', 'b']);
    for (const a of s.byArm) {
      expect(text.stdout).toContain(`    arm ${a.arm}: ${a.converted} of ${a.assigned} = ${pct(a.rate)}; lift ${(a.lift * 100).toFixed(2)} pp against the holdout (95% interval `);
    }
    expect(s.byArm.reduce((n, a) => n + a.assigned, 0)).toBe(s.treated.assigned);
    expect(text.stdout).toContain(`  incremental conversions ≈ ${Math.round(s.incrementalConversions)} (${s.treated.assigned} treated × `);
    expect(text.stdout).toContain(`  incremental revenue ${yuan(s.incrementalRevenue!)} (treated paid ${yuan(s.treated.revenue)} − ${s.treated.assigned} × the holdout's `);
    expect(text.stdout).toContain(`  caution: only ${s.holdout.assigned} customers in the holdout, fewer than the 30 each side needs to compare`);
  }, 120_000);

  it('a journey without a holdout says so, and what to add, through the route and the CLI', async () => {
    const res = await api.http('marketer').post('/api/flows/payment-reminder/simulate').send({ days: 2 }).expect(200);
    expect(res.body.report.enrollments.exited + res.body.report.enrollments.completed + res.body.report.enrollments.active).toBeGreaterThan(0);
    expect(res.body.incrementalEffect).toEqual({ measured: false, reason: 'no-holdout', splits: [] });
    const r = await cli(['--db', join(dir, 'reminder.sqlite'), '--rules', RULES, 'simulate', 'payment-reminder', '--copy-of', shop, '--from', '2026-11-18T12:00:00+08:00', '--days', '2']);
    expect(r.code).toBe(0);
    const said = r.stdout.split('\n').filter((l) => l.startsWith('incremental effect'));
    expect(said).toEqual(['incremental effect: not measured — the journey has no holdout; to measure it, add an arm that sends nothing (holdout: true) to a split with an experiment: block, e.g. 10% of the customers']);
  }, 120_000);
});
