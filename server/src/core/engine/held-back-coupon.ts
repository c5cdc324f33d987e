import type { SendRequest } from './model.js';

/**
 * The row of a message as stored once its verdict is known. Only a queued message issues the
 * coupon it drew (persistence/coupon-ledger.ts): a blocked or skipped one must not carry a code
 * that was never issued, in the send log, the export or the message text, or an analyst adds up
 * coupons nobody got. Its `couponValue` stays (what the coupon would have been worth: the export
 * says "not issued" beside it). A coupon this journey issued earlier (a reminder naming it) exists
 * and stays named.
 */
export function heldBackWithoutCoupon(send: SendRequest, status: SendRequest['status']): SendRequest {
  if (status === 'queued' || !send.coupon) return send;
  const text = send.withoutCoupon ?? { subject: send.subject, body: send.body };
  return { ...send, couponCode: null, coupon: null, subject: text.subject, body: text.body, withoutCoupon: undefined };
}
