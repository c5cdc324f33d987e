import { shopIsoTime } from '../engine/local-time.js';
import { MS_PER_DAY } from '../clock.js';
import { offsetAt } from '../facts/season.js';
import { expectedPurchases, fitBgnbd, probabilityAlive, summarise, type BgnbdFit } from './bgnbd.js';

export interface BgnbdCustomerPrediction {
  customerId: string;
  x: number;
  tx: number;
  T: number;
  pAlive: number;
  expectedPurchases: number;
}

export interface BgnbdReport {
  model: 'bgnbd';
  /** End of the calibration period (inclusive). */
  until: number;
  horizonDays: number;
  fit: BgnbdFit;
  predictions: BgnbdCustomerPrediction[];
  /** How many customers fall in each P(alive) band (for the printed summary). */
  bands: { label: string; customers: number }[];
}

/**
 * Fits BG/NBD on purchases up to `until` (calendar days of the shop's time zone, weeks as the
 * paper) and predicts, for every customer with a purchase by then, P(alive) and expected purchases
 * in the next `horizonDays` days.
 */
export function bgnbdReport(purchases: Iterable<{ customerId: string; at: number }>, until: number, horizonDays: number, timezone: string): BgnbdReport {
  const dayOf = (at: number) => Math.floor((at + offsetAt(at, timezone)) / MS_PER_DAY);
  const customers = summarise(purchases, until, dayOf);
  const fit = fitBgnbd(customers);
  const t = horizonDays / 7;
  const predictions = customers.map((c) => ({ customerId: c.id, x: c.x, tx: c.tx, T: c.T, pAlive: probabilityAlive(fit.params, c), expectedPurchases: expectedPurchases(fit.params, c, t) }));
  const cuts = [0.1, 0.3, 0.5, 0.7, 0.9, 1.0000001];
  const bands = cuts.map((hi, i) => ({ label: `${i === 0 ? '0' : cuts[i - 1]}–${Math.min(hi, 1)}`, customers: predictions.filter((p) => p.pAlive >= (i === 0 ? 0 : cuts[i - 1]) && p.pAlive < hi).length }));
  return { model: 'bgnbd', until, horizonDays, fit, predictions, bands };
}

export function formatBgnbd(r: BgnbdReport, stored: number | null, timezone = 'UTC'): string {
  const p = r.fit.params;
  const f = (v: number) => v.toFixed(3);
  const lines = [
    `BG/NBD (Fader, Hardie & Lee 2005) fitted on ${r.fit.customers} customers, calibration period up to ${shopIsoTime(r.until, timezone).slice(0, 10)} (time in weeks)`,
    `  r = ${f(p.r)}   alpha = ${f(p.alpha)}   (purchase rate while alive ~ Gamma(r, alpha))`,
    `  a = ${f(p.a)}   b = ${f(p.b)}       (drop-out after a purchase ~ Beta(a, b))`,
    `  log-likelihood ${r.fit.logLikelihood.toFixed(2)}`,
    '',
    'P(alive)     customers',
    ...r.bands.map((b) => `${b.label.padEnd(13)}${b.customers}`),
    '',
    `expected purchases in the next ${r.horizonDays} days: ${r.predictions.reduce((s, x) => s + x.expectedPurchases, 0).toFixed(1)} in total`,
  ];
  if (stored !== null) lines.push(`stored as facts pAlive and expectedPurchases for ${stored} customers (rules: "pAlive lessThan 0.3")`);
  return lines.join('\n');
}
