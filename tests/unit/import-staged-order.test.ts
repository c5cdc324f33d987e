import { describe, expect, it } from '@jest/globals';
import { stageOrder } from '../../server/src/core/data/import/staged-order.js';
import { dayFacts } from '../../server/src/core/facts/season.js';
import { sanitizeListValue } from '../../server/src/core/facts/list-value.js';
import { orderEvent, orderEventProperties, orderEventPropertiesJson } from '../../server/src/core/data/order-events.js';
import { ORDER_STATUSES, PURCHASE_STATUSES, SEASONS, type OrderInput, type OrderItem } from '../../server/src/core/data/model.js';
import { mulberry32 } from '../../bench/support/mulberry32.js';

/**
 * An import's parser thread stages every order (staged-order.ts) with the event's time and
 * properties text written out and the list values joined as they are built. What it stores must
 * stay exactly what the plain composition gives: `orderEvent`, `JSON.stringify` of the event's
 * properties, `sanitizeListValue` of each value, joined by '|' (the staged values before they were
 * written out, kept here as the reference).
 */

const joined = (values: string[]): string | null => (values.length === 0 ? null : values.join('|'));

function referenceStage(o: OrderInput, timezone: string) {
  const paidAt = o.paidAt ?? null;
  const promotion = o.promotion ?? null;
  const ev = orderEvent({ externalId: o.externalId, status: o.status, amount: o.amount, createdAt: o.createdAt, paidAt, promotion }, Number.NaN);
  const eventAt = Number.isNaN(ev.occurredAt) ? null : ev.occurredAt;
  let kind = 0;
  let factAt: number | null = null;
  let categories: string | null = null;
  let categorySeasons: string | null = null;
  let d11Year: string | null = null;
  if (PURCHASE_STATUSES.has(o.status)) {
    kind = 2;
    factAt = paidAt ?? o.createdAt;
    const season = dayFacts(factAt, timezone).seasonKey;
    categories = joined(o.items.map((i) => sanitizeListValue(i.category)));
    categorySeasons = joined(o.items.map((i) => sanitizeListValue(`${i.category}@${season}`)));
    const created = dayFacts(o.createdAt, timezone);
    if (promotion === 'double11' || created.double11) d11Year = sanitizeListValue(created.year);
  } else if (o.status === 'created') {
    kind = 1;
    factAt = o.createdAt;
  }
  return [JSON.stringify(o.items), eventAt, JSON.stringify(ev.properties), kind, factAt, categories, categorySeasons, d11Year];
}

const ODD_TEXTS = ['o-1', 'a"b', 'back\\slash', '订单-双十一', 'pipe|in|it', '😀 non-BMP', '\u2028line sep', 'tab\there', "it's", '/'];
const AMOUNTS = [0, 0.1, 0.3, 1, 12.5, 99.99, 1e21, 123456789.12, 5e-7, Number.MAX_SAFE_INTEGER];

describe('staged order values written out', () => {
  it('stages every status, odd ids, amounts, promotions and item categories exactly as the plain composition', () => {
    const rnd = mulberry32(27);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const base = Date.parse('2023-01-01T00:00:00Z');
    for (let n = 0; n < 3000; n++) {
      const createdAt = base + Math.floor(rnd() * 900 * 86_400_000);
      const status = pick(ORDER_STATUSES);
      const items: OrderItem[] = [];
      for (let k = Math.floor(rnd() * 4); k > 0; k--) items.push({ sku: pick(ODD_TEXTS), category: pick(['dress', 'a|b', '童装', '||', 'x"y']), season: rnd() < 0.5 ? null : pick(SEASONS), quantity: 1 + Math.floor(rnd() * 3), price: rnd() < 0.3 ? undefined : pick(AMOUNTS) });
      const o: OrderInput = {
        externalId: pick(ODD_TEXTS) + n,
        customerExternalId: 'c' + n,
        status,
        amount: pick(AMOUNTS),
        createdAt,
        paidAt: rnd() < 0.2 ? null : rnd() < 0.5 ? undefined : createdAt + Math.floor(rnd() * 86_400_000),
        promotion: rnd() < 0.3 ? 'double11' : rnd() < 0.5 ? null : rnd() < 0.5 ? undefined : pick(ODD_TEXTS),
        coupon: null,
        items,
      };
      for (const tz of ['Asia/Shanghai', 'America/New_York']) expect(stageOrder(o, tz)).toEqual(referenceStage(o, tz));
    }
  });

  it('writes an order event properties text equal to JSON.stringify of the properties', () => {
    for (const externalId of ODD_TEXTS)
      for (const amount of [...AMOUNTS, -0, Number.NaN, Number.POSITIVE_INFINITY])
        for (const promotion of [null, 'double11', ...ODD_TEXTS]) {
          const o = { externalId, amount, status: 'paid', promotion };
          expect(orderEventPropertiesJson(o)).toBe(JSON.stringify(orderEventProperties(o)));
        }
    // Values outside the type (a caller in plain JS): still the generic text.
    const odd = { externalId: undefined, amount: '12', status: 'paid', promotion: undefined } as unknown as Parameters<typeof orderEventPropertiesJson>[0];
    expect(orderEventPropertiesJson(odd)).toBe(JSON.stringify(orderEventProperties(odd)));
  });

  it('sanitizes a list value with separators and leaves one without as it is', () => {
    expect(sanitizeListValue('a|b||c')).toBe('a/b//c');
    expect(sanitizeListValue('dress')).toBe('dress');
    expect(sanitizeListValue('')).toBe('');
  });
});
