import { describe, expect, it } from '@jest/globals';
import { parseJsonListInPieces } from '../../server/src/runtime/json-list-pieces.js';

/**
 * The event batch parser thread parses a list in pieces (no string of the whole body). It must
 * never answer a list for a text that is not that list: either exactly JSON.parse's list, or
 * nothing (undefined: the thread then parses the whole text as before).
 */
function whole(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Checked at many piece sizes, so the cuts fall everywhere. */
function expectFaithful(text: string): void {
  const bytes = Buffer.from(text);
  for (const size of [1, 2, 5, 16, 40, 100, 1_000_000]) {
    const list = parseJsonListInPieces(bytes, size);
    if (list !== undefined) {
      expect(Array.isArray(whole(text))).toBe(true);
      expect([text, size, list]).toEqual([text, size, whole(text)]);
    }
  }
}

const event = (i: number, extra: Record<string, unknown> = {}) => ({ type: 'order_created', customerExternalId: `c${i}`, occurredAt: '2026-11-11T12:00:00.000Z', idempotencyKey: `k${i}`, properties: { orderId: `o${i}`, amount: 99, ...extra } });

describe('parseJsonListInPieces', () => {
  it('gives a compact list of events exactly, cut in pieces', () => {
    const items = Array.from({ length: 200 }, (_, i) => event(i));
    const text = JSON.stringify(items);
    expect(parseJsonListInPieces(Buffer.from(text), 300)).toEqual(items);
    expect(parseJsonListInPieces(Buffer.from(' \n\t' + text + ' \n'), 300)).toEqual(items);
    expectFaithful(text);
  });

  it('refuses texts that are not a list, or not JSON, cut or not', () => {
    const one = JSON.stringify(event(1));
    for (const text of [`[${one},]`, `[${one},${one},]`, `[${one},,${one}]`, `[${one}${one}]`, `[${one},${one}`, `[${one},${one}]x`, `[${one},${one}]]`, one, `{"a":[${one},${one}]}`, '', ' ', '[', ']', '[,]', 'null']) {
      expectFaithful(text);
      for (const size of [1, 10, 100]) if (whole(text) === undefined || !Array.isArray(whole(text))) expect(parseJsonListInPieces(Buffer.from(text), size)).toBeUndefined();
    }
    expect(parseJsonListInPieces(Buffer.from('[]'), 1)).toEqual([]);
  });

  it('is not fooled by the cut inside strings or nested lists of objects', () => {
    const tricky = [
      event(1, { note: '},{"type":"x"},' }),
      event(2, { items: [{ type: 'sku', n: 1 }, { type: 'sku', n: 2 }] }),
      { properties: { a: {} }, type: 'x' },
      event(3, { quote: '\\"},{"type":' }),
      [{ type: 1 }, { type: 2 }],
      'text },{"type": text',
      42,
      null,
      event(4),
    ];
    const text = JSON.stringify(tricky);
    expectFaithful(text);
    expectFaithful(JSON.stringify(tricky, null, 2));
    expectFaithful(JSON.stringify([...tricky, ...tricky, ...tricky]));
  });

  it('leaves text that is not ASCII (or starts with a byte order mark) to the whole-text way', () => {
    expect(parseJsonListInPieces(Buffer.from(JSON.stringify([event(1, { 名字: '王' }), event(2)])), 10)).toBeUndefined();
    expect(parseJsonListInPieces(Buffer.from('\ufeff' + JSON.stringify([event(1), event(2)])), 10)).toBeUndefined();
  });

  it('never answers a list JSON.parse does not give, whatever one character of a list is changed to', () => {
    const text = JSON.stringify([event(1), event(2, { items: [{ type: 'a' }, { type: 'b' }] }), event(3)]);
    const chars = ['', ',', '}', '{', ']', '[', '"', '\\', ' ', ':', 'x', '0'];
    for (let i = 0; i < text.length; i++)
      for (const c of chars) {
        const mutated = text.slice(0, i) + c + text.slice(i + 1);
        for (const size of [1, 30, 90]) {
          const list = parseJsonListInPieces(Buffer.from(mutated), size);
          if (list !== undefined) expect([mutated, list]).toEqual([mutated, whole(mutated)]);
        }
      }
  });
});
