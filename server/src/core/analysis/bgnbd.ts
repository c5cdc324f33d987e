import { betaln, gammaln } from '../stdlib/lazy-stdlib.js';
import { nelderMead } from './nelder-mead.js';

/**
 * BG/NBD ("buy till you die") model of Fader, Hardie & Lee (2005), "Counting Your Customers the
 * Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2):275–284.
 *
 * While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after every
 * purchase the customer drops out with probability p ~ Beta(a, b). Each customer is summarised by
 * (x, t_x, T): repeat purchases in the calibration period, time of the last one, and time from the
 * first purchase to the end of the period (all in the same time unit, weeks here, as the paper).
 */
export interface BgnbdCustomer {
  id: string;
  /** Repeat purchases (purchase days after the first) in the calibration period. */
  x: number;
  /** Time of the last purchase, since the first (0 when x = 0). */
  tx: number;
  /** Time from the first purchase to the end of the calibration period. */
  T: number;
}

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Log-likelihood of one customer (FHL 2005, eq. 6), computed in logs for large x. */
export function customerLogLikelihood(p: BgnbdParams, c: BgnbdCustomer): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const common = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + betaln(a, b + x) - betaln(a, b);
  const alive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + alive;
  // B(a+1, b+x-1) / B(a, b+x) = a / (b+x-1)
  const dropped = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(alive, dropped);
  return common + m + Math.log(Math.exp(alive - m) + Math.exp(dropped - m));
}

export function logLikelihood(p: BgnbdParams, customers: readonly BgnbdCustomer[]): number {
  let ll = 0;
  for (const c of customers) ll += customerLogLikelihood(p, c);
  return ll;
}

/** Customers with the same (x, t_x, T) contribute the same term: count them once, weighted. */
function grouped(customers: readonly BgnbdCustomer[]): { c: BgnbdCustomer; n: number }[] {
  const m = new Map<string, { c: BgnbdCustomer; n: number }>();
  for (const c of customers) {
    const k = `${c.x}|${c.tx}|${c.T}`;
    const g = m.get(k);
    if (g) g.n++;
    else m.set(k, { c, n: 1 });
  }
  return [...m.values()];
}

export interface BgnbdFit {
  params: BgnbdParams;
  logLikelihood: number;
  customers: number;
  iterations: number;
}

/**
 * Maximum-likelihood fit with Nelder–Mead (fmin, see nelder-mead.ts) over the logs of the
 * parameters (so they stay positive), restarted from its own optimum until it stops improving.
 */
export function fitBgnbd(customers: readonly BgnbdCustomer[]): BgnbdFit {
  if (customers.length === 0) throw new Error('BG/NBD: no customers with a purchase in the calibration period');
  const toParams = (v: number[]): BgnbdParams => ({ r: Math.exp(v[0]), alpha: Math.exp(v[1]), a: Math.exp(v[2]), b: Math.exp(v[3]) });
  const groups = grouped(customers);
  const maxX = Math.max(...customers.map((c) => c.x));
  // Per evaluation the special functions depend on x only: compute them once per distinct x.
  const byX = new Float64Array(maxX + 1);
  const loss = (v: number[]) => {
    if (v.some((z) => !Number.isFinite(z) || Math.abs(z) > 30)) return Number.POSITIVE_INFINITY;
    const { r, alpha, a, b } = toParams(v);
    const base = -gammaln(r) + r * Math.log(alpha) - betaln(a, b);
    for (let k = 0; k <= maxX; k++) byX[k] = base + gammaln(r + k) + betaln(a, b + k);
    let ll = 0;
    for (const { c, n } of groups) {
      const alive = -(r + c.x) * Math.log(alpha + c.T);
      let term = alive;
      if (c.x > 0) {
        const dropped = Math.log(a) - Math.log(b + c.x - 1) - (r + c.x) * Math.log(alpha + c.tx);
        const m = Math.max(alive, dropped);
        term = m + Math.log(Math.exp(alive - m) + Math.exp(dropped - m));
      }
      ll += n * (byX[c.x] + term);
    }
    return Number.isFinite(ll) ? -ll : Number.POSITIVE_INFINITY;
  };
  const res = nelderMead(loss, [0, 0, 0, 0], { maxIterations: 1000, minErrorDelta: 1e-10, restarts: 200 });
  return { params: toParams(res.x), logLikelihood: -res.fx, customers: customers.length, iterations: res.restarts };
}

/** P(alive | x, t_x, T) (FHL 2005, eq. 13 in the technical note): 1 for a customer with no repeat purchase. */
export function probabilityAlive(p: BgnbdParams, c: Pick<BgnbdCustomer, 'x' | 'tx' | 'T'>): number {
  if (c.x === 0) return 1;
  const { r, alpha, a, b } = p;
  const ratio = Math.exp((r + c.x) * (Math.log(alpha + c.T) - Math.log(alpha + c.tx)));
  return 1 / (1 + (a / (b + c.x - 1)) * ratio);
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for 0 ≤ z < 1 by its power series
 * Σ (a)_j (b)_j / ((c)_j j!) z^j, summed until a term no longer changes the sum (relative 1e-15).
 * Here z = t / (α + T + t) < 1, so the series converges; it is slow only for z near 1 (horizons
 * far beyond α + T), so it stops after 100,000 terms.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z < 0 || z >= 1) throw new Error(`hyp2f1: z = ${z} is outside [0, 1)`);
  let term = 1;
  let sum = 1;
  for (let j = 0; j < 100_000; j++) {
    term *= ((a + j) * (b + j)) / ((c + j) * (j + 1)) * z;
    sum += term;
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * Expected purchases in the next t time units, given (x, t_x, T) (FHL 2005, eq. 10):
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   / [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)]
 */
export function expectedPurchases(p: BgnbdParams, c: Pick<BgnbdCustomer, 'x' | 'tx' | 'T'>, t: number): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const z = t / (alpha + T + t);
  const head = (a + b + x - 1) / (a - 1);
  const power = Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t)));
  const body = 1 - power * hyp2f1(r + x, b + x, a + b + x - 1, z);
  const denom = 1 + (x > 0 ? (a / (b + x - 1)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))) : 0);
  return (head * body) / denom;
}

const MS_PER_DAY = 86_400_000;

/**
 * (x, t_x, T) per customer from purchase instants, in weeks as the paper. Purchases on the same
 * calendar day (UTC day of the instant shifted by `offsetMs`, i.e. the shop's day) count once, as
 * in Fader & Hardie's preparation of CDNOW. Purchases after `until` are ignored; customers whose
 * first purchase is after it are left out.
 */
export function summarise(purchases: Iterable<{ customerId: string; at: number }>, until: number, dayOf: (at: number) => number = (at) => Math.floor(at / MS_PER_DAY)): BgnbdCustomer[] {
  const days = new Map<string, Set<number>>();
  for (const p of purchases) {
    if (p.at > until) continue;
    let s = days.get(p.customerId);
    if (!s) days.set(p.customerId, (s = new Set()));
    s.add(dayOf(p.at));
  }
  const end = dayOf(until);
  const out: BgnbdCustomer[] = [];
  for (const [id, set] of days) {
    const sorted = [...set].sort((a, b) => a - b);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    out.push({ id, x: sorted.length - 1, tx: (last - first) / 7, T: (end - first) / 7 });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
