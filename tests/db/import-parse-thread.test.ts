import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { parseRows, type ParsedRow } from '../../server/src/core/data/import/parsed-rows.js';
import type { ImportKind } from '../../server/src/core/data/import/row-mapper.js';
import type { ImportFormat } from '../../server/src/core/data/import/row-reader.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { threadRowParser } from '../../server/src/runtime/import-parser.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * The import's parser thread (issue 9: parsing and validation off the thread that writes) must be
 * invisible: the same rows, lines, issues and header as the in-process parser, and a file that
 * cannot be parsed fails the same way.
 */
// Worker threads run compiled JavaScript: the thread's entry from dist/ (npm test builds it first).
const ENTRY = new URL('../../dist/server/src/runtime/import-parse-thread.js', import.meta.url);
const parser = () => {
  const p = threadRowParser(3, ENTRY);
  if (!p) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` first');
  return p;
};

const CUSTOMERS = 'externalId,name,province,consent_sms,nickname\nc1,Ann,浙江,yes,x\nc2,Bob,上海,maybe,y\nc3,Cy,北京\n"c4",Dee,广东,no,z\n\nc5,Eve,江苏,1,w\n';
const ORDERS = [
  'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items',
  'o1,c1,paid,120.5,1735700000000,1735700600000,,sku-1:dress:summer:1:120.5',
  'o2,c1,paid,abc,1735700000000,,,sku-2:tops',
  'o3,c9,created,10,1735700000000,,,sku-3:shoes',
  'o4,c2,shipped,99,1735700000000,1735700600000,double11,sku-4',
  'o5,c5,paid,30,1735800000000,1735800600000,,sku-5:bags:winter:2:15',
].join('\n');
const NDJSON = '{"externalId":"c1","name":"Ann"}\nnot json\n\n{"externalId":""}\n[1]\n{"externalId":"c2","tags":["vip"]}\n';

/** A source in small chunks (a multi-byte character split across two of them included). */
function* chunked(text: string, size = 7): Generator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(blocks: AsyncIterable<ParsedRow[]>): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const b of blocks) out.push(...b);
  return out;
}

describe('import parser thread', () => {
  it.each([
    ['customers', 'csv', CUSTOMERS],
    ['orders', 'csv', ORDERS],
    ['customers', 'ndjson', NDJSON],
  ] as [ImportKind, ImportFormat, string][])('parses %s %s into the same rows, lines, issues and header as the in-process parser', async (kind, format, text) => {
    const headers: string[][] = [];
    let bytes = 0;
    const inThread = await collect(parser()(kind, format, chunked(text), { timezone: 'Asia/Shanghai', onHeader: (h) => headers.push(h), onBytes: (n) => (bytes = n) }));
    const inProcess = await collect(parseRows(kind, format, chunked(text), { timezone: 'Asia/Shanghai', onHeader: (h) => headers.push(h) }));
    expect(inThread).toEqual(inProcess);
    expect(inThread.some((r) => r.issues)).toBe(true);
    expect(inThread.some((r) => r.input)).toBe(true);
    if (format === 'csv') expect(headers[0]).toEqual(headers[1]);
    expect(bytes).toBe(Buffer.byteLength(text));
  });

  it('fails on a CSV it cannot read with the in-process parser message', async () => {
    const broken = 'externalId,name\nc1,Ann\nc2,"Bob\n';
    const message = await collect(parseRows('customers', 'csv', [broken], { timezone: 'Asia/Shanghai' })).then(
      () => 'parsed',
      (e: Error) => e.message,
    );
    expect(message).not.toBe('parsed');
    await expect(collect(parser()('customers', 'csv', [broken], { timezone: 'Asia/Shanghai' }))).rejects.toThrow(message);
  });

  it('stops its thread when the importer stops reading early', async () => {
    const p = parser();
    for await (const block of p('customers', 'csv', [CUSTOMERS], { timezone: 'Asia/Shanghai' })) {
      expect(block.length).toBeGreaterThan(0);
      break; // the generator's finally terminates the worker; the test would hang otherwise
    }
  });
});

describe('import through the parser thread (SQLite)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(async () => db?.close());

  it('stores the rows and reports the errors as file:line: field, as an in-process import does', async () => {
    const clock = fixedClock(Date.parse('2026-02-01T00:00:00Z'));
    const opts = { timezone: 'Asia/Shanghai', clock, batchSize: 2, parser: parser() };
    const c = await importRows(db.dataSource, { ...opts, kind: 'customers', format: 'csv', source: chunked(CUSTOMERS), file: 'customers.csv' });
    expect(c).toMatchObject({ rows: 5, created: 3, failed: 2, ignoredColumns: ['nickname'] });
    expect(c.errors).toEqual([
      { line: 3, field: 'consent_sms', message: expect.stringContaining('maybe') },
      { line: 4, field: '(row)', message: expect.stringMatching(/^wrong number of columns: expected 5 as in the header, got 3 \(no value for \w+, \w+\)$/) },
    ]);
    const o = await importRows(db.dataSource, { ...opts, kind: 'orders', format: 'csv', source: chunked(ORDERS), file: 'orders.csv' });
    expect(o).toMatchObject({ rows: 5, created: 2, failed: 3, eventsRecorded: 2 });
    expect(o.errors.map((e) => `${e.line}: ${e.field}`)).toEqual(['3: amount', '4: customerExternalId', '5: items.0', '5: items.0.category']);
    const stored = await queryRows(db.dataSource, 'SELECT external_id FROM orders ORDER BY external_id');
    expect(stored.map((r) => r.external_id)).toEqual(['o1', 'o5']);
  });
});
