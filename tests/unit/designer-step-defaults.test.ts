import { describe, expect, it } from '@jest/globals';
import { appendAfter } from '../../designer/src/model/append-after.js';
import { idFromName, idProblem, STAND_IN_ID, suggestFlowId } from '../../designer/src/model/flow-id.js';
import { newNode } from '../../designer/src/model/palette.js';
import { entryWithTrigger, reentryApplies, reentryNote } from '../../designer/src/model/reentry-applies.js';
import { defaultSendKind, kindMeaning, kindName, kindReasonWords, withDefaultKind } from '../../designer/src/model/send-kind.js';
import type { DraftFlow, DraftNode } from '../../designer/src/model/types.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { serializeFlow } from '../../server/src/core/flow/flow-file.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';

const entry = (trigger: Record<string, unknown>): DraftNode => ({ id: 'start', type: 'entry', trigger, reentry: { policy: 'never' } });
const flowOf = (...nodes: DraftNode[]): DraftFlow => ({ id: 'journey-20261202', name: '催付', nodes });
/** A send clicked in the palette with `after` selected, as EditorView.add draws it. */
const addSend = (flow: DraftFlow, after: string | null) => {
  const n = newNode(flow, 'send');
  const appended = appendAfter(flow, after, n);
  return withDefaultKind(appended, appended.nodes.find((x) => x.id === n.id)!);
};

describe('a new send step takes the kind of where it is added', () => {
  it('is 交易通知 in a journey that starts at 下单 (a payment reminder), not 营销', () => {
    const f = flowOf(entry({ type: 'event', event: 'order_created', key: 'orderId' }), { id: 'wait-1', type: 'wait', duration: '2h' });
    const send = addSend(f, 'wait-1');
    expect(send.category).toBe('transactional');
    expect(kindName('zh', send.category)).toBe('交易通知');
    expect(kindReasonWords('zh', defaultSendKind(f, send.id).reason)).toMatch(/由「下单」触发.*催付.*交易通知/);
  });

  it('is 交易通知 after the 超时 of a wait for this order\'s payment, whatever the trigger', () => {
    const wait: DraftNode = { id: 'wait-paid', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '1d', responded: 'done', timedOut: 'send-1' };
    const f = flowOf(entry({ type: 'event', event: 'wechat_reply' }), wait, { id: 'send-1', type: 'send', channel: 'sms' }, { id: 'done', type: 'exit' });
    expect(defaultSendKind(f, 'send-1')).toEqual({ kind: 'transactional', reason: 'unpaid-wait' });
  });

  it('is 关怀 after a purchase (付款 / 发货 / 签收) and 营销 for a schedule, a one-off audience or any other event', () => {
    expect(addSend(flowOf(entry({ type: 'event', event: 'order_shipped', key: 'orderId' })), 'start').category).toBe('care');
    expect(addSend(flowOf(entry({ type: 'schedule', segment: 'sleeping', every: 'day', at: '09:00' })), 'start').category).toBe('marketing');
    expect(addSend(flowOf(entry({ type: 'audience', segment: 'd11-audience', startAt: '2027-10-27T09:00:00+08:00' })), 'start').category).toBe('marketing');
    expect(addSend(flowOf(entry({ type: 'event', event: 'order_cancelled' })), null).category).toBe('marketing');
  });

  it('says what each kind counts against, in the marketer\'s words', () => {
    expect(kindMeaning('zh', 'marketing')).toMatch(/^营销：计入店铺的营销触达上限/);
    expect(kindMeaning('zh', 'transactional')).toMatch(/^交易通知：.*不计入只管营销的触达上限.*退订营销的顾客也会收到/);
    expect(kindMeaning('zh', 'care')).toMatch(/^关怀：/);
    expect(kindName('zh', undefined)).toBe('营销'); // the schema's default
  });
});

describe('重复进入 is offered only where a customer can enter again', () => {
  it('does not apply to a one-off audience, and says why', () => {
    expect(reentryApplies({ type: 'audience', segment: 'd11-audience' })).toBe(false);
    expect(reentryApplies({ type: 'schedule', segment: 'sleeping' })).toBe(true);
    expect(reentryApplies({ type: 'event', event: 'order_created' })).toBe(true);
    expect(reentryNote('zh')).toMatch(/^一次性人群只在开始时间进入一次/);
  });

  it('takes re-entry back to 不允许 when the trigger becomes a one-off audience, and keeps it for the others', () => {
    const e: DraftNode = { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, reentry: { policy: 'always' } };
    expect(entryWithTrigger(e, { type: 'audience' }).reentry).toEqual({ policy: 'never' });
    expect(entryWithTrigger(e, { type: 'schedule' }).reentry).toEqual({ policy: 'always' });
  });
});

describe('a telling journey id', () => {
  it('takes the template\'s id for a Chinese name made from a template, the date stand-in only without one', () => {
    expect(idFromName('催付提醒', new Set(['payment-reminder']), Date.parse('2026-12-02T00:00:00Z'), 'payment-reminder')).toBe('payment-reminder-2');
    expect(idFromName('双十一催付', new Set(), Date.parse('2026-12-02T00:00:00Z'))).toBe('journey-20261202');
    expect(STAND_IN_ID.test('journey-20261202-2')).toBe(true);
    expect(STAND_IN_ID.test('order-created-sms')).toBe(false);
  });

  it('suggests one from what starts the journey and the channels it sends on, unique among the shop\'s', () => {
    const f = flowOf(entry({ type: 'event', event: 'order_created', key: 'orderId' }), { id: 'a', type: 'send', channel: 'sms' }, { id: 'b', type: 'send', channel: 'wangwang' }, { id: 'c', type: 'send', channel: 'email' });
    expect(suggestFlowId(f, new Set())).toBe('order-created-sms-wangwang');
    expect(suggestFlowId(f, new Set(['order-created-sms-wangwang']))).toBe('order-created-sms-wangwang-2');
    expect(suggestFlowId(flowOf(entry({ type: 'audience', segment: 'd11-audience' }), { id: 'a', type: 'send', channel: 'email' }), new Set())).toBe('d11-audience-email');
    expect(suggestFlowId(flowOf(), new Set())).toBeNull();
    const s = suggestFlowId(f, new Set())!;
    expect(idProblem(s, new Set())).toBeNull();
  });
});

describe('a new 动作 step names no tag of its own', () => {
  it('starts with an empty tag, which the Problems panel asks for until the marketer fills it in (not a placeholder "tag" that went out unnoticed)', () => {
    const f = flowOf(entry({ type: 'event', event: 'order_created', key: 'orderId' }));
    const action = newNode(f, 'action');
    expect(action.action).toEqual({ kind: 'addTag', tag: '' });
    const flow = { ...f, nodes: [{ ...f.nodes[0], next: action.id }, { ...action, next: 'done' }, { id: 'done', type: 'exit' }] } as DraftFlow;
    const problems = validateFlowText(serializeFlow(flow as never), `${flow.id}.flow.yaml`, ruleCatalogFromNames([])).problems.filter((p) => p.nodeId === action.id);
    expect(problems.map((p) => [p.path, p.severity])).toEqual([['nodes.1.action.tag', 'error']]);
    expect(serverProblemWords(problems[0], flow)).toMatch(/^请填写「.+」（不能为空）$/);
  });
});
