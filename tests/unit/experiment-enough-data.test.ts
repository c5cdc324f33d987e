import { describe, expect, it } from '@jest/globals';
import { MIN_PER_ARM, enoughData } from '../../server/src/core/experiment/enough-data.js';
import { buildReport, decideWinner } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const arm = (arm: string, assigned: number, responders: number, holdout = false) => ({ arm, weight: holdout ? 10 : 45, holdout, assigned, exposed: holdout ? 0 : assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });

describe('whether an experiment has enough customers to compare', () => {
  it('needs 30 customers in every arm, the designer\'s threshold, defined once', () => {
    expect(MIN_PER_ARM).toBe(30);
    expect(enoughData([{ arm: 'a', assigned: 44 }, { arm: 'b', assigned: 32 }, { arm: 'holdout', assigned: 9 }])).toEqual({ enough: false, minPerArm: 30, fewest: { arm: 'holdout', assigned: 9 } });
    expect(enoughData([{ arm: 'a', assigned: 30 }, { arm: 'b', assigned: 31 }]).enough).toBe(true);
  });

  it('says so first in the report of new-product-launch after 14 simulated days (44/32/9, nobody answered)', () => {
    const x = ExperimentSchema.parse({ id: 'new-product-launch', window: '7d', responses: [{ event: 'order_paid' }] });
    const r = buildReport({ experimentId: 'new-product-launch', flowId: 'new-product-launch', nodeId: 'ab' }, x, [arm('a', 44, 0), arm('b', 32, 0), arm('holdout', 9, 0, true)], 'holdout');
    expect(r.enoughData.enough).toBe(false);
    expect(r.warnings[0]).toMatch(/^not enough data: arm holdout has 9 customers; each arm needs at least 30/);
    // And the lift interval no longer claims certainty: 0% of 44 vs 0% of 9 is anything from −30% to +8%.
    const a = r.arms[0].vsControl!;
    expect(a.absoluteCi.low).toBeLessThan(-0.29);
    expect(a.absoluteCi.high).toBeGreaterThan(0.08);
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
