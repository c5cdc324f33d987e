import { describe, expect, it } from '@jest/globals';
import { journeyKeyOf, keyVariable, withStandIns } from '../../designer/src/model/message-stand-ins.js';
import { matchKeyWords } from '../../designer/src/model/journey-key-words.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { nodeSummary } from '../../designer/src/model/summary.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** Marketer walk: a send card read 旺旺：亲，您的订单 {{key}}… — a variable must read as words, never braces. */
describe('designer send card stand-ins for message variables', () => {
  const flow: DraftFlow = {
    id: 'payment-reminder',
    name: '催付',
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'ww' },
      { id: 'ww', type: 'send', channel: 'wangwang', template: '亲，您的订单 {{key}} 还没有付款哦 {{link}}' },
    ],
  };

  it('shows {{key}} as 〈订单号〉 on a card of a journey keyed by the order id', () => {
    const card = nodeSummary('zh', flow.nodes[1], undefined, undefined, undefined, journeyKeyOf(flow));
    expect(card).toBe('旺旺：亲，您的订单 〈订单号〉 还…');
    expect(card).not.toMatch(/\{\{|\}\}/);
    // Clipped to a card's line, a stand-in is kept whole, never 〈订…
    const sms = { id: 's', type: 'send' as const, channel: 'sms', template: '【示例旗舰店】您的订单{{key}}尚未付款' };
    expect(nodeSummary('zh', sms, undefined, undefined, undefined, 'orderId')).toBe('短信：【示例旗舰店】您的订单〈订单号〉…');
  });

  it('names every variable the message panel offers in its words, never with braces', () => {
    expect(withStandIns('zh', '{{customer.name}}您好，券码 {{ coupon.code }}（{{coupon.amount}}元，{{coupon.expires}}前有效）{{link}}', 'orderId')).toBe('〈顾客姓名〉您好，券码 〈优惠券码〉（〈优惠券面额〉元，〈优惠券到期日〉前有效）〈追踪链接〉');
    expect(withStandIns('zh', '距上次下单 {{facts.recencyDays}}', undefined)).toBe('距上次下单 〈距上次购买天数〉');
    // A journey keyed by nothing prints {{key}} as empty text: the card says so, in the entry form's words.
    expect(withStandIns('zh', '{{key}}', undefined)).toBe('〈空白：入口选了「不区分」〉');
    expect(withStandIns('zh', '{{key}}', undefined)).not.toContain('旅程关键值');
    expect(withStandIns('zh', '{{key}}', 'code')).toBe('〈券码〉');
    expect(withStandIns('zh', '{{cusomer.nmae}}')).toBe('〈cusomer.nmae〉');
    expect(withStandIns('en', 'Order {{key}}', 'orderId')).toBe('Order ‹order number›');
  });

  it('reads the journey key from the entry step, none when the trigger has no key', () => {
    expect(journeyKeyOf(flow)).toBe('orderId');
    expect(journeyKeyOf({ nodes: [{ id: 's', type: 'entry', trigger: { type: 'schedule', cron: '0 9 * * *' } }] })).toBeUndefined();
    expect(journeyKeyOf(undefined)).toBeUndefined();
  });

  it('offers {{key}} in the message panel by what keys the journey, and not at all where nothing does', () => {
    expect(keyVariable('zh', 'orderId')).toEqual(['{{key}}', '订单号']);
    expect(keyVariable('zh', 'code')).toEqual(['{{key}}', '券码']);
    expect(keyVariable('zh', undefined)).toBeNull();
  });

  it('says the 匹配条件 choice $key by what keys the journey, and that it is always empty where nothing does', () => {
    expect(matchKeyWords('zh', 'orderId')).toBe('本旅程的订单号');
    expect(matchKeyWords('zh', undefined)).toBe('本旅程的关键值（入口选了「不区分」：总是空的）');
  });

  it('the Problems panel says in Chinese why {{key}} in a journey keyed by nothing would print nothing', () => {
    const words = serverProblemWords({ line: 13, nodeId: 'remind', path: 'nodes.1.template', severity: 'warning', message: 'uses {{key}} but the entry keys no journey (no trigger key): customers would get an empty text in its place; choose what keys the journey in the entry (e.g. key: orderId) or take {{key}} out' });
    expect(words).toBe('消息里的〈旅程关键值〉（如订单号）是空的：入口选了「不区分」，顾客收到的这里什么都没有。请在入口的「旅程关键值」里选按什么区分旅程（如订单号），或删掉这个变量');
  });
});
