import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import type { DraftFlow } from '../../designer/src/model/types.js';
import { mergeWaitIntoResponse, missedResponseFix } from '../../designer/src/model/merge-wait-into-response.js';
import { serializeFlow } from '../../server/src/core/flow/flow-file.js';

/**
 * A payment reminder drawn from scratch on the demo shop (walked on 2 Dec 2026): 下单 → 等待 2 小时
 * → 等待付款 22 小时 (超时 → 催付短信). A waitForEvent counts only payments after it starts, so a
 * customer who paid in the first two hours got the reminder; the designer and `rekindle validate`
 * said 没有问题.
 */
const flow = (exitOn = '') => `id: walk-remind
name: 未付款提醒
${exitOn}nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created, key: orderId }
    next: wait-1
  - id: wait-1
    type: wait
    duration: 2h
    next: wait-paid
  - id: wait-paid
    type: waitForEvent
    events: [order_paid, click]
    within: 22h
    match: { orderId: $key }
    responded: paid
    timedOut: remind
  - id: remind
    type: send
    channel: sms
    category: transactional
    template: 您的订单 {{key}} 还没有付款
    next: done
  - id: paid
    type: exit
    goal: true
  - id: done
    type: exit
`;
const check = (text: string) => validateFlowText(text, 'walk-remind.flow.yaml', ruleCatalogFromNames([])).problems;

const missed = (text: string) => check(text).filter((p) => /counts only events after it starts/.test(p.message));

describe('a waitForEvent after a plain wait', () => {
  it('warns that a payment during the wait before it is not seen, naming the step, the wait and how to draw it right, in Chinese in the Problems panel', () => {
    const found = missed(flow());
    expect(found.map((p) => [p.nodeId, p.severity])).toEqual([['wait-paid', 'warning']]);
    expect(found[0].message).toContain('waitForEvent "wait-paid" counts only events after it starts: "order_paid" during the wait before it (wait-1, 2h) is not seen');
    expect(found[0].message).toContain('drop the wait wait-1 and wait here from the entry with within: 1d');
    expect(found[0].message).toContain('exitOn (event: order_paid, match: {orderId:$key})');
    expect(found[0].message).not.toContain('"click"'); // a link cannot be clicked before its message
    const draft: DraftFlow = { id: 'walk-remind', name: '未付款提醒', nodes: [{ id: 'wait-1', type: 'wait', duration: '2h' }, { id: 'wait-paid', type: 'waitForEvent', label: '等待付款' }] };
    expect(serverProblemWords({ ...found[0], path: 'nodes.2.events' }, draft)).toBe(
      '这一步（wait-paid）只认它开始之后发生的「付款」：顾客在前面「等待 2 小时」（wait-1）期间「付款」，这一步看不到，旅程会当作没有发生继续走（例如给已经付款的顾客发催付）。请二选一：删掉「等待 2 小时」（wait-1），让这一步紧跟在入口后面，「等待多久」改成 1 天；或在旅程设置的「提前结束条件」里加上「付款」（匹配本旅程的关键值），发生后无论在哪一步都退出旅程',
    );
  });

  it('warns through a reminder sent between when the wait asks about the journey\'s own order, not when it asks for any answer to the message', () => {
    const sent = flow().replace('    next: wait-paid\n  - id: wait-paid', '    next: remind-0\n  - id: remind-0\n    type: send\n    channel: sms\n    category: transactional\n    template: 请付款 {{key}}\n    next: wait-paid\n  - id: wait-paid');
    expect(missed(sent).map((p) => p.nodeId)).toEqual(['wait-paid']);
    expect(missed(sent)[0].message).toContain('make the wait wait-1 a waitForEvent for it'); // not right before: no sum offered
    const draft: DraftFlow = { id: 'walk-remind', name: '未付款提醒', nodes: [{ id: 'wait-1', type: 'wait', duration: '2h' }, { id: 'wait-paid', type: 'waitForEvent' }] };
    expect(serverProblemWords({ ...missed(sent)[0], path: 'nodes.3.events' }, draft)).toContain('请二选一：把「等待 2 小时」（wait-1）换成「等待响应」等「付款」，「等待多久」不变，「已响应」连到一个结束步骤；或在旅程设置的「提前结束条件」里加上「付款」（匹配本旅程的关键值）');
    expect(missed(sent.replace('    match: { orderId: $key }\n', ''))).toEqual([]);
  });

  it('says nothing when the flow ends its journeys on the event, or the wait for it comes right after the entry', () => {
    expect(missed(flow('exitOn:\n  - event: order_paid\n    match: { orderId: $key }\n    goal: true\n'))).toEqual([]);
    const direct = flow().replace('    next: wait-1\n', '    next: wait-paid\n').replace('    duration: 2h\n    next: wait-paid', '    duration: 2h\n    next: done');
    expect(missed(direct)).toEqual([]);
  });

  it('leaves the shipped examples alone', () => {
    for (const f of readdirSync('rules/flows').filter((n) => n.endsWith('.flow.yaml'))) expect([f, missed(readFileSync(join('rules/flows', f), 'utf8'))]).toEqual([f, []]);
  });
});

/**
 * A reactivation drawn in the designer (walked on 4 Dec 2026): 召回邮件 → 等待 2 天 → 召回短信 →
 * 等待响应（付款，5 天）, 超时 → tag given-up, no 提前结束条件. The response step rightly asks "did
 * they answer the SMS", but a customer who paid during the 2 days still got the SMS, then took
 * 超时 and was tagged given-up; the Problems panel said 没有问题.
 */
const reactivation = (exitOn = '') => `id: walk-winback
name: 沉睡召回
${exitOn}nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: sleeping, every: 1d }
    next: email-1
  - id: email-1
    type: send
    channel: email
    category: marketing
    template: 好久不见
    next: wait-1
  - id: wait-1
    type: wait
    duration: 2d
    next: sms-1
  - id: sms-1
    type: send
    channel: sms
    category: marketing
    template: 回来看看
    next: wait-resp
  - id: wait-resp
    type: waitForEvent
    events: [order_paid]
    within: 5d
    responded: won-back
    timedOut: give-up
  - id: give-up
    type: tag
    tag: given-up
    next: done
  - id: won-back
    type: exit
    goal: true
  - id: done
    type: exit
`;
const answeredFirst = (text: string) => check(text).filter((p) => /still goes to customers who did/.test(p.message));

describe('a message after a plain wait, before a waitForEvent for an answer', () => {
  it('warns that a customer who already paid during the wait still gets the message and then times out, naming both steps, in Chinese in the Problems panel', () => {
    const found = answeredFirst(reactivation());
    expect(found.map((p) => [p.nodeId, p.severity])).toEqual([['wait-resp', 'warning']]);
    expect(found[0].message).toBe(
      'send "sms-1" still goes to customers who did "order_paid" during the wait before it (wait-1, 2d), and waitForEvent "wait-resp" after it sees only what happens once it has started: they get the message and then take "timedOut" as if they had not responded; end the journey on it at any step with exitOn (event: order_paid, goal: true)',
    );
    expect(missed(reactivation())).toEqual([]); // not the other warning: the step asks about the SMS
    const draft: DraftFlow = { id: 'walk-winback', name: '沉睡召回', nodes: [{ id: 'wait-1', type: 'wait', duration: '2d' }, { id: 'sms-1', type: 'send', channel: 'sms', label: '召回短信' }, { id: 'wait-resp', type: 'waitForEvent' }] };
    expect(serverProblemWords({ ...found[0], path: 'nodes.4.events' }, draft)).toBe(
      '顾客在前面「等待 2 天」（wait-1）期间「付款」，仍会收到「召回短信」（sms-1）；之后这一步（wait-resp）只认它开始之后的「付款」，看不到之前那次，会当作没有响应走「超时」（例如已经回购的顾客被记为放弃）。请在旅程设置的「提前结束条件」里加上「付款」并勾选「算作转化」，发生后无论在哪一步都退出旅程',
    );
  });

  it('says nothing when the flow ends its journeys on the event, or no wait comes before the message', () => {
    expect(answeredFirst(reactivation('exitOn:\n  - event: order_paid\n    goal: true\n'))).toEqual([]);
    const noWait = reactivation().replace('    next: wait-1\n  - id: wait-1\n    type: wait\n    duration: 2d\n    next: sms-1\n', '    next: sms-1\n');
    expect(answeredFirst(noWait)).toEqual([]);
  });

  it('leaves the shipped examples alone', () => {
    for (const f of readdirSync('rules/flows').filter((n) => n.endsWith('.flow.yaml'))) expect([f, answeredFirst(readFileSync(join('rules/flows', f), 'utf8'))]).toEqual([f, []]);
  });
});

describe('the Problems panel putting it right: the wait taken into 等待付款', () => {
  const drawn: DraftFlow = {
    id: 'walk-remind',
    name: '未付款提醒',
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'wait-1' },
      { id: 'wait-1', type: 'wait', duration: '2h', next: 'wait-paid' },
      { id: 'wait-paid', type: 'waitForEvent', events: ['order_paid'], within: '22h', match: { orderId: '$key' }, responded: 'paid', timedOut: 'done' },
      { id: 'paid', type: 'exit', goal: true },
      { id: 'done', type: 'exit' },
    ],
  };
  it('removes the wait, leads the entry to 等待付款 and waits 1 day from the entry; validate then says nothing of it', () => {
    const [warning] = missed(flow());
    const fixed = missedResponseFix(drawn, warning)!;
    expect(fixed.nodes.map((n) => n.id)).toEqual(['start', 'wait-paid', 'paid', 'done']);
    expect(fixed.nodes[0].next).toBe('wait-paid');
    expect(fixed.nodes[1].within).toBe('1d');
    expect(missed(serializeFlow(fixed as never))).toEqual([]);
  });

  it('offers nothing when a step stands between (a send: the marketer redraws) or for another problem', () => {
    const sent: DraftFlow = { ...drawn, nodes: drawn.nodes.map((n) => (n.id === 'wait-1' ? { ...n, next: 'sms' } : n)).concat([{ id: 'sms', type: 'send', channel: 'sms', template: '请付款', next: 'wait-paid' }]) };
    expect(mergeWaitIntoResponse(sent, 'wait-paid')).toBeNull();
    expect(missedResponseFix(drawn, { nodeId: 'wait-paid', message: 'branch "timedOut" is not connected to any node' })).toBeNull();
  });
});
