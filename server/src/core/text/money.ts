import { signed } from './signed-number.js';

/**
 * An amount of the shop's money as people read it in the CLI's text: ¥ and thousands separators,
 * two decimals (¥1,234,567.80; -¥38.20: the minus of signed-number.ts, as the percentages beside
 * it). The shop's currency is CNY (GET /api/home says so); the JSON and CSV outputs keep plain
 * numbers for machines. Coupon codes are never passed here.
 */
export function yuan(amount: number): string {
  return signed(amount, (abs) => `¥${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
}

/** `yuan`, or a dash where there is no figure (an arm without cost). */
export function yuanOrDash(amount: number | null | undefined): string {
  return amount === null || amount === undefined || !Number.isFinite(amount) ? '–' : yuan(amount);
}

/** A band of amounts as the analysis names it ("100 < aov <= 200", "<= 50", "> 500"), its figures as money. */
export function moneyBand(key: string): string {
  return key.replace(/-?\d+(?:\.\d+)?/g, (n) => yuan(Number(n)));
}
