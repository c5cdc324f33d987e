import { describe, expect, it } from '@jest/globals';
import { publishPreview } from '../../designer/src/model/publish-preview.js';
import { reentryWords } from '../../designer/src/model/reentry-words.js';
import { effectiveKey, triggerWithEvent } from '../../designer/src/model/trigger-key.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/**
 * The journey key follows the trigger actually set: changing an order entry's event to one without
 * an order number used to keep key: orderId, and the publish dialog said 按订单号区分旅程 of a
 * journey the engine in effect ran per customer (the key read '' for every event).
 */
const DECLARED: { name: string; fields: Record<string, string> }[] = [
  { name: 'wechat_reply', fields: { messageId: 'string', text: 'string' } },
  { name: 'review_posted', fields: { orderId: 'string', rating: 'number' } },
];
const order = { type: 'event', event: 'order_created', key: 'orderId' };

describe('the journey key follows the trigger event', () => {
  it('drops 订单号 when the new event has no order number (a declared event\'s fields, a link click)', () => {
    expect(triggerWithEvent(order, 'wechat_reply', DECLARED)).toEqual({ type: 'event', event: 'wechat_reply' });
    expect(triggerWithEvent(order, 'click', DECLARED)).toEqual({ type: 'event', event: 'click' });
    expect(triggerWithEvent(order, 'unsubscribe', DECLARED)).toEqual({ type: 'event', event: 'unsubscribe' });
  });

  it('keeps it when the new event carries it, and keeps a key the designer cannot judge (an undeclared event)', () => {
    expect(triggerWithEvent(order, 'order_paid', DECLARED)).toEqual({ type: 'event', event: 'order_paid', key: 'orderId' });
    expect(triggerWithEvent(order, 'review_posted', DECLARED)).toEqual({ type: 'event', event: 'review_posted', key: 'orderId' });
    expect(triggerWithEvent(order, 'shop_own_event', DECLARED)).toEqual({ type: 'event', event: 'shop_own_event', key: 'orderId' });
  });

  it('gives an order event 订单号 as a new entry has, but keeps a 不区分 picked over it', () => {
    expect(triggerWithEvent({ type: 'event', event: 'wechat_reply' }, 'order_paid', DECLARED)).toEqual({ type: 'event', event: 'order_paid', key: 'orderId' });
    expect(triggerWithEvent({ type: 'event', event: 'order_created' }, 'order_paid', DECLARED)).toEqual({ type: 'event', event: 'order_paid' });
    expect(triggerWithEvent({ type: 'event', event: 'wechat_reply', key: 'messageId' }, 'order_paid', DECLARED)).toEqual({ type: 'event', event: 'order_paid', key: 'orderId' });
  });

  it('reads a key the trigger event never carries as none', () => {
    expect(effectiveKey({ type: 'event', event: 'wechat_reply', key: 'orderId' }, DECLARED)).toBeNull();
    expect(effectiveKey({ type: 'event', event: 'click', key: 'orderId' })).toBeNull();
    expect(effectiveKey({ type: 'event', event: 'review_posted', key: 'orderId' }, DECLARED)).toBe('orderId');
    expect(effectiveKey({ type: 'event', event: 'shop_own_event', key: 'ticketNo' })).toBe('ticketNo');
  });
});

describe('the re-entry sentence of the publish dialog', () => {
  it('says per customer, not 按订单号区分旅程, when the trigger event has no 订单号', () => {
    const words = reentryWords('zh', { type: 'event', event: 'wechat_reply', key: 'orderId' }, { policy: 'never' }, DECLARED);
    expect(words).toBe('每位顾客只进入一次：以后再次触发也不会再进入');
    const flow: DraftFlow = { id: 'r', name: '回复', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'wechat_reply', key: 'orderId' } }] };
    const preview = publishPreview('zh', { flow, liveVersion: null, changes: null, problems: [], figures: { at: 0, audience: null, inFlight: 0, caps: [], quietHours: {} }, eventFields: DECLARED });
    expect(preview.entry.join('\n')).not.toContain('订单号');
    expect(reentryWords('zh', order, { policy: 'never' }, DECLARED)).toBe('按订单号区分旅程：同一位顾客的每笔订单各走一遍，同一笔订单不会再走第二遍');
  });
});
