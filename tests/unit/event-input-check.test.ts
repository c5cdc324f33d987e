import { describe, expect, it } from '@jest/globals';
import { acceptEventInput } from '../../server/src/core/data/event-input-check.js';
import { inputSchemas } from '../../server/src/core/data/model.js';

const TZ = 'Asia/Shanghai';
const EventInputSchema = inputSchemas(TZ).events;

const base = { type: 'order_created', customerExternalId: 'c00042', occurredAt: '2026-11-11T10:00:00+08:00', idempotencyKey: 'o-1:created', properties: { orderId: 'o-1', amount: 99 } };
const big = 'x'.repeat(70 * 1024);

/** Inputs around every check of EventInputSchema: ordinary events, and each way one can be off. */
const CASES: Record<string, unknown> = {
  ordinary: base,
  'epoch milliseconds': { ...base, occurredAt: Date.UTC(2026, 10, 11) },
  'no properties': { ...base, properties: undefined },
  'nested properties': { ...base, properties: { a: { b: [1, 2, { c: null }] }, s: 'é' } },
  'unknown keys': { ...base, extra: 1, channel: 'web' },
  'padded ids': { ...base, customerExternalId: '  c1 ', type: ' visit ', idempotencyKey: '\tk-1 ' },
  'date only': { ...base, occurredAt: '2026-11-11' },
  'space separated': { ...base, occurredAt: '2026-11-11 10:00:00' },
  'fractional seconds': { ...base, occurredAt: '2026-11-11T10:00:00.123456Z' },
  'lower-case t and z': { ...base, occurredAt: '2026-11-11t10:00:00z' },
  'offset without colon': { ...base, occurredAt: '2026-11-11T10:00:00+0800' },
  'offset hours only': { ...base, occurredAt: '2026-11-11T10:00:00-05' },
  'offset of 24 hours': { ...base, occurredAt: '2026-11-11T10:00:00+24:00' },
  'impossible date': { ...base, occurredAt: '2026-02-30T10:00:00Z' },
  'hour 24': { ...base, occurredAt: '2026-02-03T24:00:00Z' },
  'not a date': { ...base, occurredAt: 'yesterday' },
  'before 1990': { ...base, occurredAt: '1989-12-31T23:59:59Z' },
  'year 2100': { ...base, occurredAt: Date.UTC(2100, 0, 1) },
  'infinite time': { ...base, occurredAt: Infinity },
  'NaN time': { ...base, occurredAt: NaN },
  'boolean time': { ...base, occurredAt: true },
  'missing time': { ...base, occurredAt: undefined },
  'empty id': { ...base, customerExternalId: '   ' },
  'id of 128': { ...base, customerExternalId: 'c'.repeat(128) },
  'id of 129': { ...base, customerExternalId: 'c'.repeat(129) },
  'type of 64': { ...base, type: 't'.repeat(64) },
  'type of 65': { ...base, type: 't'.repeat(65) },
  'key of 200': { ...base, idempotencyKey: 'k'.repeat(200) },
  'key of 201': { ...base, idempotencyKey: 'k'.repeat(201) },
  'control character': { ...base, idempotencyKey: 'k\u0000' },
  'line separator': { ...base, customerExternalId: 'c\u2028' },
  'number id': { ...base, customerExternalId: 42 },
  'null properties': { ...base, properties: null },
  'array properties': { ...base, properties: [1] },
  'string properties': { ...base, properties: 'x' },
  'properties over 64 KB': { ...base, properties: { big } },
  '__proto__ property': { ...base, properties: JSON.parse('{"__proto__": {"polluted": 1}}') },
  'an array': [base],
  null: null,
  'a string': 'order_created',
  'an object with a prototype': Object.assign(Object.create({ inherited: 1 }), base),
};

describe('acceptEventInput: the hand-written EventInputSchema', () => {
  it.each(Object.entries(CASES))('accepts only what zod accepts, with the same value: %s', (_name, raw) => {
    const fast = acceptEventInput(raw, TZ);
    const zod = EventInputSchema.safeParse(raw);
    if (fast !== undefined) {
      expect(zod.success).toBe(true);
      expect(fast).toEqual(zod.data);
    }
  });

  it('accepts the ordinary shapes itself (so posted events skip zod)', () => {
    for (const name of ['ordinary', 'epoch milliseconds', 'no properties', 'nested properties', 'unknown keys', 'padded ids', 'date only', 'space separated', 'fractional seconds', 'id of 128', 'type of 64', 'key of 200']) {
      expect({ name, accepted: acceptEventInput(CASES[name], TZ) !== undefined }).toEqual({ name, accepted: true });
    }
    expect(acceptEventInput({ ...base, extra: 1 }, TZ)).toEqual({ type: 'order_created', customerExternalId: 'c00042', occurredAt: Date.parse('2026-11-11T10:00:00+08:00'), idempotencyKey: 'o-1:created', properties: { orderId: 'o-1', amount: 99 } });
  });

  it('leaves every refusal to zod (which names the field)', () => {
    for (const [name, raw] of Object.entries(CASES)) if (!EventInputSchema.safeParse(raw).success) expect({ name, accepted: acceptEventInput(raw, TZ) }).toEqual({ name, accepted: undefined });
  });
});
