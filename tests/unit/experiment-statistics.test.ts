import { describe, expect, it } from '@jest/globals';
import { chiSquareArms, differenceInterval, lift, probabilityBest, sampleRatioMismatch, sampleSizePerArm, twoProportionZTest, wilson, zFor } from '../../server/src/core/experiment/statistics.js';

/**
 * Every reference number below comes from tests/reference/experiment-statistics.py (Python
 * standard library only, formulas written out independently; P(best) for two arms from Evan
 * Miller's closed form, for three arms from a 400k-point integration of the beta densities).
 * Compared to at least 4 significant digits (toBeCloseTo relative to the value's magnitude).
 */
const close = (actual: number, expected: number, digits = 5) => {
  const scale = Math.abs(expected) > 0 ? Math.abs(expected) : 1;
  expect(Math.abs(actual - expected) / scale).toBeLessThan(10 ** -digits);
};

describe('experiment statistics against independent reference values', () => {
  it('uses z = 1.959964 for 95%', () => close(zFor(0.95), 1.9599639845400536, 8));

  it('gives the Wilson interval of a response rate, also at 0 responders', () => {
    const a = wilson(12, 100);
    close(a.low, 0.06999406437019487);
    close(a.high, 0.1981209942671142);
    const b = wilson(0, 20);
    expect(b.low).toBeCloseTo(0, 12);
    close(b.high, 0.1611251580528193);
  });

  it('gives exactly 0 as the low bound at 0 responders and exactly 1 as the high bound when all responded (no 6.9e-18 in the report CSV), every bound in [0, 1]', () => {
    for (let n = 1; n <= 200; n++) {
      expect(wilson(0, n).low).toBe(0);
      expect(wilson(n, n).high).toBe(1);
      for (const x of [0, 1, Math.floor(n / 2), n - 1, n]) {
        const w = wilson(x, n);
        expect(w.low).toBeGreaterThanOrEqual(0);
        expect(w.high).toBeLessThanOrEqual(1);
        expect(w.low).toBeLessThanOrEqual(x / n);
        expect(w.high).toBeGreaterThanOrEqual(x / n);
      }
      // Newcombe's interval is built on the Wilson bounds: no arm contributes noise at 0% or 100%, and it stays in [−1, 1].
      const top = differenceInterval(n, n, 0, n);
      expect(top.high).toBe(1);
      expect(differenceInterval(0, n, n, n).low).toBe(-1);
      expect(differenceInterval(0, n, 0, n).high).toBe(wilson(0, n).high);
    }
  });

  it('gives the absolute (Newcombe hybrid score) and relative (Katz log) lift with 95% intervals', () => {
    const l = lift(60, 1000, 45, 1000);
    close(l.absolute, 0.015);
    close(l.absoluteCi.low, -0.004679638162171585);
    close(l.absoluteCi.high, 0.03491851474940278);
    close(l.relative!, 0.33333333333333326);
    close(l.relativeCi!.low, -0.08493303065857805);
    close(l.relativeCi!.high, 0.9427843396612303);
  });

  it('matches Newcombe\'s published interval of a difference (56/70 vs 48/80: 0.0524 to 0.3339)', () => {
    const d = differenceInterval(56, 70, 48, 80);
    close(d.low, 0.05243147240236498);
    close(d.high, 0.3338726540369059);
  });

  it('keeps the lift interval honest when both arms have no responders, or all responded', () => {
    // The Wald interval said 0.00% [0.00%, 0.00%] here: certainty from 44 and 9 customers.
    const none = lift(0, 44, 0, 9);
    expect(none.absolute).toBe(0);
    close(none.absoluteCi.low, -0.299145048419544);
    close(none.absoluteCi.high, 0.08029560375848063);
    const all = lift(32, 32, 9, 9);
    close(all.absoluteCi.low, -0.10717919825507038);
    close(all.absoluteCi.high, 0.2991450484195438);
  });

  it('gives the two-sided p-value of the two-proportion z-test', () => {
    const t = twoProportionZTest(60, 1000, 45, 1000);
    close(t.z, 1.5038585877973938);
    close(t.pValue, 0.1326177819292727);
  });

  it('gives the chi-square test across three arms', () => {
    const c = chiSquareArms([{ x: 45, n: 1000 }, { x: 60, n: 1000 }, { x: 52, n: 1000 }]);
    close(c.statistic, 2.2717547401036406);
    expect(c.df).toBe(2);
    close(c.pValue, 0.32114023886684007);
  });

  it('flags a sample-ratio mismatch only when the sizes are far off the weights', () => {
    const two = sampleRatioMismatch([5100, 4900], [50, 50]);
    close(two.statistic, 4);
    close(two.pValue, 0.04550026389635908);
    expect(two.mismatch).toBe(false); // 0.0455 > 0.001
    const three = sampleRatioMismatch([2600, 2400, 5000], [25, 25, 50]);
    close(three.pValue, 0.018315638888733665);
    expect(sampleRatioMismatch([5300, 4700], [50, 50]).mismatch).toBe(true); // chi² = 36
  });

  it('gives the Bayesian probability that each arm is best (two arms: closed form)', () => {
    const [a, b] = probabilityBest([{ x: 45, n: 1000 }, { x: 60, n: 1000 }]);
    close(b, 0.9329864178615, 4);
    close(a, 1 - 0.9329864178615, 4);
  });

  it('gives the probability each of three arms is best, deterministically', () => {
    const p = probabilityBest([{ x: 45, n: 1000 }, { x: 60, n: 1000 }, { x: 52, n: 1000 }]);
    close(p[0], 0.041709414532801026, 4);
    close(p[1], 0.751939072321718, 4);
    close(p[2], 0.20635151314548109, 4);
    expect(probabilityBest([{ x: 45, n: 1000 }, { x: 60, n: 1000 }, { x: 52, n: 1000 }])).toEqual(p);
  });

  it('says how many customers per arm detect a lift (alpha 5%, power 80%)', () => {
    expect(sampleSizePerArm(0.05, 0.055)).toBe(Math.ceil(31233.437940130025));
    expect(sampleSizePerArm(0.045, 0.0495)).toBe(Math.ceil(34896.24848554568));
  });
});
