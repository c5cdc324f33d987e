import { betaCdf, chisquareCdf, normalCdf, normalQuantile } from '../stdlib/lazy-stdlib.js';

/**
 * The statistics of an experiment report. Distribution functions come from stdlib (maintained,
 * accurate); what is written out here are only the textbook formulas on top of them. Reference
 * values in tests/unit/experiment-statistics.test.ts were computed independently.
 */

export interface Interval {
  low: number;
  high: number;
}

/** z of a two-sided interval at this confidence (0.95 → 1.959964). */
export function zFor(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

/** Wilson score interval of x successes in n trials (good near 0% and for small n, unlike Wald). */
export function wilson(x: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const z = zFor(confidence);
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At x = 0 (x = n) center and half are equal in exact arithmetic, so the bound is exactly 0 (1);
  // in floating point their difference left 6.9e-18 in the report CSV. Set those bounds exactly,
  // and keep every bound inside [0, 1].
  return { low: x <= 0 ? 0 : clamp(center - half, 0, 1), high: x >= n ? 1 : clamp(center + half, 0, 1) };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export interface Lift {
  /**
   * p_arm − p_control, with Newcombe's hybrid score interval (1998, method 10) built from the two
   * Wilson intervals: unlike the Wald interval it does not collapse to [0, 0] when both arms sit
   * at 0% (or 100%), and it keeps its coverage with few customers.
   */
  absolute: number;
  absoluteCi: Interval;
  /**
   * p_arm / p_control − 1, with a Katz log-ratio interval (half a customer added to every cell when
   * an arm responded to the last customer); null when the control has no responders.
   */
  relative: number | null;
  relativeCi: Interval | null;
}

/** Newcombe's hybrid score interval of p1 − p0 (x successes in n trials each). */
export function differenceInterval(x1: number, n1: number, x0: number, n0: number, confidence = 0.95): Interval {
  const p1 = n1 ? x1 / n1 : 0;
  const p0 = n0 ? x0 / n0 : 0;
  const w1 = wilson(x1, n1, confidence);
  const w0 = wilson(x0, n0, confidence);
  const d = p1 - p0;
  // A difference of two rates lies in [−1, 1]; clamped so rounding never prints a bound past it.
  return { low: clamp(d - Math.sqrt((p1 - w1.low) ** 2 + (w0.high - p0) ** 2), -1, 1), high: clamp(d + Math.sqrt((w1.high - p1) ** 2 + (p0 - w0.low) ** 2), -1, 1) };
}

export function lift(x1: number, n1: number, x0: number, n0: number, confidence = 0.95): Lift {
  const z = zFor(confidence);
  const p1 = n1 ? x1 / n1 : 0;
  const p0 = n0 ? x0 / n0 : 0;
  const absolute = p1 - p0;
  let relative: number | null = null;
  let relativeCi: Interval | null = null;
  if (x0 > 0 && x1 > 0) {
    const ratio = p1 / p0;
    relative = ratio - 1;
    // An arm where every customer responded (x = n) has no non-responders: Katz's variance term
    // 1/x − 1/n is 0 there, and the interval narrowed to the other arm's noise alone — a control
    // at 13 of 13 against 46 of 51 gave [−17.6%, −1.3%], "surely worse", beside p = 0.24. Then half
    // a customer is added to every cell (Haldane–Anscombe), the textbook correction for a zero cell.
    const half = x1 === n1 || x0 === n0 ? 0.5 : 0;
    const [a1, m1, a0, m0] = [x1 + half, n1 + 2 * half, x0 + half, n0 + 2 * half];
    const center = a1 / m1 / (a0 / m0);
    const seLog = Math.sqrt(1 / a1 - 1 / m1 + 1 / a0 - 1 / m0);
    // The corrected centre moves a little: the interval always holds the lift it is printed beside.
    relativeCi = { low: Math.min(ratio, center * Math.exp(-z * seLog)) - 1, high: Math.max(ratio, center * Math.exp(z * seLog)) - 1 };
  } else if (x0 > 0) {
    relative = -1;
  }
  return { absolute, absoluteCi: differenceInterval(x1, n1, x0, n0, confidence), relative, relativeCi };
}

/** Two-sided p-value of the pooled two-proportion z-test. */
export function twoProportionZTest(x1: number, n1: number, x0: number, n0: number): { z: number; pValue: number } {
  const pooled = (x1 + x0) / (n1 + n0);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x0 / n0) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z), 0, 1)) };
}

/** Pearson chi-square test of independence on a k×2 table (responded / not, per arm). */
export function chiSquareArms(arms: { x: number; n: number }[]): { statistic: number; df: number; pValue: number } {
  const N = arms.reduce((s, a) => s + a.n, 0);
  const X = arms.reduce((s, a) => s + a.x, 0);
  let stat = 0;
  for (const a of arms) {
    for (const [obs, share] of [[a.x, X / N], [a.n - a.x, (N - X) / N]] as const) {
      const expected = a.n * share;
      if (expected > 0) stat += (obs - expected) ** 2 / expected;
    }
  }
  const df = arms.length - 1;
  return { statistic: stat, df, pValue: df > 0 && N > 0 ? 1 - chisquareCdf(stat, df) : 1 };
}

/**
 * Sample-ratio mismatch: chi-square goodness of fit of the arms' sizes against their configured
 * shares. A tiny p-value means assignment or logging is broken, so every other figure is suspect.
 */
export function sampleRatioMismatch(counts: number[], shares: number[], threshold = 0.001): { statistic: number; df: number; pValue: number; mismatch: boolean } {
  const N = counts.reduce((s, c) => s + c, 0);
  const total = shares.reduce((s, w) => s + w, 0);
  let stat = 0;
  let df = -1;
  counts.forEach((c, i) => {
    const expected = (N * shares[i]) / total;
    if (expected > 0) {
      stat += (c - expected) ** 2 / expected;
      df++;
    }
  });
  const pValue = df > 0 ? 1 - chisquareCdf(stat, df) : 1;
  return { statistic: stat, df: Math.max(df, 0), pValue, mismatch: pValue < threshold };
}

/**
 * P(arm i has the highest response rate) under independent Beta(1 + x, 1 + n − x) posteriors:
 * ∫ f_i(t) Π_{j≠i} F_j(t) dt, integrated numerically (deterministic, no Monte Carlo noise). The
 * integral is taken as a Riemann–Stieltjes sum over F_i on a grid that covers every posterior's
 * mass (mean ± 12 sd), so a concentrated posterior still gets thousands of grid points.
 */
export function probabilityBest(arms: { x: number; n: number }[], steps = 20_000): number[] {
  const post = arms.map((a) => ({ a: 1 + a.x, b: 1 + a.n - a.x }));
  let lo = 1;
  let hi = 0;
  for (const { a, b } of post) {
    const mean = a / (a + b);
    const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
    lo = Math.min(lo, mean - 12 * sd);
    hi = Math.max(hi, mean + 12 * sd);
  }
  lo = Math.max(0, lo);
  hi = Math.min(1, hi);
  const h = (hi - lo) / steps;
  const out = post.map(() => 0);
  const cdfAt = (t: number) => post.map(({ a, b }) => betaCdf(t, a, b));
  let prev = cdfAt(lo);
  for (let k = 1; k <= steps; k++) {
    const cur = cdfAt(lo + k * h);
    // Trapezoid on the other arms' CDFs over the interval [t_{k-1}, t_k].
    for (let i = 0; i < post.length; i++) {
      const dF = cur[i] - prev[i];
      if (dF === 0) continue;
      let others = 1;
      for (let j = 0; j < post.length; j++) if (j !== i) others *= (prev[j] + cur[j]) / 2;
      out[i] += dF * others;
    }
    prev = cur;
  }
  const sum = out.reduce((s, v) => s + v, 0);
  return out.map((v) => v / sum);
}

/**
 * Customers per arm a two-arm test needs to detect `p0 → p1` with a two-sided test at `alpha`
 * and the given power (the classic formula with the pooled variance under H0).
 */
export function sampleSizePerArm(p0: number, p1: number, alpha = 0.05, power = 0.8): number {
  if (p0 === p1) return Infinity;
  const za = normalQuantile(1 - alpha / 2, 0, 1);
  const zb = normalQuantile(power, 0, 1);
  const pbar = (p0 + p1) / 2;
  const n = (za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))) ** 2 / (p1 - p0) ** 2;
  return Math.ceil(n);
}
