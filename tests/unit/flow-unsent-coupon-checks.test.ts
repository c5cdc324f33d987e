import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkUnsentCoupons, unsentCoupons } from '../../server/src/core/coupons/unsent-coupons.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

/**
 * Walkthrough leftover: the designer warned (coupon-unsent.ts) when a send prints the coupon an
 * earlier send issued on another channel — customers that send cannot reach arrive with no coupon
 * and this message is held back (no-coupon) — but `rekindle validate` and publishing said nothing.
 * The rule now lives in the engine (core/coupons/unsent-coupons.ts) and validate-flow.ts runs it.
 */
const winback = (sms = '', mail = '') => `id: winback
name: 召回
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_signed }
    next: mail
  - id: mail
    type: send
    channel: email
    subject: 送你一张券
    template: 券码 {{coupon.code}}
    coupon: welcome-back-10
${mail}    next: wait
  - id: wait
    type: wait
    duration: 3d
    next: sms
  - id: sms
    type: send
    channel: sms
    template: 您的券（券码{{coupon.code}}）快到期了 回T退订
${sms}    next: done
  - id: done
    type: exit
`;
const check = (text: string) => validateFlowText(text, 'rules/flows/winback.flow.yaml', ruleCatalogFromNames([])).problems.filter((p) => /^prints the coupon/.test(p.message));

describe('a send printing a coupon that an earlier send on another channel issues (rekindle validate)', () => {
  it('is a warning of validate on the step, with its line, naming the issuing step, its channel and the fix', () => {
    const [p, ...more] = check(winback());
    expect(more).toEqual([]);
    expect(p).toMatchObject({ line: 19, nodeId: 'sms', severity: 'warning', path: 'nodes.3.coupon' });
    expect(p.message).toBe('prints the coupon that "mail" issues, which goes out only with that email message: a customer it does not reach (no email consent or address) arrives here without a coupon and this sms message is held back (no-coupon); issue the same coupon here too (coupon: welcome-back-10) — a customer who got it keeps their code');
  });

  it('is not said when the step issues the coupon too, or the earlier send falls back to its channel', () => {
    expect(check(winback('    coupon: welcome-back-10\n'))).toEqual([]);
    expect(check(winback('', '    fallback: sms\n'))).toEqual([]);
  });

  it('says which of the step\'s channels the coupon never went out on (a fallback counts)', () => {
    const nodes = [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_signed' }, next: 'a' },
      { id: 'a', type: 'send', channel: 'wechat', fallback: 'sms', template: '{{coupon.code}}', coupon: 'x', next: 'b' },
      { id: 'b', type: 'send', channel: 'sms', fallback: 'email', subject: '券', template: '{{ coupon.amount }}', next: 'c' },
      { id: 'c', type: 'exit' },
    ];
    expect(unsentCoupons(nodes)).toEqual([{ index: 2, nodeId: 'b', from: 'a', coupon: 'x', fromChannels: ['wechat', 'sms'], missing: ['email'] }]);
    expect(checkUnsentCoupons(nodes)[0]).toMatchObject({ path: ['nodes', 2, 'coupon'], nodeId: 'b', severity: 'warning' });
  });

  it('has Chinese words in the Problems panel naming the step that issues the coupon', () => {
    const [p] = check(winback());
    expect(serverProblemWords(p)).toBe('这条消息用的是「mail」发的券，可券只随那条邮件一起发出：没收到那条邮件的顾客到这一步手里没有券，这条短信会被拦下（没有券）。请在这一步的「优惠券」里也选同一张券：收到过的顾客仍用原来的券码，不会拿到第二张');
  });

  it('is said of none of the shipped flows (pre-sleep\'s last email issues the reminder\'s coupon too)', () => {
    const dir = 'rules/flows';
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.flow.yaml'))) expect([f, unsentCoupons((validateFlowText(readFileSync(join(dir, f), 'utf8'), f, ruleCatalogFromNames([])).source?.value as { nodes: unknown[] }).nodes)]).toEqual([f, []]);
  });
});
