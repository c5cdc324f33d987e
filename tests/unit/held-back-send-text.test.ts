import { describe, expect, it } from '@jest/globals';
import { heldBackWithoutCoupon, LINK_STAND_IN } from '../../server/src/core/engine/held-back-coupon.js';
import type { SendRequest } from '../../server/src/core/engine/model.js';

/**
 * A held-back message's stored text: no tracked link (its token is never stored, so /r/<token> in
 * the send log, explain or the customer view would lead nowhere), and no coupon it did not give.
 */
describe("a held-back message's stored text", () => {
  const send = { subject: '新品 /r/abcDEF123456', body: '新款来了：/r/abcDEF123456 回T退订', linkToken: 'abcDEF123456', coupon: null, couponCode: null } as unknown as SendRequest;

  it('says where the link would have been instead of a dead /r/ link', () => {
    const held = heldBackWithoutCoupon(send, 'blocked');
    expect(held.body).toBe(`新款来了：${LINK_STAND_IN} 回T退订`);
    expect(held.subject).toBe(`新品 ${LINK_STAND_IN}`);
    expect(heldBackWithoutCoupon(send, 'skipped').body).not.toContain('/r/');
  });

  it('replaces an absolute link (a public base URL) whole, not just its /r/ path', () => {
    const abs = { ...send, subject: '新品 https://crm.shop.example.com/r/abcDEF123456', body: '新款来了：https://crm.shop.example.com/r/abcDEF123456 回T退订' } as SendRequest;
    // As the send step passes it (the link as `{{link}}` rendered), and found in a text rendered elsewhere.
    for (const held of [heldBackWithoutCoupon(abs, 'blocked', 'https://crm.shop.example.com/r/abcDEF123456'), heldBackWithoutCoupon(abs, 'blocked')]) {
      expect(held.body).toBe(`新款来了：${LINK_STAND_IN} 回T退订`);
      expect(held.subject).toBe(`新品 ${LINK_STAND_IN}`);
    }
  });

  it('keeps a queued message as it is', () => {
    expect(heldBackWithoutCoupon(send, 'queued')).toBe(send);
  });
});
