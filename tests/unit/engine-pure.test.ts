import { describe, expect, it } from '@jest/globals';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import { mayEnter } from '../../server/src/core/engine/entry-policy.js';
import { eventMatches } from '../../server/src/core/engine/event-match.js';
import { waitUntil } from '../../server/src/core/engine/executors/wait.executor.js';
import { nextLocalTime } from '../../server/src/core/engine/local-time.js';
import { nextEntryRun } from '../../server/src/core/engine/schedule.js';
import { bucket, pickArm } from '../../server/src/core/engine/split-assignment.js';
import { renderTemplate } from '../../server/src/core/engine/template.js';
import { WaitNodeSchema, TriggerSchema } from '../../server/src/core/flow/schema.js';

const SH = 'Asia/Shanghai';
const iso = (ms: number) => new Date(ms).toISOString();

describe('waits in the shop time zone', () => {
  it('waits until the next 09:00 Shanghai time, never the same instant', () => {
    expect(iso(nextLocalTime(Date.parse('2026-11-20T08:30:00+08:00'), '09:00', SH))).toBe('2026-11-20T01:00:00.000Z');
    expect(iso(nextLocalTime(Date.parse('2026-11-20T09:00:00+08:00'), '09:00', SH))).toBe('2026-11-21T01:00:00.000Z');
    expect(iso(nextLocalTime(Date.parse('2026-11-20T23:59:00+08:00'), '00:00', SH))).toBe('2026-11-20T16:00:00.000Z');
  });

  it('follows daylight saving time where the shop has it', () => {
    // New York switches to EDT on 2026-03-08: 09:00 local is 14:00Z before and 13:00Z after.
    expect(iso(nextLocalTime(Date.parse('2026-03-07T12:00:00Z'), '09:00', 'America/New_York'))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(nextLocalTime(Date.parse('2026-03-08T12:00:00Z'), '09:00', 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
  });

  it('computes a wait by duration, time of day or date from when the node was entered', () => {
    const since = Date.parse('2026-11-20T10:00:00+08:00');
    const node = (x: Record<string, string>) => WaitNodeSchema.parse({ id: 'w', type: 'wait', next: 'n', ...x });
    expect(waitUntil(node({ duration: '1d12h' }), since, SH) - since).toBe(1.5 * MS_PER_DAY);
    expect(iso(waitUntil(node({ untilTime: '09:00' }), since, SH))).toBe('2026-11-21T01:00:00.000Z');
    expect(iso(waitUntil(node({ untilDate: '2026-11-11T00:00:00+08:00' }), since, SH))).toBe('2026-11-10T16:00:00.000Z');
  });
});

describe('schedules', () => {
  const daily = TriggerSchema.parse({ type: 'schedule', segment: 's', every: 'day', at: '09:00' });
  it('runs a daily entry at the next 09:00 after the last run (or after publishing)', () => {
    const published = Date.parse('2026-11-20T10:00:00+08:00');
    expect(iso(nextEntryRun(daily, null, published, SH)!)).toBe('2026-11-21T01:00:00.000Z');
    expect(iso(nextEntryRun(daily, Date.parse('2026-11-21T01:00:00Z'), published, SH)!)).toBe('2026-11-22T01:00:00.000Z');
  });
  it('runs a one-off audience once', () => {
    const audience = TriggerSchema.parse({ type: 'audience', segment: 's', startAt: '2026-11-01T09:00:00+08:00' });
    expect(nextEntryRun(audience, null, 0, SH)).toBe(Date.parse('2026-11-01T09:00:00+08:00'));
    expect(nextEntryRun(audience, Date.parse('2026-11-01T01:00:00Z'), 0, SH)).toBeNull();
  });
});

describe('re-entry policies', () => {
  const now = 100 * MS_PER_DAY;
  const past = [{ journeyKey: '', enteredAt: now - 10 * MS_PER_DAY, active: false }];
  it('never: once in, never again', () => {
    expect(mayEnter({ policy: 'never' }, [], '', now).ok).toBe(true);
    expect(mayEnter({ policy: 'never' }, past, '', now)).toEqual({ ok: false, reason: 'reentry-never' });
  });
  it('after N days: again only once N days have passed since the last entry', () => {
    expect(mayEnter({ policy: 'after', days: 30 }, past, '', now).ok).toBe(false);
    expect(mayEnter({ policy: 'after', days: 7 }, past, '', now).ok).toBe(true);
  });
  it('always: but never a second running journey with the same key; other keys run side by side', () => {
    const running = [{ journeyKey: 'o1', enteredAt: now - 1, active: true }];
    expect(mayEnter({ policy: 'always' }, running, 'o1', now)).toEqual({ ok: false, reason: 'already-in-journey' });
    expect(mayEnter({ policy: 'always' }, running, 'o2', now).ok).toBe(true);
    expect(mayEnter({ policy: 'never' }, running, 'o2', now).ok).toBe(true);
  });
});

describe('split assignment', () => {
  const arms = [{ id: 'a', weight: 45 }, { id: 'b', weight: 45 }, { id: 'holdout', weight: 10 }];
  it('is a stable function of salt and customer (never Math.random)', () => {
    expect(pickArm(arms, 'flow/ab', '42').id).toBe(pickArm(arms, 'flow/ab', '42').id);
    expect(bucket('flow/ab', '42')).toBe(bucket('flow/ab', '42'));
    expect(bucket('flow/ab', '42')).not.toBe(bucket('other-salt', '42'));
  });
  it('fills arms in proportion to their weights', () => {
    const counts: Record<string, number> = { a: 0, b: 0, holdout: 0 };
    for (let i = 0; i < 20000; i++) counts[pickArm(arms, 'flow/ab', String(i)).id]++;
    expect(counts.a / 20000).toBeCloseTo(0.45, 1);
    expect(counts.b / 20000).toBeCloseTo(0.45, 1);
    expect(counts.holdout / 20000).toBeCloseTo(0.1, 1);
  });
});

describe('message templates', () => {
  it('fills customer variables by plain property lookup', () => {
    expect(renderTemplate('{{customer.name}}，满{{facts.aov}}减20 {{link}}', { customer: { name: '王芳' }, facts: { aov: 199.5 }, link: '/r/abc' })).toBe('王芳，满199.50减20 /r/abc');
  });
  it('never evaluates expressions: unknown paths, prototype tricks and code render as nothing', () => {
    const vars = { customer: { name: 'x' } };
    expect(renderTemplate('[{{customer.constructor}}][{{customer.__proto__}}][{{ process.exit }}][{{customer.name.length}}]', vars)).toBe('[][][][]');
    expect(renderTemplate('{{ customer.name + 1 }}', vars)).toBe('{{ customer.name + 1 }}');
  });
});

describe('matching events to a journey', () => {
  const ev = { id: 1, customerId: 1, type: 'order_paid', properties: { orderId: 'o1', amount: 10 }, occurredAt: 0 };
  it('compares properties, with $key standing for the journey key', () => {
    expect(eventMatches(ev, { orderId: '$key' }, 'o1')).toBe(true);
    expect(eventMatches(ev, { orderId: '$key' }, 'o2')).toBe(false);
    expect(eventMatches(ev, { amount: 10 }, '')).toBe(true);
    expect(eventMatches(ev, { coupon: 'x' }, '')).toBe(false);
    expect(eventMatches(ev, undefined, 'anything')).toBe(true);
  });
});
