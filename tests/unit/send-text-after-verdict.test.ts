import { describe, expect, it } from '@jest/globals';
import type { Customer } from '../../server/src/core/data/model.js';
import type { BatchContext } from '../../server/src/core/engine/executor.js';
import { createSendExecutor } from '../../server/src/core/engine/executors/send.executor.js';
import { LINK_STAND_IN } from '../../server/src/core/engine/held-back-coupon.js';
import type { Enrollment, SendRequest, StepResult } from '../../server/src/core/engine/model.js';
import type { NodeOfType } from '../../server/src/core/flow/schema.js';
import type { SendPolicy } from '../../server/src/core/policy/ports.js';
import type { Verdict } from '../../server/src/core/policy/review.js';

/**
 * A stepping batch's policy reads no message text (policy/ports.ts `textAfterVerdict`), so the send
 * executor renders each message once its verdict is known: a held-back one straight with its
 * stand-ins, a deferred one not at all. What is stored must be exactly what rendering first and
 * then holding back (heldBackWithoutCoupon) stored: a Double 11 holds back ~60% of its messages.
 */
describe('a message rendered after its verdict', () => {
  const NOW = Date.parse('2026-11-05T10:00:00+08:00');
  const node = {
    id: 'winback-email',
    type: 'send',
    channel: 'email',
    category: 'marketing',
    priority: 50,
    subject: '{{customer.name}}，送你{{coupon.amount}}元券 {{link}}',
    template: '券码{{coupon.code}}，满{{coupon.minSpend}}可用，{{coupon.expires}}前有效：{{link}} {{key}}',
    link: 'https://shop.example.com/d11',
    coupon: { value: 20, minSpend: 100, validDays: 10 },
    next: 'done',
  } as unknown as NodeOfType<'send'>;
  const customer = (id: number, name: string): Customer => ({
    id,
    externalId: `c-${id}`,
    name,
    phone: null,
    email: `c${id}@example.com`,
    wechatId: null,
    province: null,
    city: null,
    device: null,
    tags: [],
    consent: { email: true },
    attributes: {},
  } as unknown as Customer);
  const customers = new Map([1, 2, 3, 4].map((id) => [id, customer(id, ['董璐敏', '王芳', '李雷', '韩梅梅'][id - 1])]));
  const batch: Enrollment[] = [1, 2, 3, 4].map((id) => ({ id: 100 + id, flowId: 'd11', versionId: 7, customerId: id, journeyKey: `k${id}`, nodeId: node.id, status: 'active', enteredAt: NOW, nodeEnteredAt: NOW, wakeAt: NOW, stepCount: 3, arm: null }));
  /** Queued, blocked, deferred and skipped, by customer. */
  const verdictOf = (customerId: number): Verdict =>
    customerId === 1
      ? { status: 'queued', channel: 'email', reason: null }
      : customerId === 2
        ? { status: 'blocked', channel: 'email', reason: 'cap:d11-touches' }
        : customerId === 3
          ? { status: 'deferred', channel: 'email', reason: 'quiet-hours', until: NOW + 3_600_000 }
          : { status: 'capped', channel: 'email', reason: 'cap:d11-touches' };

  function policy(textAfterVerdict: boolean, seen: SendRequest[]): SendPolicy {
    return {
      textAfterVerdict,
      async review(items) {
        for (const { send } of items) seen.push({ ...send });
        return new Map(items.map(({ request }) => [request.key, verdictOf(request.customerId)]));
      },
    };
  }

  async function run(textAfterVerdict: boolean) {
    const seen: SendRequest[] = [];
    const ctx = {
      now: NOW,
      timezone: 'Asia/Shanghai',
      version: { id: 7, flowId: 'd11', flow: { campaign: 'double11-2026' } },
      customers: async () => customers,
      facts: async () => new Map(),
      policy: policy(textAfterVerdict, seen),
    } as unknown as BatchContext;
    const results = await createSendExecutor().execute(node, batch, ctx);
    return { seen, results };
  }

  /** A stored send with its random token and coupon code named alike, so two runs compare. */
  function stored(r: StepResult): Record<string, unknown> | string {
    if (r.kind !== 'goto') return r.kind;
    const s = (r.effects![0] as { send: SendRequest }).send;
    const plain = (t: string | null) => (t === null ? null : t.split(`/r/${s.linkToken}`).join('/r/TOKEN').split(s.couponCode ?? '§').join('CODE'));
    return { subject: plain(s.subject), body: plain(s.body), status: s.status, reason: s.reason, linkToken: s.linkToken === null ? null : 'TOKEN', couponCode: s.couponCode === null ? null : 'CODE', couponValue: s.couponValue, issues: s.coupon ? s.coupon.amount : null };
  }

  it('hands a policy that reads no text the requests without it, and renders after the verdict', async () => {
    const later = await run(true);
    expect(later.seen.map((s) => [s.subject, s.body])).toEqual([[null, ''], [null, ''], [null, ''], [null, '']]);
    const first = await run(false);
    expect(first.seen.every((s) => s.body.startsWith('券码') && s.subject!.startsWith(customers.get(s.customerId)!.name!))).toBe(true);
  });

  it('stores exactly the texts, coupons and links that rendering first stored', async () => {
    const later = (await run(true)).results.map(stored);
    const first = (await run(false)).results.map(stored);
    expect(later).toEqual(first);
    expect(later[2]).toBe('sleep');
    // The queued message names its coupon and link; the held-back ones stand-ins, no code issued, no token kept.
    expect(later[0]).toMatchObject({ status: 'queued', subject: '董璐敏，送你20元券 /r/TOKEN', body: '券码CODE，满100可用，2026-11-15前有效：/r/TOKEN k1', linkToken: 'TOKEN', couponCode: 'CODE', issues: 20 });
    for (const held of [later[1], later[3]]) {
      expect(held).toMatchObject({ status: 'blocked', linkToken: null, couponCode: null, couponValue: 20, issues: null });
      expect((held as { body: string }).body).toBe(`券码〈券码〉，满〈使用门槛〉可用，〈有效期〉前有效：${LINK_STAND_IN} k${held === later[1] ? 2 : 4}`);
    }
  });
});
