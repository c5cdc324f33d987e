import { describe, expect, it } from '@jest/globals';
import { withCouponStandIns } from '../../server/src/core/coupons/held-back-text.js';

/**
 * A blocked or skipped message issues no coupon, so its stored text has empty holes where the coupon
 * was ("送您元新品券，满可用，前有效"). The send log shows readable stand-ins there instead.
 */
describe('held-back message text in the send log', () => {
  const template = '【示例旗舰店】{{customer.name}}，新品上市，送您{{coupon.amount}}元新品券，满{{coupon.minSpend}}可用，{{coupon.expires}}前有效：{{link}} 回T退订';

  it('fills the coupon holes of a held-back message with stand-ins and keeps the other values', () => {
    const stored = '【示例旗舰店】王芳，新品上市，送您元新品券，满可用，前有效：/r/abc 回T退订';
    expect(withCouponStandIns(template, stored)).toBe('【示例旗舰店】王芳，新品上市，送您〈券面额〉元新品券，满〈使用门槛〉可用，〈有效期〉前有效：/r/abc 回T退订');
  });

  it('says the code as 〈券码〉, for {{coupon.code}} and a bare {{coupon}}', () => {
    expect(withCouponStandIns('券码 {{coupon.code}} / {{coupon}}', '券码  / ')).toBe('券码 〈券码〉 / 〈券码〉');
  });

  it('leaves text alone when the template names no coupon or the text does not line up with it', () => {
    expect(withCouponStandIns('您好{{customer.name}}', '您好王芳')).toBe('您好王芳');
    expect(withCouponStandIns(template, '送您20元券（旧行，发出时带券）')).toBe('送您20元券（旧行，发出时带券）');
    expect(withCouponStandIns(undefined, 'x')).toBe('x');
    expect(withCouponStandIns(template, null)).toBeNull();
  });
});
