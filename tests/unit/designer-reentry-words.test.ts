import { describe, expect, it } from '@jest/globals';
import { mayEnter } from '../../server/src/core/engine/entry-policy.js';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import { newNode } from '../../designer/src/model/palette.js';
import { publishPreview } from '../../designer/src/model/publish-preview.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

const NOW = Date.parse('2026-11-20T10:00:00+08:00');
const figures = { at: NOW, audience: { segment: 'pre-sleep', count: 12 }, inFlight: 0, caps: [], quietHours: {} };
const entryLines = (trigger: Record<string, unknown>, reentry?: Record<string, unknown>) => {
  const flow: DraftFlow = { id: 'x', name: 'x', nodes: [{ id: 'start', type: 'entry', trigger, ...(reentry ? { reentry } : {}), next: 'end' }, { id: 'end', type: 'exit' }] };
  return publishPreview('zh', { flow, liveVersion: null, changes: null, problems: [], figures }).entry;
};
const byOrder = { type: 'event', event: 'order_created', key: 'orderId' };
const keyless = { type: 'event', event: 'order_created' };
/** The engine's verdict for a customer who went through order A 10 days ago (journey over). */
const engine = (reentry: { policy: 'never' | 'after' | 'always'; days?: number }, journeyKey: string, pastKey: string) =>
  mayEnter(reentry, [{ journeyKey: pastKey, enteredAt: NOW - 10 * MS_PER_DAY, active: false }], journeyKey, NOW).ok;

describe('the publish dialog says what the engine does for each re-entry setting', () => {
  it('keyed by order, never (and absent: the default): each order once, another order of the same customer enters', () => {
    expect(engine({ policy: 'never' }, 'B', 'A')).toBe(true);
    expect(engine({ policy: 'never' }, 'A', 'A')).toBe(false);
    const words = '按订单号区分旅程：同一位顾客的每笔订单各走一遍，同一笔订单不会再走第二遍';
    expect(entryLines(byOrder, { policy: 'never' })).toEqual(['从现在起，每个下单的顾客进入旅程', words]);
    expect(entryLines(byOrder)).toEqual(['从现在起，每个下单的顾客进入旅程', words]);
  });

  it('keyed by order, always / after N days: the same order may go through again, which "each order once" would hide', () => {
    expect(engine({ policy: 'always' }, 'A', 'A')).toBe(true);
    expect(engine({ policy: 'after', days: 7 }, 'A', 'A')).toBe(true);
    expect(engine({ policy: 'after', days: 30 }, 'A', 'A')).toBe(false);
    expect(entryLines(byOrder, { policy: 'always' })[1]).toBe('按订单号区分旅程：同一位顾客的每笔订单各走一遍；同一笔订单的旅程结束后再次触发，会再走一遍（同时只走一段）');
    expect(entryLines(byOrder, { policy: 'after', days: 30 })[1]).toBe('按订单号区分旅程：同一位顾客的每笔订单各走一遍；同一笔订单距上次进入满 30 天后再次触发，会再走一遍');
  });

  it('not keyed, never: the customer enters once in all, a later order too is refused (said, not "each order")', () => {
    expect(engine({ policy: 'never' }, '', '')).toBe(false);
    const lines = entryLines(keyless, { policy: 'never' });
    expect(lines).toEqual(['从现在起，每个下单的顾客进入旅程', '每位顾客只进入一次：以后再次触发也不会再进入']);
    expect(lines.join('')).not.toContain('每笔订单');
    expect(entryLines(keyless, { policy: 'after', days: 7 })[1]).toBe('每位顾客距上次进入满 7 天后才能再次进入');
    expect(entryLines(keyless, { policy: 'always' })[1]).toBe('每次触发都可以再次进入（还在旅程中的顾客除外）');
  });

  it('a schedule says it per drawing; a one-off audience says nothing of re-entry', () => {
    expect(entryLines({ type: 'schedule', segment: 'pre-sleep', every: 'day', at: '09:00' }, { policy: 'after', days: 60 })).toEqual(['每天 09:00（店铺时间）圈选一次：符合人群「pre-sleep」的顾客进入', '人群「pre-sleep」现在有 12 位顾客', '每位顾客距上次进入满 60 天后才能再次进入']);
    expect(entryLines({ type: 'schedule', segment: 'pre-sleep' }, { policy: 'never' })[2]).toBe('每位顾客只进入一次：以后再次符合人群也不会再进入');
    expect(entryLines({ type: 'audience', segment: 'pre-sleep', startAt: '2026-11-25T09:00:00+08:00' }, { policy: 'never' })).toHaveLength(2);
  });

  it('a new entry step from the palette is keyed by order number: an order journey (a payment reminder) runs once per order, not once per customer', () => {
    const entry = newNode({ id: 'n', name: 'n', nodes: [] }, 'entry');
    expect(entry.trigger).toEqual({ type: 'event', event: 'order_created', key: 'orderId' });
    expect(entry.reentry).toEqual({ policy: 'never' });
    expect(entryLines(entry.trigger as Record<string, unknown>, entry.reentry as Record<string, unknown>)[1]).toBe('按订单号区分旅程：同一位顾客的每笔订单各走一遍，同一笔订单不会再走第二遍');
  });
});
