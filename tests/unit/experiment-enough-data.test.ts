import { describe, expect, it } from '@jest/globals';
import { MIN_PER_ARM, enoughData } from '../../server/src/core/experiment/enough-data.js';
import { buildReport } from '../../server/src/core/experiment/report.js';
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
});
