/**
 * The customer page's journey path: the customer's clicks and coupon uses between the steps, by
 * time, and the paid order that ended the journey named at its step, in Chinese.
 */
import { describe, expect, it } from '@jest/globals';
import { answerWords, journeyPath, stepEventWords, type JourneyAnswer } from '../../designer/src/model/journey-path.js';

const steps = [
  { at: '2027-04-20T02:00:00.000Z', node: 'promo-coupon', outcome: 'queued' },
  { at: '2027-04-20T06:00:00.000Z', node: 'bought', outcome: 'completed:order_paid', event: { type: 'order_paid', at: '2027-04-20T05:40:00.000Z', orderId: 'sim-9:promo-coupon:2', amount: 260 } },
];
const answers: JourneyAnswer[] = [
  { at: '2027-04-20T05:38:00.000Z', node: 'promo-coupon', sendId: 7, kind: 'coupon-used', code: 'K7M2Q9XW3HPA', amount: 20, order: 'sim-9:promo-coupon:2' },
  { at: '2027-04-20T05:12:00.000Z', node: 'promo-coupon', sendId: 7, kind: 'clicked' },
];

describe("the customer page's journey path", () => {
  it('puts the click and the coupon used between the steps, by time', () => {
    const path = journeyPath(steps, answers).map((p) => ('step' in p ? p.step.outcome : p.answer.kind));
    expect(path).toEqual(['queued', 'clicked', 'coupon-used', 'completed:order_paid']);
    expect(journeyPath(steps, undefined)).toHaveLength(2); // a server older than answers
  });

  it('says them in Chinese, the order that ended the journey too', () => {
    expect(answerWords('zh', answers[1])).toBe('点击了消息里的链接');
    expect(answerWords('zh', answers[0])).toBe('使用了优惠券 K7M2Q9XW3HPA（减 ¥20.00，订单 sim-9:promo-coupon:2）');
    expect(stepEventWords('zh', steps[1].event!)).toBe('订单 sim-9:promo-coupon:2 已付款 ¥260.00');
    expect(answerWords('en', answers[0])).toBe('used coupon K7M2Q9XW3HPA (¥20.00 off in order sim-9:promo-coupon:2)');
  });
});
