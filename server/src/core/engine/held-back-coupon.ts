import { renderedLinkPattern } from '../channels/tracked-link.js';
import type { SendRequest } from './model.js';

/**
 * The row of a message as stored once its verdict is known. Only a queued message issues the
 * coupon it drew (persistence/coupon-ledger.ts): a blocked or skipped one must not carry a code
 * that was never issued, in the send log, the export or the message text, or an analyst adds up
 * coupons nobody got. Its `couponValue` stays (what the coupon would have been worth: the export
 * says "not issued" beside it). A coupon this journey issued earlier (a reminder naming it) exists
 * and stays named. Its text names no tracked link either: the token is not stored, so `/r/<token>`
 * (or `<publicBaseUrl>/r/<token>`) would be a dead link in the send log; 〈链接〉 stands where it was.
 */
export function heldBackWithoutCoupon(send: SendRequest, status: SendRequest['status'], link?: string): SendRequest {
  if (status === 'queued') return send;
  let out = send;
  if (send.coupon) {
    const text = send.withoutCoupon ?? { subject: send.subject, body: send.body };
    out = { ...send, couponCode: null, coupon: null, subject: text.subject, body: text.body, withoutCoupon: undefined };
  }
  // Nor does it keep its tracked link (tokens.ts storedLinkToken): the text says where the link would have been.
  if (send.linkToken) {
    // The link as `{{link}}` rendered it (`link`, from the send step), absolute with a public base
    // URL: replaced whole, or `https://crm…〈链接〉` would be left. A text rendered by someone else is searched for either form.
    const at = link ? link : renderedLinkPattern(send.linkToken);
    const has = (t: string | null | undefined) => !!t && (typeof at === 'string' ? t.includes(at) : t.search(at) !== -1);
    const without = (t: string) => (typeof at === 'string' ? t.split(at).join(LINK_STAND_IN) : t.replace(at, LINK_STAND_IN));
    if (has(out.body) || has(out.subject)) out = { ...out, subject: out.subject === null ? null : without(out.subject), body: without(out.body) };
  }
  return out;
}

/** Where a held-back message's tracked link would have been (it has none: its token is not stored, so it would lead nowhere). */
export const LINK_STAND_IN = '〈链接〉';
