import { MS_PER_DAY } from '../clock.js';
import { localDate } from '../facts/season.js';
import { ascending } from './percentile.js';
import type { Purchase } from './purchases.js';

/**
 * Repurchase intervals (seed 002): for every customer, the days between consecutive paid
 * purchases.
 *
 * Days are calendar days in the shop's time zone. Orders on the same calendar day are ONE
 * purchase occasion, not a 0-day repurchase: split carts, a forgotten item added an hour later
 * or several CDNOW rows on one date are the same visit. Counting them as 0-day intervals would
 * pull the "active" threshold down to 0 for shops with many split orders (CDNOW: 177
 * customer-days have more than one row) and 0 is not a valid threshold.
 */
export interface IntervalResult {
  /** Interval lengths in days, ascending; every value ≥ 1. */
  days: number[];
  /** Customers with at least one purchase. */
  customers: number;
  /** Customers with purchases on at least two different days (they contribute intervals). */
  repeatCustomers: number;
  /** Purchases folded into an earlier purchase on the same day. */
  sameDayMerged: number;
}

/** Calendar-day number (days since 1970-01-01) of an instant in a time zone. */
export function dayNumber(ms: number, timezone: string): number {
  if (timezone === 'UTC') return Math.floor(ms / MS_PER_DAY);
  const d = localDate(ms, timezone);
  return Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY;
}

export function repurchaseIntervals(purchases: readonly Purchase[], timezone = 'UTC'): IntervalResult {
  const daysOf = new Map<string | number, number[]>();
  for (const p of purchases) {
    const day = dayNumber(p.at, timezone);
    const list = daysOf.get(p.customerId);
    if (list) list.push(day);
    else daysOf.set(p.customerId, [day]);
  }
  const days: number[] = [];
  let repeatCustomers = 0;
  let sameDayMerged = 0;
  for (const list of daysOf.values()) {
    list.sort(ascending);
    let intervals = 0;
    for (let i = 1; i < list.length; i++) {
      const gap = list[i] - list[i - 1];
      if (gap === 0) sameDayMerged++;
      else {
        days.push(gap);
        intervals++;
      }
    }
    if (intervals > 0) repeatCustomers++;
  }
  days.sort(ascending);
  return { days, customers: daysOf.size, repeatCustomers, sameDayMerged };
}

/** Combines results computed on disjoint sets of customers (the database is read in chunks). */
export function mergeIntervalResults(parts: readonly IntervalResult[]): IntervalResult {
  const days = parts.flatMap((p) => p.days).sort(ascending);
  return {
    days,
    customers: parts.reduce((s, p) => s + p.customers, 0),
    repeatCustomers: parts.reduce((s, p) => s + p.repeatCustomers, 0),
    sameDayMerged: parts.reduce((s, p) => s + p.sameDayMerged, 0),
  };
}
