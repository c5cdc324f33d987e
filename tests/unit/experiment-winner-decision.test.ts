import { describe, expect, it } from '@jest/globals';
import { buildReport, decideWinner } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';
import { decisionReason, WinnerDecisionSchema } from '../../server/src/core/experiment/winner-decision.js';

const arm = (arm: string, assigned: number, responders: number, holdout = false) => ({ arm, weight: 50, holdout, assigned, exposed: holdout ? 0 : assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });
const x = ExperimentSchema.parse({ id: 'coupon-test', window: '7d', responses: [{ event: 'order_paid' }] });
const ids = { experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' };
/** The decision for these arms, the control being `control` (else the last arm), default arm "b". */
const decided = (arms: ReturnType<typeof arm>[], control = arms[arms.length - 1].arm) => decideWinner(buildReport(ids, x, arms, control), 'b');

describe('a test-then-roll-out decision says its case as a code with the figures, and in English from them', () => {
  it('winner: the best arm, alpha, the comparisons and the corrected level', () => {
    const d = decided([arm('a', 200, 80), arm('b', 200, 20)]);
    expect(d).toEqual({ arm: 'a', winner: true, code: 'winner', figures: { best: { arm: 'a', responseRate: 0.4 }, alpha: 0.05, comparisons: 1, level: 0.05 }, reason: 'arm a (40.00%) beats every other arm at p < 0.0500 (alpha 0.05, 1 comparison)' });
    // Three arms: two comparisons, each at alpha / 2.
    expect(decided([arm('a', 300, 150), arm('b', 300, 30), arm('c', 300, 30)])).toMatchObject({ code: 'winner', figures: { comparisons: 2, level: 0.025 }, reason: expect.stringContaining('at p < 0.0250 (alpha 0.05, 2 comparisons)') });
  });

  it('not-significant: the best arm, the arm it did not beat, p and the level it had to be below, the default arm', () => {
    const d = decided([arm('a', 100, 12), arm('b', 100, 10)]);
    expect(d).toMatchObject({ arm: 'b', winner: false, code: 'not-significant', figures: { best: { arm: 'a', responseRate: 0.12 }, other: { arm: 'b', responseRate: 0.1 }, level: 0.05, defaultArm: 'b' } });
    if (d.code !== 'not-significant') throw new Error('not-significant expected');
    expect(d.figures.pValue).toBeCloseTo(0.6513, 4);
    expect(d.reason).toBe('best arm a (12.00%) is not significantly better than b (10.00%): p = 0.6513 ≥ 0.0500; default arm b');
    // Equal rates are not significant either (z = 0, p = 1), not a case of their own.
    expect(decided([arm('a', 100, 10), arm('b', 100, 10)])).toMatchObject({ code: 'not-significant', figures: { pValue: 1 } });
  });

  it('behind: a holdout responding more often than the best treatment arm is said so, not as "p ≥ level" when p is tiny', () => {
    const d = decided([arm('holdout', 100, 30, true), arm('a', 100, 5), arm('b', 100, 4)], 'holdout');
    expect(d).toMatchObject({ arm: 'b', winner: false, code: 'behind', figures: { best: { arm: 'a', responseRate: 0.05 }, other: { arm: 'holdout', responseRate: 0.3 }, level: 0.025, defaultArm: 'b' } });
    if (d.code !== 'behind') throw new Error('behind expected');
    expect(d.figures.pValue).toBeLessThan(0.001);
    expect(d.reason).toBe('best arm a (5.00%) responds less than holdout (30.00%); default arm b');
    // Said so wherever the holdout is listed, even after an arm the best one only ties with.
    expect(decided([arm('a', 100, 5), arm('b', 100, 5), arm('holdout', 100, 30, true)], 'holdout')).toMatchObject({ code: 'behind', figures: { best: { arm: 'a' }, other: { arm: 'holdout' } } });
  });

  it('not-enough-data: the arm with the fewest customers, how many, the minimum an arm, the default arm', () => {
    expect(decided([arm('a', 12, 3), arm('b', 40, 4)])).toEqual({ arm: 'b', winner: false, code: 'not-enough-data', figures: { fewest: { arm: 'a', assigned: 12 }, minPerArm: 30, defaultArm: 'b' }, reason: 'not enough data: arm a had 12 customers when the test ended, each arm needs at least 30; default arm b' });
    expect(decisionReason({ code: 'not-enough-data', figures: { fewest: { arm: 'a', assigned: 1 }, minPerArm: 30, defaultArm: 'b' } })).toBe('not enough data: arm a had 1 customer when the test ended, each arm needs at least 30; default arm b');
  });

  it('no-treatment-customers: the default arm', () => {
    // Enough customers only in the holdout: no treatment arm to pick a best from.
    const report = { ...buildReport(ids, x, [arm('a', 0, 0), arm('holdout', 40, 4, true)], 'holdout'), enoughData: { enough: true, minPerArm: 30, fewest: null, reason: null, control: 'holdout' } };
    expect(decideWinner(report, 'b')).toEqual({ arm: 'b', winner: false, code: 'no-treatment-customers', figures: { defaultArm: 'b' }, reason: 'no customers in any treatment arm' });
  });

  it('every decision is one the documented schema (OpenAPI) admits', () => {
    const all = [decided([arm('a', 200, 80), arm('b', 200, 20)]), decided([arm('a', 100, 12), arm('b', 100, 10)]), decided([arm('holdout', 100, 30, true), arm('a', 100, 5), arm('b', 100, 4)], 'holdout'), decided([arm('a', 12, 3), arm('b', 40, 4)])];
    expect(all.map((d) => d.code)).toEqual(['winner', 'not-significant', 'behind', 'not-enough-data']);
    for (const d of all) expect(WinnerDecisionSchema.parse(d)).toEqual(d);
  });
});
