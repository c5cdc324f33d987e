import { z } from 'zod';
import { MAX_DAYS } from '../rules/operators.js';

/**
 * Coupon templates (rules/coupons.yaml): what a coupon is worth, from what order amount it may
 * be used, and how long it stays valid. Flows issue coupons from these templates by id
 * (`coupon: d11-winback-20` on a send node); every issued code is a row in the `coupons` ledger.
 */
export const COUPON_ID = /^[a-z0-9][a-z0-9-_]*$/;

export const CouponTemplateSchema = z
  .object({
    name: z.string().min(1).optional().describe('What the marketer calls it, e.g. 双十一20元券'),
    amount: z.number().positive().describe('Face value (CNY): what the customer saves and what the shop pays when it is used'),
    minSpend: z.number().nonnegative().default(0).describe('Threshold: the order must be at least this much (CNY) for the coupon to apply; 0 = no threshold'),
    validDays: z.number().int().positive().max(MAX_DAYS).describe('Days the coupon stays valid after it is issued (at most 36500: its expiry is a date)'),
    description: z.string().optional(),
  })
  .strict()
  .refine((t) => t.minSpend === 0 || t.minSpend > t.amount, { message: 'minSpend must be above the amount (a 20 CNY coupon from 199 CNY), or 0', path: ['minSpend'] });

export const CouponFileSchema = z
  .object({
    templates: z.record(z.string().regex(COUPON_ID, 'template ids are lower-case letters, digits, "-" and "_"'), CouponTemplateSchema).describe('Coupon templates by id'),
  })
  .strict();

export type CouponTemplate = z.infer<typeof CouponTemplateSchema> & { id: string };
export type CouponFile = z.infer<typeof CouponFileSchema>;

/** A coupon as it is issued with one message (the send carries it to the ledger). */
export interface IssuedCoupon {
  code: string;
  templateId: string;
  amount: number;
  minSpend: number;
  issuedAt: number;
  expiresAt: number;
}

/** A coupon a customer holds: issued with a message that went (or is going) out, not used, not expired. */
export interface HeldCoupon extends IssuedCoupon {
  customerId: number;
  enrollmentId: number | null;
  flowId: string | null;
}
