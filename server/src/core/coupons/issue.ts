import { MS_PER_DAY } from '../clock.js';
import { newCouponCode, SAMPLE_COUPON_CODE } from './code.js';
import type { CouponBook } from './ports.js';
import type { IssuedCoupon } from './schema.js';

/** What a coupon is issued from: a template of rules/coupons.yaml, or a send node's one-off coupon. */
export type IssuedTemplate = { id: string; amount: number; minSpend: number; validDays: number };

/** A send node's `coupon:` — a template id, or a one-off `{value, minSpend, validDays}`. */
export type CouponSpec = string | { value: number; minSpend: number; validDays: number };

/** The node's coupon template (rules/coupons.yaml) or its inline definition; undefined: no such template. */
export function findCouponTemplate(spec: CouponSpec, book: Pick<CouponBook, 'template'> | undefined): IssuedTemplate | undefined {
  return typeof spec === 'string' ? book?.template(spec) : { id: 'inline', amount: spec.value, minSpend: spec.minSpend, validDays: spec.validDays };
}

/**
 * A new coupon of that template, valid `validDays` from `now`. The message preview issues its
 * look-alike through here too (with the sample code), so what the marketer previews is what
 * customers get: same amount, threshold and expiry.
 */
export function issueCoupon(t: IssuedTemplate, now: number, code: string = newCouponCode(now)): IssuedCoupon {
  return { code, templateId: t.id, amount: t.amount, minSpend: t.minSpend, issuedAt: now, expiresAt: now + t.validDays * MS_PER_DAY };
}

/** The coupon a preview or test send shows: issued now from the template, with the sample code (never in the ledger). */
export function sampleCoupon(t: IssuedTemplate, now: number): IssuedCoupon {
  return issueCoupon(t, now, SAMPLE_COUPON_CODE);
}
