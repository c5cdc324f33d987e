import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { isJourneyCheckWarning } from '../support/journey-check-warnings.js';

const RULES = ruleCatalogFromNames(['d11-audience', 'sleeping']);
const check = (text: string) => validateFlowText(text, 'rules/flows/t.flow.yaml', RULES).problems.filter((p) => !isJourneyCheckWarning(p));

const reminder = (category: string, extra = '') => `id: t
name: 催付
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created, key: orderId }
    next: wait
  - id: wait
    type: wait
    duration: 2h
    next: remind
  - id: remind
    type: send
    channel: sms
${category ? `    category: ${category}\n` : ''}${extra}    template: 您的订单 {{key}} 还没有付款
    next: done
  - id: done
    type: exit
exitOn:
  - event: order_paid
`;

describe('validate: a send step\'s category against what the step is', () => {
  it('warns on the category line when a payment reminder (a journey that starts at order_created) is marked marketing', () => {
    const [p] = check(reminder('marketing')).filter((x) => x.path.endsWith('category'));
    expect(p).toMatchObject({ line: 15, nodeId: 'remind', severity: 'warning', path: 'nodes.2.category' });
    expect(p.message).toMatch(/^a payment reminder .* is category marketing: it takes a slot of the shop's marketing caps/);
    expect(serverProblemWords(p)).toMatch(/^这是催付提醒.*「营销」.*交易通知/);
  });

  it('warns as well when the category is left out (the schema\'s default is marketing)', () => {
    expect(check(reminder('')).filter((x) => x.nodeId === 'remind' && x.message.startsWith('a payment reminder'))).toHaveLength(1);
  });

  it('says nothing of a reminder marked transactional, nor of one marked marketing that promotes with a coupon', () => {
    expect(check(reminder('transactional')).filter((x) => x.nodeId === 'remind')).toEqual([]);
    expect(check(reminder('marketing', '    coupon: { value: 5 }\n')).filter((x) => x.message.startsWith('a payment reminder'))).toEqual([]);
  });

  it('takes a send after the timedOut of a wait for this order\'s payment as a reminder, whatever the trigger', () => {
    const text = `id: t
name: t
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_paid, key: orderId }
    next: w
  - id: w
    type: waitForEvent
    events: [order_paid]
    match: { orderId: $key }
    within: 1d
    responded: done
    timedOut: remind
  - id: remind
    type: send
    channel: sms
    category: marketing
    template: 请付款
    next: done
  - id: done
    type: exit
`;
    expect(check(text).filter((x) => x.nodeId === 'remind').map((x) => x.message.slice(0, 20))).toEqual(['a payment reminder (']);
  });

  it('warns when promotional copy (a coupon, 领券/大促 words) is marked transactional or care, naming what reads as a promotion', () => {
    const p = check(reminder('transactional').replace('您的订单 {{key}} 还没有付款', '今天领券满 199 减 20')).find((x) => x.nodeId === 'remind')!;
    expect(p).toMatchObject({ severity: 'warning', path: 'nodes.2.category' });
    expect(p.message).toBe('category transactional on a promotion (its text says "领券"): a promotion is marketing, and as transactional it skips the shop\'s marketing caps, give-up rule and block lists; mark it category: marketing');
    expect(serverProblemWords(p)).toMatch(/^消息内容像是促销（「领券」），却标成了「交易通知」/);
    const care = check(reminder('care', '    coupon: { value: 5 }\n')).find((x) => x.nodeId === 'remind')!;
    expect(care.message).toMatch(/^category care on a promotion \(it issues a coupon\)/);
    expect(serverProblemWords(care)).toMatch(/^这一步发优惠券，却标成了「关怀」/);
  });

  it('says nothing of the shipped flows (their categories are what their steps are)', () => {
    const dir = join(import.meta.dirname, '../../rules/flows');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.flow.yaml'))) {
      const problems = validateFlowText(readFileSync(join(dir, f), 'utf8'), f, RULES).problems;
      expect(problems.filter((p) => /category (marketing|transactional|care)/.test(p.message))).toEqual([]);
    }
  });
});

describe('validate: re-entry on a one-off audience', () => {
  const audience = (policy: string) => `id: t
name: t
nodes:
  - id: start
    type: entry
    trigger: { type: audience, segment: d11-audience, startAt: '2027-10-27T09:00:00+08:00' }
    reentry:
      policy: ${policy}
${policy === 'after' ? '      days: 30\n' : ''}    next: done
  - id: done
    type: exit
`;

  it('warns on the policy line that always / after means nothing for a one-off audience', () => {
    for (const policy of ['always', 'after']) {
      const [p] = check(audience(policy));
      expect(p).toMatchObject({ line: 8, nodeId: 'start', severity: 'warning', path: 'nodes.0.reentry.policy' });
      expect(p.message).toBe(`reentry "${policy}" means nothing for a one-off audience: it enters once, at startAt, and never runs again; remove reentry (or set policy: never), or use a schedule trigger for a campaign that repeats`);
      expect(serverProblemWords(p)).toMatch(/^一次性人群只在开始时间进入一次/);
    }
  });

  it('says nothing of never, nor of re-entry on a schedule or an event trigger', () => {
    expect(check(audience('never'))).toEqual([]);
    const schedule = audience('always').replace("{ type: audience, segment: d11-audience, startAt: '2027-10-27T09:00:00+08:00' }", '{ type: schedule, segment: sleeping, every: day, at: "09:00" }');
    expect(check(schedule)).toEqual([]);
  });
});
