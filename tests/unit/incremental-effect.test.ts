import { describe, expect, it } from '@jest/globals';
import { countsRevenue, journeyIncrementalEffect, splitIncrementalEffect } from '../../server/src/core/experiment/incremental-effect.js';
import { buildReport, type ArmData } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

/**
 * The incremental effect a simulation states (treated against the holdout), checked against a hand
 * computation. The interval and p-value were computed apart from the code (Python's statistics
 * module: Wilson bounds, Newcombe's difference, the pooled z-test written out):
 *   treated 99/900, holdout 6/100:   Newcombe 95% [-0.017443700, 0.089078941], p = 0.121781848
 *   treated 990/9000, holdout 60/1000: Newcombe 95% [0.032365689, 0.064685978], p = 9.9254e-7
 *   arm a 54/450, holdout 6/100:      Newcombe 95% [-0.010114214, 0.106321601], p = 0.081707180
 *   arm b 45/450, holdout 6/100:      Newcombe 95% [-0.029219450, 0.084841336], p = 0.212244032
 */
const arm = (arm: string, assigned: number, responders: number, revenue: number, holdout = false) => ({ arm, holdout, assigned, responders, revenue });
const report = (arms: ReturnType<typeof arm>[]) => ({ experimentId: 'launch', nodeId: 'ab', alpha: 0.05, arms });

describe('the incremental effect of a journey against its holdout', () => {
  it('pools the treated arms against the holdout: rates, lift in points, incremental conversions and revenue by hand', () => {
    // a 54/450 paying ¥5,400, b 45/450 paying ¥4,050 → treated 99/900 = 11%, ¥9,450;
    // holdout 6/100 = 6%, ¥480 (¥4.80 a customer) → lift 5 points, 900 × 0.05 = 45 conversions,
    // ¥9,450 − 900 × ¥4.80 = ¥5,130.
    const e = splitIncrementalEffect(report([arm('a', 450, 54, 5400), arm('b', 450, 45, 4050), arm('holdout', 100, 6, 480, true)]), true)!;
    expect(e.treated).toEqual({ arms: ['a', 'b'], assigned: 900, converted: 99, rate: 0.11, revenue: 9450 });
    expect(e.holdout).toEqual({ arms: ['holdout'], assigned: 100, converted: 6, rate: 0.06, revenue: 480, share: 0.1 });
    expect(e.lift).toBeCloseTo(0.05, 12);
    expect(e.incrementalConversions).toBeCloseTo(45, 9);
    expect(e.incrementalRevenue).toBe(5130);
    expect(e.liftCi.low).toBeCloseTo(-0.0174437, 6);
    expect(e.liftCi.high).toBeCloseTo(0.0890789, 6);
    expect(e.pValue).toBeCloseTo(0.1217818, 6);
    // 100 in the holdout is enough customers to compare, but a 5-point gap on them is within chance.
    expect(e.significant).toBe(false);
    expect(e.caution).toEqual({ code: 'not-significant', pValue: e.pValue, alpha: 0.05 });
  });

  it('states each arm that sends against the same holdout, by hand: which message brought the lift', () => {
    // a 54/450 = 12% and b 45/450 = 10% against the holdout's 6/100 = 6%: 6 and 4 points, each its own
    // test (neither beyond chance on 100 held out), where the pooled figure says 5.
    const e = splitIncrementalEffect(report([arm('a', 450, 54, 5400), arm('b', 450, 45, 4050), arm('holdout', 100, 6, 480, true)]), true)!;
    expect(e.byArm.map((a) => [a.arm, a.assigned, a.converted, a.rate, a.significant])).toEqual([
      ['a', 450, 54, 0.12, false],
      ['b', 450, 45, 0.1, false],
    ]);
    const [a, b] = e.byArm;
    expect(a.lift).toBeCloseTo(0.06, 12);
    expect(b.lift).toBeCloseTo(0.04, 12);
    expect(a.liftCi.low).toBeCloseTo(-0.0101142, 6);
    expect(a.liftCi.high).toBeCloseTo(0.1063216, 6);
    expect(a.pValue).toBeCloseTo(0.0817072, 6);
    expect(b.liftCi.low).toBeCloseTo(-0.0292194, 6);
    expect(b.liftCi.high).toBeCloseTo(0.0848413, 6);
    expect(b.pValue).toBeCloseTo(0.2122440, 6);
    // One arm that sends: its own figures are the pooled ones.
    const one = splitIncrementalEffect(report([arm('a', 9000, 990, 99_000), arm('holdout', 1000, 60, 6000, true)]), true)!;
    expect(one.byArm).toEqual([{ arm: 'a', assigned: 9000, converted: 990, rate: 0.11, lift: one.lift, liftCi: one.liftCi, pValue: one.pValue, significant: true }]);
  });

  it('gives no caution when the holdout is large enough and the lift is beyond chance', () => {
    const e = splitIncrementalEffect(report([arm('a', 9000, 990, 99_000), arm('holdout', 1000, 60, 6000, true)]), true)!;
    expect(e.lift).toBeCloseTo(0.05, 12);
    expect(e.incrementalConversions).toBeCloseTo(450, 9);
    // ¥99,000 − 9,000 × ¥6 = ¥45,000
    expect(e.incrementalRevenue).toBe(45_000);
    expect(e.liftCi.low).toBeCloseTo(0.0323657, 6);
    expect(e.liftCi.high).toBeCloseTo(0.064686, 6);
    expect(e.pValue).toBeCloseTo(9.925e-7, 9);
    expect(e.significant).toBe(true);
    expect(e.caution).toBeNull();
  });

  it('adds up to the experiment report\'s own per-arm incremental revenue', () => {
    const x = ExperimentSchema.parse({ id: 'launch', responses: [{ event: 'order_paid' }] });
    const data: ArmData[] = [
      { arm: 'a', weight: 45, holdout: false, assigned: 451, exposed: 400, responders: 37, revenue: 4321.57, messageCost: {}, couponCost: 0 },
      { arm: 'b', weight: 45, holdout: false, assigned: 447, exposed: 420, responders: 41, revenue: 5012.3, messageCost: { sms: 21 }, couponCost: 0 },
      { arm: 'holdout', weight: 10, holdout: true, assigned: 102, exposed: 0, responders: 4, revenue: 388.8, messageCost: {}, couponCost: 0 },
    ];
    const r = buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, data, 'holdout');
    const e = splitIncrementalEffect(r, true)!;
    const summed = r.arms.reduce((s, a) => s + (a.incrementalRevenue ?? 0), 0);
    expect(e.incrementalRevenue!).toBeCloseTo(summed, 4);
  });

  it('cautions that a holdout below the customers any compared arm needs cannot tell', () => {
    const e = splitIncrementalEffect(report([arm('a', 500, 60, 0), arm('holdout', 12, 0, 0, true)]), true)!;
    expect(e.holdout.assigned).toBe(12);
    expect(e.caution).toEqual({ code: 'too-few-customers', group: 'holdout', assigned: 12, minPerArm: 30 });
  });

  it('says nothing of revenue when the responses carry no order amount (clicks)', () => {
    expect(countsRevenue({ responses: [{ event: 'click' }] })).toBe(false);
    expect(countsRevenue({ responses: [{ event: 'coupon_redeemed' }] })).toBe(false);
    expect(countsRevenue({ responses: [{ event: 'order_paid' }, { event: 'coupon_redeemed' }] })).toBe(true);
    expect(countsRevenue({ responses: [{ event: 'reply', revenue: 'value' }] })).toBe(true);
    const e = splitIncrementalEffect(report([arm('a', 500, 60, 0), arm('holdout', 50, 3, 0, true)]), false)!;
    expect(e.incrementalRevenue).toBeNull();
  });

  it('is measured on every split with a holdout, and says why not otherwise', () => {
    const experiment = { id: 'launch', responses: [{ event: 'order_paid' }] };
    const withHoldout = { id: 'ab', type: 'split', arms: [{ id: 'a' }, { id: 'holdout', holdout: true }], experiment };
    const r = report([arm('a', 500, 60, 6000), arm('holdout', 50, 3, 300, true)]);
    const measured = journeyIncrementalEffect([{ id: 'start', type: 'entry' }, withHoldout], { ab: r });
    expect(measured).toEqual({ measured: true, splits: [splitIncrementalEffect(r, true)] });
    // No split at all (the Double-11 journey), or an A/B test of two messages: no holdout.
    expect(journeyIncrementalEffect([{ id: 'start', type: 'entry' }], {})).toEqual({ measured: false, reason: 'no-holdout', splits: [] });
    const ab = { id: 'ab', type: 'split', arms: [{ id: 'a' }, { id: 'b' }], experiment };
    expect(journeyIncrementalEffect([ab], { ab: report([arm('a', 50, 3, 0), arm('b', 50, 4, 0)]) })).toEqual({ measured: false, reason: 'no-holdout', splits: ['ab'] });
    // A holdout arm on a split that is no experiment: nothing counts its conversions.
    expect(journeyIncrementalEffect([{ id: 'ab', type: 'split', arms: [{ id: 'a' }, { id: 'holdout', holdout: true }] }], {})).toEqual({ measured: false, reason: 'holdout-without-experiment', splits: ['ab'] });
  });
});
