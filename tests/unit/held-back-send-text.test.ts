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

  it('keeps a queued message as it is', () => {
    expect(heldBackWithoutCoupon(send, 'queued')).toBe(send);
  });
});
