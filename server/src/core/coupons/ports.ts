import type { CouponTemplate, HeldCoupon } from './schema.js';

/**
 * What the send executor needs to know about coupons: the shop's templates (rules/coupons.yaml)
 * and the coupons customers hold (the `coupons` ledger, persistence/coupon-ledger.ts).
 */
export interface CouponBook {
  template(id: string): CouponTemplate | undefined;
  /** Unused, unexpired coupons of these customers whose message was not blocked, newest first. */
  held(customerIds: number[], now: number): Promise<Map<number, HeldCoupon[]>>;
  /** Of these journeys, the enrollment ids whose coupon of `templateId` has been used. */
  redeemedIn(journeys: { id: number; customerId: number }[], templateId: string): Promise<Set<number>>;
}
