import { describe, expect, it } from '@jest/globals';
import { appendAfter } from '../../designer/src/model/append-after.js';
import { idFromName, idProblem } from '../../designer/src/model/flow-id.js';
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

describe('a telling journey id, asked for once in 新建旅程', () => {
  it('says what a journey with a Chinese name does and the month it was made (winback-2026-12), not a timestamp', () => {
    const dec = Date.parse('2026-12-06T15:38:00Z');
    expect(idFromName('沉睡顾客唤醒', new Set(), dec, 'sleeping-reactivation')).toBe('winback-2026-12');
    expect(idFromName('催付提醒', new Set(['payment-reminder-2026-12']), dec, 'payment-reminder')).toBe('payment-reminder-2026-12-2');
    expect(idFromName('双十一 2027', new Set(), dec, 'double11-campaign')).toBe('double11-2026-12');
    expect(idFromName('沉睡顾客唤醒', new Set(), dec)).toBe('journey-2026-12');
    for (const id of ['winback-2026-12', 'journey-2026-12', 'payment-reminder-2026-12-2']) expect(idProblem(id, new Set())).toBeNull();
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
