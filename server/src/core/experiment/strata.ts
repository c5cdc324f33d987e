import type { Facts } from '../facts/derive.js';
import type { StratifyFact } from './schema.js';

/**
 * The group (stratum) of a customer for stratified assignment and for "response by group"
 * reports. Bands follow the seeds' layering: orders 0 / 1–2 / 3+ (seed 000), AOV below 100,
 * 100–299, 300+ CNY. A customer without a value is in stratum "unknown".
 */
export function stratumOf(facts: Facts | undefined, by: StratifyFact): string {
  if (!facts) return 'unknown';
  switch (by) {
    case 'orderTier': {
      const n = Number(facts.orderCount ?? 0);
      return n === 0 ? 'orders-0' : n <= 2 ? 'orders-1-2' : 'orders-3+';
    }
    case 'aovBand': {
      const aov = facts.aov;
      if (aov === null || aov === undefined) return 'unknown';
      const v = Number(aov);
      return v < 100 ? 'aov-lt-100' : v < 300 ? 'aov-100-299' : 'aov-300+';
    }
    default: {
      const v = facts[by];
      return v === null || v === undefined || v === '' ? 'unknown' : String(v);
    }
  }
}

/**
 * The facts stratumOf reads for a stratification: what a stepping batch must read for a
 * stratified split (core/engine/flow-fact-needs.ts). Kept beside stratumOf so the two change together.
 */
export function stratumFacts(by: StratifyFact): readonly string[] {
  switch (by) {
    case 'orderTier':
      return ['orderCount'];
    case 'aovBand':
      return ['aov'];
    default:
      return [by];
  }
}
