import { describe, expect, it } from '@jest/globals';
import { mapRow } from '../../server/src/core/data/import/row-mapper.js';
import { formatFromFileName, readRows } from '../../server/src/core/data/import/row-reader.js';
import { ORDER_PAID, orderEvent } from '../../server/src/core/data/order-events.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A 50k-row CSV produced chunk by chunk: the whole file never exists in memory. */
function* bigCsv(rows: number): Generator<string> {
  yield 'externalId,name,email\n';
  for (let i = 0; i < rows; i += 500) {
    let chunk = '';
    for (let j = i; j < Math.min(rows, i + 500); j++) chunk += `c${j},Name ${j},c${j}@example.com\n`;
    yield chunk;
  }
}

describe('import row reader', () => {
  it('is a lazy async iterator: the first row arrives after reading only the first chunks', async () => {
    let bytes = 0;
    const rows = readRows(bigCsv(50_000), 'csv', { onBytes: (n) => (bytes = n) });
    expect(typeof rows[Symbol.asyncIterator]).toBe('function');
    const first = await rows.next();
    expect(first.value).toEqual({ line: 2, record: { externalId: 'c0', name: 'Name 0', email: 'c0@example.com' } });
    // ~1.8 MB in total; after one row only a few chunks (stream high-water marks) have been pulled.
    expect(bytes).toBeLessThan(200_000);
    let count = 1;
    let errors = 0;
    for await (const r of rows) {
      count++;
      if (r.error !== undefined) errors++;
    }
    expect([count, errors]).toEqual([50_000, 0]);
    expect(bytes).toBeGreaterThan(1_500_000);
  });

  it('gives CSV line numbers, including after a quoted multi-line field, and flags a short row', async () => {
    const csv = 'externalId,name\na,"two\nlines"\nb\n\nc,C\n';
    expect(await collect(readRows([csv], 'csv'))).toEqual([
      { line: 3, record: { externalId: 'a', name: 'two\nlines' } },
      { line: 4, error: 'wrong number of columns: expected 2 as in the header, got 1 (no value for name)' },
      { line: 6, record: { externalId: 'c', name: 'C' } },
    ]);
  });

  it('reads NDJSON line by line, skipping blank lines and naming bad JSON', async () => {
    const rows = await collect(readRows(['{"a":1}\n\n[1]\n{"b"', ':2}\n{oops\n'], 'ndjson'));
    expect(rows).toEqual([
      { line: 1, record: { a: 1 } },
      { line: 3, error: 'expected one JSON object on the line, got a list' },
      { line: 4, record: { b: 2 } },
      { line: 5, error: expect.stringContaining('not valid JSON') },
    ]);
  });

  it('guesses the format from the extension', () => {
    expect(formatFromFileName('a/customers.CSV')).toBe('csv');
    expect(formatFromFileName('events.jsonl')).toBe('ndjson');
    expect(formatFromFileName('orders.ndjson')).toBe('ndjson');
    expect(formatFromFileName('orders.txt')).toBeUndefined();
  });
});

describe('CSV row mapper', () => {
  it('maps customer columns: tags, consent words, attr_ columns, empty cells', () => {
    const r = mapRow('customers', 'csv', { externalId: ' c1 ', email: '', device: 'PC', tags: 'vip| new ', consent_sms: 'YES', consent_email: '0', consent_push: '', attr_level: 'gold', attr_note: '' }, 'Asia/Shanghai');
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ externalId: 'c1', email: null, device: 'pc', tags: ['vip', 'new'], consent: { sms: true, email: false }, attributes: { level: 'gold' } }) });
  });

  it('parses both order item notations and epoch-ms times', () => {
    const base = { externalId: 'o1', customerExternalId: 'c1', status: 'Paid', amount: '10.5', createdAt: '1767225600000', paidAt: '2026-01-01T00:10:00Z', promotion: '' };
    const short = mapRow('orders', 'csv', { ...base, items: 'a:dress:summer:2:5;b:tops' }, 'Asia/Shanghai');
    expect(short).toEqual({
      ok: true,
      value: expect.objectContaining({
        status: 'paid',
        amount: 10.5,
        createdAt: 1767225600000,
        paidAt: Date.parse('2026-01-01T00:10:00Z'),
        promotion: null,
        items: [
          { sku: 'a', category: 'dress', season: 'summer', quantity: 2, price: 5 },
          { sku: 'b', category: 'tops', season: null, quantity: 1 },
        ],
      }),
    });
    const json = mapRow('orders', 'csv', { ...base, items: '[{"sku":"a","category":"dress"}]' }, 'Asia/Shanghai');
    expect(json.ok && json.value.items).toEqual([{ sku: 'a', category: 'dress', quantity: 1 }]);
  });

  it('names every bad field of an order row', () => {
    const r = mapRow('orders', 'csv', { externalId: 'o1', customerExternalId: 'c1', status: 'lost', amount: 'ten', createdAt: 'whenever', paidAt: '', promotion: '', items: 'a:dress:monsoon;justsku' }, 'Asia/Shanghai');
    expect(r.ok).toBe(false);
    const fields = !r.ok ? r.issues.map((i) => i.field).sort() : [];
    expect(fields).toEqual(expect.arrayContaining(['amount', 'createdAt', 'items.0.season', 'items.1', 'status']));
  });
});

describe('order events', () => {
  it('a shipped order stands for order_paid at paidAt, keyed by order id', () => {
    expect(orderEvent({ externalId: 'o9', status: 'shipped', amount: 5, createdAt: 1, paidAt: 2, promotion: 'juhuasuan' }, 99)).toEqual({
      type: ORDER_PAID,
      occurredAt: 2,
      idempotencyKey: 'order:o9:order_paid',
      properties: { orderId: 'o9', amount: 5, status: 'shipped', promotion: 'juhuasuan' },
    });
  });
});
