import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../designer/src/api-error.js';
import { couponSource } from '../../designer/src/model/coupon-source.js';
import { errorText, errorWords } from '../../designer/src/model/error-words.js';
import type { DraftFlow, Problem } from '../../designer/src/model/types.js';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import { SAMPLE_COUPON_CODE } from '../../server/src/core/coupons/code.js';
import { issueCoupon, sampleCoupon } from '../../server/src/core/coupons/issue.js';
import { couponVars } from '../../server/src/core/coupons/template-vars.js';

const flow = (nodes: DraftFlow['nodes']): DraftFlow => ({ id: 'f', name: 'F', nodes });

describe('the coupon a message preview shows', () => {
  const vip = { id: 'sleeping-vip-30', amount: 30, minSpend: 199, validDays: 14 };

  it('is issued like a real one (amount, threshold, expiry = now + validity in shop time), with a sample code of the real length', () => {
    // 07:00 in Shanghai is still the day before in UTC: the expiry date is the shop's.
    const now = Date.parse('2026-11-30T07:00:00+08:00');
    const sample = sampleCoupon(vip, now);
    const real = issueCoupon(vip, now);
    expect({ ...sample, code: '' }).toEqual({ ...real, code: '' });
    expect(sample.expiresAt).toBe(now + 14 * MS_PER_DAY);
    expect(sample.code).toBe(SAMPLE_COUPON_CODE);
    expect(sample.code).toHaveLength(real.code.length);
    expect(sample.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]+$/);
    expect(couponVars(sample, 'Asia/Shanghai')).toMatchObject({ amount: 30, minSpend: 199, expires: '2026-12-14' });
    expect(couponVars(sample, 'UTC')).toMatchObject({ expires: '2026-12-13' });
  });

  it("comes from the step's own coupon, else the nearest earlier send that issues one, else none", () => {
    const f = flow([
      { id: 'start', type: 'entry', next: 'first' },
      { id: 'first', type: 'send', channel: 'email', template: 'x', coupon: 'sleeping-vip-30', next: 'wait' },
      { id: 'wait', type: 'wait', duration: '2d', next: 'again' },
      { id: 'again', type: 'send', channel: 'sms', template: '{{coupon.code}}', next: 'own' },
      { id: 'own', type: 'send', channel: 'sms', template: '{{coupon.code}}', coupon: 'welcome-back-10' },
      { id: 'alone', type: 'send', channel: 'sms', template: '{{coupon.code}}' },
    ]);
    expect(couponSource(f, 'first')).toEqual({ spec: 'sleeping-vip-30', from: null });
    expect(couponSource(f, 'again')).toEqual({ spec: 'sleeping-vip-30', from: 'first' });
    expect(couponSource(f, 'own')).toEqual({ spec: 'welcome-back-10', from: null });
    expect(couponSource(f, 'alone')).toBeNull();
  });
});

describe("the server's errors in the marketer's words", () => {
  it('says the known codes in Chinese and keeps unknown messages as they are', () => {
    const problems = [{ line: 0, nodeId: null, path: 'nodes', message: 'a flow needs exactly one entry node; there is none', severity: 'error' as const }];
    const rejected = new ApiError(422, 'flow "win-back-vip" has 1 problem(s); nothing was written', problems, { code: 'flow-has-problems', message: 'flow "win-back-vip" has 1 problem(s); nothing was written', problems });
    expect(errorText('zh', rejected)).toBe('旅程有 1 个问题，没有保存也没有发布：请先按右侧「问题」列表修复');
    const outbox = new ApiError(422, 'sms is not connected to a provider (outbox-only in rules/channels.yaml): a test would not leave the machine', [], { code: 'channel-outbox-only', channel: 'sms', message: '…' });
    const w = errorWords('zh', outbox);
    expect(w.text).toMatch(/^测试消息没有发出：短信还没有接入服务商，消息只会写入发件箱/);
    expect(w.text).not.toMatch(/[A-Za-z]/);
    expect(w.code).toBe('rules/channels.yaml');
    expect(errorText('zh', new ApiError(409, 'flow "x" has been published; its id can no longer change'))).toBe('flow "x" has been published; its id can no longer change');
    // 新建旅程 with a taken id (the dialog's list of ids not loaded yet): said, not the server's English.
    const taken = new ApiError(409, 'a flow "walk-care" already exists; choose another id (nothing was written)', [], { code: 'flow-exists', flowId: 'walk-care', message: 'a flow "walk-care" already exists; choose another id (nothing was written)' });
    expect(errorText('zh', taken)).toBe('已有 ID 为 walk-care 的旅程（不会覆盖它）：请换一个旅程 ID');
    // A test send on a server opened on a simulation's copy (409 simulation-copy): said, not the server's English line.
    const message = "POST /api/messages/test-send does not run: this database is a simulation's copy (payment-reminder, 2026-11-11 – 2026-11-12): nothing is sent and no journey moves";
    const onCopy = new ApiError(409, message, [], { statusCode: 409, error: 'Conflict', code: 'simulation-copy', refused: 'runs', message });
    expect(errorText('zh', onCopy)).toBe('测试消息没有发出：这是模拟副本，这里不会发送任何消息（测试也不会），旅程也不会继续。请在正式店铺的服务器上发送测试');
    // A publish (pause, resume, stop, approval) refused there: said as that, not as a test that did not go out.
    const published = "POST /api/flows/payment-reminder/publish is refused: this database is a simulation's copy (payment-reminder, 2026-11-11 – 2026-11-12): nothing is sent and no journey moves; a journey published, paused, resumed or stopped here would run nowhere: do it on the live shop's server";
    const publishOnCopy = new ApiError(409, published, [], { statusCode: 409, error: 'Conflict', code: 'simulation-copy', refused: 'goes-live', message: published });
    expect(errorText('zh', publishOnCopy)).toBe('没有生效：这是模拟副本，这里不会发送消息，旅程也不会继续，所以不能在这里发布、暂停、继续运行或停止旅程，也不能批准发布（正式店铺不会有任何变化）。请到正式店铺的服务器上操作；草稿可以照常编辑');
    expect(errorText('zh', publishOnCopy)).not.toMatch(/测试|[A-Za-z]/);
    // Saving the contact rules, a block list's title or an audience there would have changed the shop's
    // own rule file, which the live shop runs on: not said as "the live shop would not change at all".
    const saved = "PUT /api/policy is refused: this database is a simulation's copy (payment-reminder, 2026-11-11 – 2026-11-12): nothing is sent and no journey moves; the copy is of the database only, and the rules folder is the shop's own: saved here, this change would not stay in the copy but change the file the live shop runs on: make it on the live shop's server";
    const policyOnCopy = new ApiError(409, saved, [], { statusCode: 409, error: 'Conflict', code: 'simulation-copy', refused: 'shop-files', message: saved });
    expect(errorText('zh', policyOnCopy)).toBe('没有保存：这是模拟副本，副本只复制了数据库。触达规则、屏蔽名单和人群是店铺自己的规则文件，在这里保存会直接改掉正式店铺正在用的文件，而不是副本的。请到正式店铺的服务器上修改；旅程草稿可以照常编辑');
    expect(errorText('zh', policyOnCopy)).not.toMatch(/不会有任何变化|[A-Za-z]/);
    expect(errorText('en', policyOnCopy)).toMatch(/^Not saved: this is a simulation's copy, which copies the database only/);
  });
});
