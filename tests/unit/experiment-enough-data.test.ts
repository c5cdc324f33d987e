import { describe, expect, it } from '@jest/globals';
import { MIN_PER_ARM, enoughData } from '../../server/src/core/experiment/enough-data.js';
import { ReportWarningSchema } from '../../server/src/core/experiment/report-warnings.js';
import { buildReport, decideWinner } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const arm = (arm: string, assigned: number, responders: number, holdout = false) => ({ arm, weight: holdout ? 10 : 45, holdout, assigned, exposed: holdout ? 0 : assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });

describe('whether an experiment has enough customers to compare', () => {
  it('needs 30 customers in every arm, the designer\'s threshold, defined once', () => {
    expect(MIN_PER_ARM).toBe(30);
    expect(enoughData([{ arm: 'a', assigned: 44 }, { arm: 'b', assigned: 32 }, { arm: 'holdout', assigned: 9 }])).toEqual({ enough: false, minPerArm: 30, fewest: { arm: 'holdout', assigned: 9 }, reason: 'few-customers', control: null });
    expect(enoughData([{ arm: 'a', assigned: 30 }, { arm: 'b', assigned: 31 }]).enough).toBe(true);
  });

  it('says so first in the report of new-product-launch after 14 simulated days (44/32/9, nobody answered)', () => {
    const x = ExperimentSchema.parse({ id: 'new-product-launch', window: '7d', responses: [{ event: 'order_paid' }] });
    const r = buildReport({ experimentId: 'new-product-launch', flowId: 'new-product-launch', nodeId: 'ab' }, x, [arm('a', 44, 0), arm('b', 32, 0), arm('holdout', 9, 0, true)], 'holdout');
    expect(r.enoughData.enough).toBe(false);
    expect(r.warnings[0]).toEqual({ code: 'not-enough-data', figures: { fewest: { arm: 'holdout', assigned: 9 }, minPerArm: 30 }, message: expect.stringMatching(/^not enough data: arm holdout has 9 customers; each arm needs at least 30/) });
    // And the lift interval no longer claims certainty: 0% of 44 vs 0% of 9 is anything from −30% to +8%.
    const a = r.arms[0].vsControl!;
    expect(a.absoluteCi.low).toBeLessThan(-0.29);
    expect(a.absoluteCi.high).toBeGreaterThan(0.08);
  });

  it('is not enough while the control has no response: no baseline to estimate the sample size from (0/246, 0/228, 0/49)', () => {
    const x = ExperimentSchema.parse({ id: 'coupon-test', window: '7d', responses: [{ event: 'order_paid' }] });
    const r = buildReport({ experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' }, x, [arm('a', 246, 0), arm('b', 228, 0), arm('holdout', 49, 0, true)], 'holdout');
    expect(r.enoughData).toEqual({ enough: false, minPerArm: 30, fewest: { arm: 'holdout', assigned: 49 }, reason: 'no-baseline', control: 'holdout' });
    expect(r.warnings).toEqual([{ code: 'no-baseline', figures: { control: 'holdout' }, message: 'no baseline responses yet: the control arm holdout has none, so the sample size cannot be estimated' }]);
    // Every arm Beta(1, 1 + n): P(best) would only rank the arms by size (the holdout of 49 at 74.75%).
    expect(r.arms.map((a) => a.probabilityBest)).toEqual([null, null, null]);
    // The roll-out is not held back by the missing baseline, only by arms short of customers: nobody is significantly better.
    expect(decideWinner(r, 'b')).toMatchObject({ arm: 'b', winner: false });
    // Once the control responds there is a baseline, and enough data; P(best) is a figure again.
    const later = buildReport({ experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' }, x, [arm('a', 246, 0), arm('b', 228, 0), arm('holdout', 49, 1, true)], 'holdout');
    expect(later.enoughData).toMatchObject({ enough: true, reason: null });
    expect(later.arms.every((a) => typeof a.probabilityBest === 'number')).toBe(true);
    // A treatment that responds while the control has not: P(best) is a figure, still not enough data.
    const one = buildReport({ experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' }, x, [arm('a', 246, 12), arm('b', 228, 0), arm('holdout', 49, 0, true)], 'holdout');
    expect(one.enoughData.reason).toBe('no-baseline');
    expect(one.arms[0].probabilityBest).toBeGreaterThan(0.5);
  });

  it('gives every warning a code and the figures it rests on, with the English message written from them', () => {
    const x = ExperimentSchema.parse({ id: 'coupon-test', window: '7d', responses: [{ event: 'order_paid' }], detectLift: 0.5 });
    const ids = { experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' };
    // 45/45/10 weights, sizes far off them, and a 5% baseline: too few customers for a +50% lift.
    const r = buildReport(ids, x, [arm('a', 500, 40), arm('b', 100, 9), arm('holdout', 100, 5, true)], 'holdout');
    expect(r.warnings.map((w) => w.code)).toEqual(['sample-ratio-mismatch', 'underpowered']);
    expect(r.warnings[0]).toMatchObject({ figures: { arms: [{ arm: 'a', assigned: 500, weight: 45 }, { arm: 'b', assigned: 100, weight: 45 }, { arm: 'holdout', assigned: 100, weight: 10 }] } });
    expect(r.warnings[0].message).toMatch(/^sample-ratio mismatch: arm sizes a=500, b=100, holdout=100 are off the weights 45%\/45%\/10% \(p = /);
    // The 10% holdout decides how many more customers must enter the split: (1471 − 100) / 0.10, not the arms' shortfalls summed (3713).
    expect(r.warnings[1]).toEqual({ code: 'underpowered', figures: { detectLift: 0.5, baselineRate: 0.05, perArm: 1471, moreCustomers: 13710, basis: 'shares', unfillable: [], significant: false }, message: "underpowered: to detect a 50% relative lift on 5.00% needs 1471 customers per arm: 13710 more customers entering the split at the arms' shares" });
    expect(r.power).toMatchObject({ perArm: 1471, moreCustomers: 13710, basis: 'shares', unfillable: [] });
    // A test-then-roll-out split whose test takes 20% of the customers entering: five times as many.
    const sampled = buildReport(ids, ExperimentSchema.parse({ ...x, test: { sample: 20, window: '7d', defaultArm: 'a' } }), [arm('a', 500, 40), arm('b', 100, 9), arm('holdout', 100, 5, true)], 'holdout');
    expect(sampled.warnings[1]).toMatchObject({ figures: { moreCustomers: 68550, sample: 20 }, message: expect.stringMatching(/68550 more customers entering the split at the arms' shares \(20% of them take part in the test\)$/) });
    // Arms filled by quota: more customers entering go to the overflow arm, so the shortfalls summed, said as such.
    const quota = buildReport(ids, x, [{ ...arm('a', 500, 40), quota: 500 }, { ...arm('b', 100, 9), quota: 100 }, { ...arm('holdout', 100, 5, true), quota: 100 }], 'holdout');
    expect(quota.warnings[1]).toMatchObject({ figures: { moreCustomers: 971 + 1371 + 1371, basis: 'per-arm' }, message: 'underpowered: to detect a 50% relative lift on 5.00% needs 1471 customers per arm: 3713 more in all, summed over the arms (they fill by quota: raise the quotas)' });
    // A control at 80% cannot rise by 50%: said as that, not as "no baseline responses yet".
    const high = buildReport(ids, x, [arm('a', 100, 70), arm('b', 100, 75), arm('holdout', 100, 80, true)], 'holdout');
    expect(high.warnings.map((w) => w.code)).toEqual(['sample-ratio-mismatch', 'target-unreachable']);
    expect(high.warnings[1].message).toBe('the sample size cannot be estimated: the control arm holdout responds at 80.00%, and a 50% relative lift on it would be 100% or more');
    expect(high.enoughData.enough).toBe(true);
    for (const w of [...r.warnings, ...high.warnings]) expect(ReportWarningSchema.parse(w)).toEqual(w);
  });

  it('keeps the roll-out on the default arm when a test sample is too small, even if one arm looks significantly better', () => {
    const x = ExperimentSchema.parse({ id: 'tiny-test', window: '7d', responses: [{ event: 'order_paid' }] });
    const ids = { experimentId: 'tiny-test', flowId: 'f', nodeId: 'ab' };
    // 29 of 29 against 0 of 29: p far below 0.05, but 29 customers an arm is below the bar.
    const tiny = buildReport(ids, x, [arm('a', 29, 29), arm('b', 29, 0)], 'b');
    expect(tiny.arms[0].vsControl!.pValue).toBeLessThan(0.001);
    expect(decideWinner(tiny, 'b')).toEqual({ arm: 'b', winner: false, code: 'not-enough-data', figures: { fewest: { arm: 'a', assigned: 29 }, minPerArm: 30, defaultArm: 'b' }, reason: 'not enough data: arm a had 29 customers when the test ended, each arm needs at least 30; default arm b' });
    // From 30 an arm the same answers decide.
    const enough = buildReport(ids, x, [arm('a', 30, 30), arm('b', 30, 0)], 'b');
    expect(decideWinner(enough, 'b')).toMatchObject({ arm: 'a', winner: true });
  });
});
