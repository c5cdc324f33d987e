import { describe, expect, it } from '@jest/globals';
import { unsentCouponFix, unsentCouponProblems } from '../../designer/src/model/coupon-unsent.js';
import { nodeFieldProblems } from '../../designer/src/model/field-problems.js';
import { allProblems } from '../../designer/src/model/local-problems.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import type { DraftFlow } from '../../designer/src/model/types.js';
import { checkUnsentCoupons } from '../../server/src/core/coupons/unsent-coupons.js';

/**
 * Walkthrough leftover: 召回邮件 issues the coupon, 3 天后的短信 prints {{coupon.code}} without
 * issuing one. The coupon goes out only with the email, so every customer without email consent
 * reached the SMS with no coupon and the simulation held the SMS back (没有领到券) — and nothing in
 * the designer said so while the marketer planned it. The check names the step that issues the
 * coupon, says it in the Problems panel and beside the step's 优惠券 field, and offers the fix.
 */
const flow = (sms: Record<string, unknown> = {}, email: Record<string, unknown> = {}): DraftFlow => ({
  id: 'winback',
  name: '召回',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'sleeping', every: 'day', at: '09:00' }, next: 'mail' },
    { id: 'mail', type: 'send', label: '召回邮件', channel: 'email', category: 'marketing', subject: '送你一张券', template: '券码 {{coupon.code}}', coupon: 'winback-20', next: 'wait', ...email },
    { id: 'wait', type: 'wait', duration: '3d', next: 'sms' },
    { id: 'sms', type: 'send', label: '短信提醒用券', channel: 'sms', category: 'marketing', template: '您的{{coupon.amount}}元券（券码{{coupon.code}}）快到期了 回T退订', next: 'done', ...sms },
    { id: 'done', type: 'exit' },
  ],
});

describe('a send that prints a coupon an earlier send on another channel issued', () => {
  it('is a warning on the step, naming the email step that issues the coupon, in Chinese', () => {
    const problems = unsentCouponProblems(flow());
    expect(problems).toEqual([{ line: 0, nodeId: 'sms', path: 'coupon:mail', message: 'local.couponNotSent', severity: 'warning' }]);
    const words = problemWords('zh', problems[0], flow());
    expect(words).toContain('「召回邮件」');
    expect(words).toContain('没有邮件营销许可');
    expect(words).toContain('这条短信会被拦下');
    expect(words).toContain('「优惠券」里也选同一张券');
    // Among the checks the designer runs before simulating and publishing, a warning (publish is not refused).
    expect(allProblems([], flow()).filter((p) => p.message === 'local.couponNotSent')).toHaveLength(1);
  });

  it('is said beside the step\'s 优惠券 field', () => {
    expect(nodeFieldProblems('zh', allProblems([], flow()), flow(), 'sms').coupon?.[0]).toMatchObject({ severity: 'warning', words: expect.stringContaining('「召回邮件」') });
  });

  it('is not said when the step issues its own coupon, goes out on the same channel, or the earlier step falls back to its channel', () => {
    expect(unsentCouponProblems(flow({ coupon: 'winback-20' }))).toEqual([]);
    expect(unsentCouponProblems(flow({ channel: 'email', subject: '券快到期' }))).toEqual([]);
    expect(unsentCouponProblems(flow({}, { fallback: 'sms' }))).toEqual([]);
  });

  it('is said when this step falls back to a channel the coupon never went out on', () => {
    expect(unsentCouponProblems(flow({ channel: 'email', subject: '券快到期', fallback: 'sms' }))).toHaveLength(1);
  });

  it('is put right by one click: the step issues the same coupon template, and the warning goes', () => {
    const fixed = unsentCouponFix(flow(), unsentCouponProblems(flow())[0])!;
    expect(fixed.nodes.find((n) => n.id === 'sms')?.coupon).toBe('winback-20');
    expect(unsentCouponProblems(fixed)).toEqual([]);
  });

  it('is said once in the Problems panel though the server (rekindle validate\'s rule, the same one) says it too', () => {
    const [server] = checkUnsentCoupons(flow().nodes);
    const fromServer = { line: 19, nodeId: server.nodeId, path: 'nodes.3.coupon', message: server.message, severity: server.severity };
    const said = allProblems([fromServer], flow()).filter((p) => p.nodeId === 'sms');
    expect(said).toEqual([{ line: 0, nodeId: 'sms', path: 'coupon:mail', message: 'local.couponNotSent', severity: 'warning' }]);
    // The field shows it once too.
    expect(nodeFieldProblems('zh', allProblems([fromServer], flow()), flow(), 'sms').coupon).toHaveLength(1);
  });
});
