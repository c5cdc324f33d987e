import { describe, expect, it } from '@jest/globals';
import { customersNeeded } from '../../server/src/core/experiment/customers-needed.js';

/**
 * How many more customers an underpowered experiment needs: the arms fill at their shares, so the
 * smallest share decides. The walkthrough's new-product-launch (45/45/10, 36,728 per arm) said
 * "108179 more in all", the per-arm shortfalls summed; its 10% holdout alone needs ~340,000 more
 * customers entering the split.
 */
describe('the customers an experiment still needs', () => {
  it('counts the customers that must enter the split for the smallest share to reach perArm (45/45/10)', () => {
    const arms = [
      { arm: 'a', weight: 45, assigned: 12_000 },
      { arm: 'b', weight: 45, assigned: 11_990 },
      { arm: 'holdout', weight: 10, assigned: 2_650 },
    ];
    // The holdout decides: (36,728 − 2,650) / 0.10 = 340,780; arm a alone would need (36,728 − 12,000) / 0.45 = 54,951.
    expect(customersNeeded(36_728, arms)).toEqual({ basis: 'shares', moreCustomers: 340_780, unfillable: [] });
    // Not the per-arm shortfalls summed (the report's old figure).
    expect(customersNeeded(36_728, arms).moreCustomers).not.toBe(3 * 36_728 - 12_000 - 11_990 - 2_650);
  });

  it('is 0 once every arm has perArm, and leaves an arm already past it out', () => {
    expect(customersNeeded(100, [{ arm: 'a', weight: 50, assigned: 120 }, { arm: 'b', weight: 50, assigned: 100 }]).moreCustomers).toBe(0);
    // b past perArm (an imbalance): only a's shortfall at its share counts.
    expect(customersNeeded(100, [{ arm: 'a', weight: 50, assigned: 80 }, { arm: 'b', weight: 50, assigned: 150 }]).moreCustomers).toBe(40);
  });

  it('does not round a whole number up on a float\'s last bit', () => {
    expect(customersNeeded(36_728, [{ arm: 'a', weight: 90, assigned: 0 }, { arm: 'h', weight: 10, assigned: 0 }]).moreCustomers).toBe(367_280);
  });

  it('leaves an arm of share 0 or without one out of the count, and names it when it is short (no number of customers fills it)', () => {
    const r = customersNeeded(100, [{ arm: 'a', weight: 100, assigned: 50 }, { arm: 'retired', weight: 0, assigned: 10 }, { arm: 'odd', assigned: 5 }]);
    expect(r).toEqual({ basis: 'shares', moreCustomers: 50, unfillable: ['retired', 'odd'] });
    // A zero-share arm that already has perArm is no trouble.
    expect(customersNeeded(100, [{ arm: 'a', weight: 100, assigned: 50 }, { arm: 'retired', weight: 0, assigned: 100 }]).unfillable).toEqual([]);
  });

  it('counts the customers entering, of whom only the test sample takes part', () => {
    // 20% sample: 100 more in the test means 500 more entering the split.
    expect(customersNeeded(100, [{ arm: 'a', weight: 50, assigned: 50 }, { arm: 'b', weight: 50, assigned: 50 }], 20).moreCustomers).toBe(500);
  });

  it('sums the per-arm shortfalls when the arms fill by quota: more customers entering go to the overflow arm', () => {
    const arms = [
      { arm: 'a', weight: 50, quota: 200, assigned: 200 },
      { arm: 'b', weight: 50, quota: 100, assigned: 100 },
    ];
    expect(customersNeeded(300, arms)).toEqual({ basis: 'per-arm', moreCustomers: 100 + 200, unfillable: [] });
  });

  it('falls back to the per-arm shortfalls when no arm has a share', () => {
    expect(customersNeeded(10, [{ arm: 'a', weight: 0, assigned: 4 }, { arm: 'b', assigned: 3 }])).toEqual({ basis: 'per-arm', moreCustomers: 13, unfillable: [] });
  });
});
