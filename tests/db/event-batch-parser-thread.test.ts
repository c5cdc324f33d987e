import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parseEventBatch } from '../../server/src/core/data/event-batch.js';
import { validateInput } from '../../server/src/core/data/import/row-mapper.js';
import { threadEventBatchParser, type EventBatchParser } from '../../server/src/runtime/event-batch-parser.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Lists of events posted to /api/events are parsed and validated in a thread of their own (issue 9:
 * the request thread limited batch intake). The thread must be invisible: for every item the
 * verdict validateInput gives (the value, or the issues naming the item's index and field), and
 * for any body that is not a list of at most `max` items no verdict at all (null), so the request
 * thread answers it as before.
 */
// Worker threads run compiled JavaScript: the thread's entry from dist/ (npm test builds it first).
const ENTRY = new URL('../../dist/server/src/runtime/event-batch-parse-thread.js', import.meta.url);
const TZ = 'Asia/Shanghai';
let parser: EventBatchParser | null = null;
const thread = () => {
  parser ??= threadEventBatchParser(ENTRY);
  if (!parser) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` first');
  return parser;
};
afterAll(async () => {
  await parser?.close();
});

const ITEMS: unknown[] = [
  { type: 'order_created', customerExternalId: 'c1', occurredAt: '2026-11-11T12:00:00+08:00', idempotencyKey: 'k1', properties: { orderId: 'o1', amount: 99, 名字: '王' } },
  { type: ' visit ', customerExternalId: 'c2', occurredAt: '2026-11-11 12:00:00', idempotencyKey: 'k2' },
  { type: 'visit', customerExternalId: 'c3', occurredAt: 1_763_000_000_000, idempotencyKey: 'k3', properties: { nested: { b: 1, a: [1, 2] } } },
  { type: 'visit', customerExternalId: 'c4', occurredAt: '2026-02-30T00:00:00Z', idempotencyKey: 'k4' },
  { type: 'visit', customerExternalId: '', occurredAt: 'yesterday', idempotencyKey: 'k5' },
  { type: 'visit', customerExternalId: 'c6', occurredAt: '2026-11-11T00:00:00Z', idempotencyKey: 'k6', properties: [1] },
  { type: 'visit', customerExternalId: 'c7', occurredAt: '2026-11-11T00:00:00Z', idempotencyKey: 'k7', properties: { big: 'x'.repeat(70_000) } },
  'not an event',
  null,
  { type: 'visit', customerExternalId: 'c\u0001', occurredAt: '2026-11-11T00:00:00Z', idempotencyKey: 'k9' },
];

/** What EventsService.ingest makes of the same items, one by one, in the columns' shape. */
function inProcess(items: unknown[]) {
  const out = { index: [] as number[], customerExternalId: [] as string[], type: [] as string[], occurredAt: [] as number[], idempotencyKey: [] as string[], properties: [] as unknown[], rejected: [] as unknown[] };
  items.forEach((item, i) => {
    const r = validateInput('events', item, TZ);
    if (!r.ok) return out.rejected.push(...r.issues.map((x) => ({ index: i, ...x })));
    out.index.push(i);
    out.customerExternalId.push(r.value.customerExternalId);
    out.type.push(r.value.type);
    out.occurredAt.push(r.value.occurredAt);
    out.idempotencyKey.push(r.value.idempotencyKey);
    out.properties.push(r.value.properties);
  });
  return out;
}

describe('event batch parser thread', () => {
  it('gives each item the verdict validateInput gives, with its properties as the JSON text to store', async () => {
    const body = Buffer.from(' \n' + JSON.stringify(ITEMS));
    const columns = await thread().parse(body, TZ, 10_000);
    expect(columns).not.toBeNull();
    const { propertiesJson, ...rest } = columns!;
    const expected = inProcess(ITEMS);
    expect(rest).toEqual({ ...expected, properties: undefined, rejected: expected.rejected, unknownFields: [] });
    expect(propertiesJson.map((t) => JSON.parse(t))).toEqual(expected.properties);
    expect(propertiesJson[0]).toBe(JSON.stringify((ITEMS[0] as { properties: unknown }).properties));
    // Rejections name the item and its field.
    expect(columns!.rejected).toEqual(expect.arrayContaining([expect.objectContaining({ index: 3, field: 'occurredAt' }), expect.objectContaining({ index: 7 }), expect.objectContaining({ index: 9, field: 'customerExternalId' })]));
    // The same in-process (the function the thread runs).
    expect(parseEventBatch(body.toString(), TZ, 10_000)).toEqual(columns);
  });

  it('gives a large ASCII list (parsed in pieces in the thread) the verdicts the whole text gets', async () => {
    // Over PIECE_BYTES, ASCII: the thread parses it in pieces (runtime/json-list-pieces.ts). Items
    // that are not events, invalid ones, and `},{"type":` inside strings and nested lists among them.
    const items: unknown[] = Array.from({ length: 1500 }, (_, i) => ({ type: 'order_created', customerExternalId: `c${i}`, occurredAt: new Date(Date.UTC(2026, 10, 11) + i * 1000).toISOString(), idempotencyKey: `k${i}`, properties: { orderId: `o${i}`, amount: 99 } }));
    items[10] = { type: 'visit', customerExternalId: 'c10', occurredAt: '2026-02-30T00:00:00.000Z', idempotencyKey: 'k10' };
    items[700] = { type: 'visit', customerExternalId: 'c700', occurredAt: '2026-11-11T00:00:00.000Z', idempotencyKey: 'k700', properties: { note: '},{"type":"x"},', list: [{ type: 'a' }, { type: 'b' }] } };
    items[701] = 'not an event';
    items[1499] = { type: 'visit', customerExternalId: 'c1499', occurredAt: '2026-11-11T24:00:00.000Z', idempotencyKey: 'k1499' };
    const text = JSON.stringify(items);
    const columns = await thread().parse(Buffer.from(text), TZ, 10_000);
    expect(columns).toEqual(parseEventBatch(text, TZ, 10_000));
    expect(columns!.index.length).toBe(1497);
    expect(columns!.rejected.map((r) => r.index)).toEqual([10, 701, 1499]);
    // Not a list once a comma too many is in it: no verdict (the request thread answers the body error).
    expect(await thread().parse(Buffer.from(text.slice(0, -1) + ',]'), TZ, 10_000)).toBeNull();
  });

  it('names the fields no event has, as the request thread does, and gives no item a verdict then (the request is refused whole)', async () => {
    const items = [ITEMS[1], { ...(ITEMS[2] as object), extra: 'x', propertes: {} }, ITEMS[3]];
    const body = Buffer.from(JSON.stringify(items));
    const columns = await thread().parse(body, TZ, 10_000);
    expect(columns?.unknownFields).toEqual([
      { index: 1, field: 'extra', didYouMean: null },
      { index: 1, field: 'propertes', didYouMean: 'properties' },
    ]);
    expect(parseEventBatch(body.toString(), TZ, 10_000)).toEqual(columns);
  });

  it('decodes UTF-8 as the request thread does: a byte order mark dropped, characters split nowhere', async () => {
    const items = [{ type: 'visit', customerExternalId: '客户1', occurredAt: '2026-11-11T00:00:00Z', idempotencyKey: '键', properties: { 城市: '杭州', emoji: '🎉' } }];
    const columns = await thread().parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(items))]), TZ, 10);
    expect(columns?.customerExternalId).toEqual(['客户1']);
    expect(columns?.propertiesJson).toEqual([JSON.stringify(items[0].properties)]);
  });

  it('takes no body that is not a list of at most max items: the request thread answers those', async () => {
    for (const text of ['[{"type": ', '{"type":"visit"}', '"visit"', '', '[1,2,3]x']) expect(await thread().parse(Buffer.from(text), TZ, 10)).toBeNull();
    expect(await thread().parse(Buffer.from(JSON.stringify(new Array(11).fill(1))), TZ, 10)).toBeNull();
    expect(await thread().parse(Buffer.from(JSON.stringify(new Array(10).fill(1))), TZ, 10)).toMatchObject({ index: [], rejected: expect.arrayContaining([expect.objectContaining({ index: 9 })]) });
  });

  it('answers concurrent bodies each with its own columns, also from a view of a larger buffer', async () => {
    const bodies = Array.from({ length: 20 }, (_, n) => JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ type: 'visit', customerExternalId: `c${n}`, occurredAt: '2026-11-11T00:00:00Z', idempotencyKey: `k${n}-${i}` }))));
    const pool = Buffer.from('xxxx' + bodies.join(''));
    let at = 4;
    const views = bodies.map((b) => pool.subarray(at, (at += Buffer.byteLength(b))));
    const answers = await Promise.all(views.map((v) => thread().parse(v, TZ, 10_000)));
    answers.forEach((c, n) => {
      expect(c?.customerExternalId).toEqual(new Array(50).fill(`c${n}`));
      expect(c?.idempotencyKey[49]).toBe(`k${n}-49`);
    });
  });

  it('is absent when its compiled entry is missing (running from the sources): the caller parses in-process', () => {
    expect(threadEventBatchParser(new URL('./no-such-thread.js', ENTRY))).toBeNull();
  });

  it('never keeps a process alive: one that parsed a list and never closed its parser still exits', () => {
    const script = `
      const { threadEventBatchParser } = await import(${JSON.stringify(new URL('../../dist/server/src/runtime/event-batch-parser.js', import.meta.url).href)});
      const parser = threadEventBatchParser(new URL(${JSON.stringify(ENTRY.href)}));
      const columns = await parser.parse(new TextEncoder().encode(${JSON.stringify(JSON.stringify([{ type: 'visit', customerExternalId: 'c1', occurredAt: '2026-11-11T00:00:00Z', idempotencyKey: 'k1' }]))}), 'Asia/Shanghai', 1000);
      console.log(columns ? 'parsed in the thread' : 'no columns');`;
    // A file, not -e: a worker inherits its parent's execArgv, and --eval is not one a worker takes.
    const file = join(tempDir('rekindle-parser-exit-'), 'parse-once.mjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    expect({ out: r.stdout.trim(), status: r.status, signal: r.signal }).toEqual({ out: 'parsed in the thread', status: 0, signal: null });
  });
});
