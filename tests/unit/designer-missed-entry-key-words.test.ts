/**
 * The designer's customer view says why an order event started no journey when it lacked the
 * trigger's key (reason key-missing, core/engine/trigger-journey-key.ts), in both languages —
 * before, an unknown kind fell through to the segment-or-limit words ("no reason on record").
 */
import { describe, expect, it } from '@jest/globals';
import { missedEntryWords, type MissedEntryView } from '../../designer/src/model/missed-entry-words.js';
import { reasonWords } from '../../designer/src/model/reason-words.js';

const missed: MissedEntryView = {
  flowId: 'payment-reminder',
  eventId: 7,
  event: 'order_created',
  journeyKey: null,
  occurredAt: '2026-12-04T13:00:00.000Z',
  receivedAt: '2026-12-04T13:00:01.000Z',
  reason: { kind: 'key-missing', key: 'orderId', got: 'no orderId in its properties' },
};
const when = () => '21:00';

describe('missed entry: the event lacked the journey key', () => {
  it('names the key and what the feed must send', () => {
    expect(missedEntryWords('en', missed, when)).toMatch(/keyed by orderId and the event has no orderId in its properties; the feed must send orderId in its properties$/);
    expect(missedEntryWords('zh', missed, when)).toMatch(/旅程按「orderId」区分，这个事件没有带这个字段.*请对接方在事件的 properties 里带上 orderId$/);
  });

  it('has words of its own as a refusal reason', () => {
    expect(reasonWords('zh', 'key-missing')).toBe('事件没有带旅程的区分字段（如订单号），不进入');
    expect(reasonWords('en', 'key-missing')).toMatch(/did not carry the journey's key/);
  });
});
