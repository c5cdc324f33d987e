import { describe, expect, it } from '@jest/globals';
import { describeMissedEntry, missedEntries, type CustomerEventSeen, type PublishedVersion } from '../../server/src/core/engine/missed-entries.js';
import type { Flow } from '../../server/src/core/flow/schema.js';

const H = 3_600_000;
const T = Date.parse('2026-11-20T00:00:00Z');
const flow = (trigger: Record<string, unknown>, reentry: Record<string, unknown> = { policy: 'always' }): Flow =>
  ({ id: 'remind', name: 'r', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId', ...trigger }, reentry, next: 'end' }, { id: 'end', type: 'exit' }] }) as unknown as Flow;
const v = (f: Flow, at = T): PublishedVersion => ({ flowId: 'remind', version: 1, publishedAt: at, flow: f });
const ev = (id: number, at: number, extra: Partial<CustomerEventSeen> = {}): CustomerEventSeen => ({ id, type: 'order_created', properties: { orderId: `o${id}` }, occurredAt: at, receivedAt: at, pending: false, ...extra });
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe('why an event started no journey', () => {
  it('names the pause that covered the event: who paused, until when and who resumed; a publish while paused keeps it paused', () => {
    const history = new Map([
      ['remind', [
        { at: T, status: 'active' as const, actor: 'ann' },
        { at: T + H, status: 'paused' as const, actor: 'bob' },
        { at: T + 2 * H, status: 'paused' as const, actor: 'ann' },
        { at: T + 4 * H, status: 'active' as const, actor: 'cy' },
      ]],
    ]);
    const [m] = missedEntries({ versions: [v(flow({}))], history, events: [ev(1, T + 3 * H)], enrollments: [] });
    expect(m.reason).toEqual({ kind: 'paused', since: T + H, by: 'bob', until: T + 4 * H, untilBy: 'cy', untilStatus: 'active' });
    expect(describeMissedEntry(m, iso)).toBe(
      'no remind journey started for order_created o1 (arrived 2026-11-20T03:00): the flow was paused when it arrived (paused by bob at 2026-11-20T01:00 until 2026-11-20T04:00 (resumed by cy)); a paused flow lets nobody in and does not catch up later',
    );
  });

  it('a flow still stopped says so; an event before the first version says the flow was not published yet', () => {
    const history = new Map([['remind', [{ at: T + H, status: 'stopped' as const, actor: 'bob' }]]]);
    const out = missedEntries({ versions: [v(flow({}))], history, events: [ev(1, T - H), ev(2, T + 2 * H)], enrollments: [] });
    expect(out.map((m) => m.reason.kind)).toEqual(['stopped', 'not-published']);
    expect(describeMissedEntry(out[0], iso)).toContain('the flow was stopped when it arrived (stopped by bob at 2026-11-20T01:00, still stopped now)');
    expect(describeMissedEntry(out[1], iso)).toContain('the flow was not published yet (first published 2026-11-20T00:00)');
  });

  it('an event older than maxAge when it arrived, a journey already running for the key, re-entry "never"', () => {
    const old = missedEntries({ versions: [v(flow({ maxAge: '24h' }))], history: new Map(), events: [ev(1, T, { occurredAt: T - 48 * H, receivedAt: T + H })], enrollments: [] });
    expect(old[0].reason).toEqual({ kind: 'event-too-old', maxAge: '24h' });
    const running = { flowId: 'remind', journeyKey: 'o1', enteredAt: T + H, status: 'exited', updatedAt: T + 5 * H, entryKey: 'event-9' };
    const dup = missedEntries({ versions: [v(flow({}))], history: new Map(), events: [ev(1, T + 2 * H), ev(9, T + H, { properties: { orderId: 'o1' } })], enrollments: [running] });
    expect(dup.map((m) => [m.eventId, m.reason])).toEqual([[1, { kind: 'already-in-journey', enteredAt: T + H }]]);
    const never = missedEntries({ versions: [v(flow({ key: undefined }, { policy: 'never' }))], history: new Map(), events: [ev(2, T + 8 * H)], enrollments: [{ ...running, journeyKey: '' }] });
    expect(never[0].reason).toEqual({ kind: 'reentry-never', enteredAt: T + H });
  });

  it('judges by when the engine acted on the event, not when it arrived, and says both times', () => {
    const history = new Map([['remind', [{ at: T + H, status: 'paused' as const, actor: 'bob' }, { at: T + 3 * H, status: 'active' as const, actor: 'cy' }]]]);
    // Arrived before the first publish, acted on after it while paused: the pause applied, not "not published".
    const [paused] = missedEntries({ versions: [v(flow({}))], history, events: [ev(1, T - H, { actedOnAt: T + 2 * H })], enrollments: [] });
    expect(paused).toMatchObject({ actedOnAt: T + 2 * H, reason: { kind: 'paused', since: T + H, by: 'bob', until: T + 3 * H } });
    expect(describeMissedEntry(paused, iso)).toBe(
      'no remind journey started for order_created o1 (arrived 2026-11-19T23:00, acted on by the engine 2026-11-20T02:00): the flow was paused when the engine acted on it (paused by bob at 2026-11-20T01:00 until 2026-11-20T03:00 (resumed by cy)); a paused flow lets nobody in and does not catch up later',
    );
    // Arrived during the pause, acted on after it: the trigger's maxAge had passed by then.
    const [old] = missedEntries({ versions: [v(flow({ maxAge: '24h' }))], history, events: [ev(2, T + 2 * H, { actedOnAt: T + 27 * H })], enrollments: [] });
    expect(old.reason).toEqual({ kind: 'event-too-old', maxAge: '24h' });
    expect(describeMissedEntry(old, iso)).toContain("older than the trigger's maxAge 24h when the engine acted on it");
    // Acted on in the minute it arrived: the words stay as they were.
    const [same] = missedEntries({ versions: [v(flow({}))], history, events: [ev(3, T + 2 * H, { actedOnAt: T + 2 * H + 1000 })], enrollments: [] });
    expect(describeMissedEntry(same, iso)).toContain('(arrived 2026-11-20T02:00): the flow was paused when it arrived');
  });

  it('what is left is the segment filter, said as checked then and not logged; a pending event is not acted on yet; other events are not listed', () => {
    const [seg] = missedEntries({ versions: [v(flow({ segment: 'vip' }))], history: new Map(), events: [ev(1, T + H)], enrollments: [] });
    expect(describeMissedEntry(seg, iso)).toContain('the trigger\'s segment filter "vip" did not admit the customer then (checked when the event arrived; not logged per customer)');
    const [p] = missedEntries({ versions: [v(flow({}))], history: new Map(), events: [ev(1, T + H, { pending: true })], enrollments: [] });
    expect(p.reason.kind).toBe('pending');
    expect(missedEntries({ versions: [v(flow({ match: { channel: 'app' } }))], history: new Map(), events: [ev(1, T + H), { ...ev(2, T + H), type: 'order_paid' }], enrollments: [] })).toEqual([]);
  });
});

describe('the designer says why a journey did not start, in Chinese for marketers', () => {
  it('names who paused the journey, when, and who resumed it', async () => {
    const { missedEntryWords } = await import('../../designer/src/model/missed-entry-words.js');
    const m = {
      flowId: 'payment-reminder',
      eventId: 7,
      event: 'order_created',
      journeyKey: 'o-9',
      occurredAt: '2026-11-20T06:30:00.000Z',
      receivedAt: '2026-11-20T06:30:00.000Z',
      reason: { kind: 'paused', since: '2026-11-20T06:00:00.000Z', by: 'marketer', until: '2026-11-20T07:00:00.000Z', untilBy: 'admin', untilStatus: 'active' },
    };
    const when = (s: string | null | undefined) => String(s).slice(11, 16);
    expect(missedEntryWords('zh', m, when)).toBe('下单 #o-9（06:30 到达）：当时旅程已暂停（marketer 于 06:00 暂停，admin 于 07:00 继续运行），没有进入；暂停期间到达的事件之后不会补上');
    expect(missedEntryWords('zh', { ...m, reason: { kind: 'event-too-old', maxAge: '24h' } }, when)).toBe('下单 #o-9（06:30 到达）：事件发生于 06:30，到达时已超过入口的事件有效期（1 天），没有进入');
    // The shop's own words (order id, account, segment) come as marked parts, not interface text.
    const { missedEntryParts } = await import('../../designer/src/model/missed-entry-words.js');
    const own = (s: string) => ({ own: s });
    expect(missedEntryParts('zh', m, when, own).filter((p) => typeof p !== 'string')).toEqual([own('o-9'), own('marketer'), own('admin')]);
    expect(missedEntryParts('zh', { ...m, reason: { kind: 'segment-or-limit', segment: 'vip', limited: true } }, when, own)).toEqual(['下单 #', own('o-9'), '（06:30 到达）：顾客当时不在入口人群「', own('vip'), '」中，或入口分组人数已满（事件到达时检查，未逐人记录）']);
  });

  it('says when the engine acted on an event it took up later than it arrived, and judges by then', async () => {
    const { missedEntryWords } = await import('../../designer/src/model/missed-entry-words.js');
    const m = {
      flowId: 'payment-reminder',
      eventId: 7,
      event: 'order_created',
      journeyKey: 'o-9',
      occurredAt: '2026-11-20T05:50:00.000Z',
      receivedAt: '2026-11-20T05:50:00.000Z',
      actedOnAt: '2026-11-20T06:30:00.000Z',
      reason: { kind: 'paused', since: '2026-11-20T06:00:00.000Z', by: 'marketer', until: '2026-11-20T07:00:00.000Z', untilBy: 'admin', untilStatus: 'active' },
    };
    const when = (s: string | null | undefined) => String(s).slice(11, 16);
    expect(missedEntryWords('zh', m, when)).toBe('下单 #o-9（05:50 到达，06:30 由引擎处理）：当时旅程已暂停（marketer 于 06:00 暂停，admin 于 07:00 继续运行），没有进入；暂停期间到达的事件之后不会补上');
    expect(missedEntryWords('en', { ...m, reason: { kind: 'event-too-old', maxAge: '24h' } }, when)).toBe('order placed #o-9 (arrived 05:50, acted on by the engine 06:30): it happened 05:50, older than the entry\'s 1 day limit');
    expect(missedEntryWords('zh', { ...m, reason: { kind: 'event-too-old', maxAge: '24h' } }, when)).toContain('引擎处理时已超过入口的事件有效期');
  });
});
