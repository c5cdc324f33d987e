import { localDate } from '../facts/season.js';
import type { IssuedCoupon } from './schema.js';

/**
 * `{{coupon.amount}}`, `{{coupon.code}}`, `{{coupon.expires}}` (shop date, 2026-11-15),
 * `{{coupon.minSpend}}`. A bare `{{coupon}}` renders the code (validate flags it: say which).
 */
export function couponVars(c: IssuedCoupon | null, timezone: string): Record<string, unknown> | string {
  if (!c) return '';
  // The last valid instant is expiresAt - 1 ms: a coupon valid for 10 days from 5 Nov 10:00 is "until 2026-11-15".
  const d = localDate(c.expiresAt - 1, timezone);
  const expires = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  return { code: c.code, amount: c.amount, minSpend: c.minSpend, threshold: c.minSpend, expires, toString: () => c.code };
}
