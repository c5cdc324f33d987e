import { describe, expect, it } from '@jest/globals';
import { checkInstantText } from '../../server/src/core/data/input-limits.js';
import { validateInput } from '../../server/src/core/data/import/row-mapper.js';

const at = (text: string, tz: string) => {
  const r = checkInstantText(text, tz);
  return 'ms' in r ? new Date(r.ms).toISOString() : r.error;
};

describe('a time without an offset is wall-clock time in the shop\'s zone, whatever the server\'s', () => {
  it('reads Beijing time as Beijing time: 2026-11-30 10:00:00 is 02:00 UTC; a date alone is midnight there', () => {
    expect(at('2026-11-30 10:00:00', 'Asia/Shanghai')).toBe('2026-11-30T02:00:00.000Z');
    expect(at('2026-11-30T10:00', 'Asia/Shanghai')).toBe('2026-11-30T02:00:00.000Z');
    expect(at('2026-11-30 10:00:00.5', 'Asia/Shanghai')).toBe('2026-11-30T02:00:00.500Z');
    expect(at('2026-11-30', 'Asia/Shanghai')).toBe('2026-11-29T16:00:00.000Z');
    // The evening of Double 11 stays on 11 November in the shop.
    expect(at('2025-11-11 23:59:59', 'Asia/Shanghai')).toBe('2025-11-11T15:59:59.000Z');
  });

  it('keeps Z and explicit offsets as they are (with or without a colon, hours only)', () => {
    for (const tz of ['Asia/Shanghai', 'America/New_York']) {
      expect(at('2026-11-30T10:00:00Z', tz)).toBe('2026-11-30T10:00:00.000Z');
      expect(at('2026-11-30T10:00:00+08:00', tz)).toBe('2026-11-30T02:00:00.000Z');
      expect(at('2026-11-30 10:00:00+0800', tz)).toBe('2026-11-30T02:00:00.000Z');
      expect(at('2026-11-30T10:00:00-05', tz)).toBe('2026-11-30T15:00:00.000Z');
    }
  });

  it('follows the zone\'s own rules (daylight saving in Europe/Berlin)', () => {
    expect(at('2026-01-15 12:00', 'Europe/Berlin')).toBe('2026-01-15T11:00:00.000Z');
    expect(at('2026-07-15 12:00', 'Europe/Berlin')).toBe('2026-07-15T10:00:00.000Z');
  });

  it('still refuses impossible dates and offsets', () => {
    expect(at('2026-02-30 10:00', 'Asia/Shanghai')).toMatch(/^not a date/);
    expect(at('2026-11-30T10:00:00+25:00', 'Asia/Shanghai')).toMatch(/^not a time zone offset/);
  });

  it('orders and events (import rows and REST bodies) use the zone they are given', () => {
    const order = validateInput('orders', { externalId: 'o1', customerExternalId: 'c1', status: 'paid', amount: 1, createdAt: '2025-11-11 21:30', paidAt: '2025-11-11 21:31' }, 'Asia/Shanghai');
    expect(order.ok && [order.value.createdAt, order.value.paidAt]).toEqual([Date.parse('2025-11-11T13:30:00Z'), Date.parse('2025-11-11T13:31:00Z')]);
    const event = validateInput('events', { type: 'visit', customerExternalId: 'c1', occurredAt: '2026-11-30 10:00', idempotencyKey: 'k' }, 'Asia/Shanghai');
    expect(event.ok && event.value.occurredAt).toBe(Date.parse('2026-11-30T02:00:00Z'));
  });
});
