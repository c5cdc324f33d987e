import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { csvRecordBlocks } from '../../server/src/core/data/import/csv-records.js';
import { csvSyntaxError } from '../../server/src/core/data/import/csv-syntax.js';
import { fastCsvOrder, orderColumns } from '../../server/src/core/data/import/csv-order-fast.js';
import { parseRows, type ParsedRow } from '../../server/src/core/data/import/parsed-rows.js';
import { mapRow } from '../../server/src/core/data/import/row-mapper.js';
import { fieldCountError } from '../../server/src/core/data/import/row-reader.js';
import { stageOrder } from '../../server/src/core/data/import/staged-order.js';
import type { OrderInput } from '../../server/src/core/data/model.js';
import { decodeBlock, encodeBlock } from '../../server/src/runtime/import-parse-thread-wire.js';
import { mulberry32 } from '../../bench/support/mulberry32.js';

/**
 * The import's CSV fast path (csv-records.ts: lines without quotes split on commas; csv-order-fast.ts:
 * plainly valid order rows mapped by position) must give exactly what the general path gives:
 * csv-parse's records, line numbers and errors, and mapRow's values and issues.
 */

const TZ = 'Asia/Shanghai';

/**
 * What csv-parse alone gives (the reader's options): [line, fields] per record, or ['error', message]
 * at the end — its line less one for each CR LF inside the values so far, which it counts as two
 * lines and the reader as one (tests/unit/csv-line-after-crlf-in-value.test.ts).
 */
async function reference(chunks: (string | Buffer)[]): Promise<unknown[]> {
  const out: unknown[] = [];
  let crlf = 0;
  try {
    for await (const { record, info } of Readable.from(chunks).pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: false }))) {
      crlf += (record as string[]).reduce((n, f) => n + f.split('\r\n').length - 1, 0);
      out.push([info.lines - crlf, record]);
    }
  } catch (e) {
    out.push(['error', (e as Error).message]);
  }
  return out;
}

async function fast(chunks: (string | Buffer)[], maxPending?: number): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const block of csvRecordBlocks(chunks, maxPending)) for (const r of block) out.push([r.line, r.fields]);
  } catch (e) {
    out.push(['error', (e as Error).message]);
  }
  return out;
}

/** Records before a syntax error depend on how the text was chunked (csv-parse fails its whole chunk): only the error is compared then. */
async function expectSameRecords(chunks: (string | Buffer)[], maxPending?: number): Promise<void> {
  let want = await reference(chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c))));
  let got = await fast(chunks, maxPending);
  const last = want[want.length - 1] as unknown[] | undefined;
  if (last?.[0] === 'error') {
    want = want.slice(-1);
    got = got.slice(-1);
  }
  expect(got).toEqual(want);
}

/** Every byte split: a character or a CRLF cut between chunks. */
const byteChunks = (text: string, size: number): Buffer[] => {
  const b = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
};

describe('CSV records: the split of unquoted lines equals csv-parse', () => {
  const cases: Record<string, string> = {
    'plain LF': 'a,b,c\n1,2,3\n4,,6\n',
    'CRLF line endings': 'a,b\r\n1,2\r\n\r\n3,4\r\n',
    'a UTF-8 BOM': '\uFEFFexternalId,name\nc1,张三\n',
    'two BOMs (the second is text)': '\uFEFF\uFEFF\na\n',
    'empty fields and empty lines': '\n\na,b,c\n,,\n\n\n,x,\n',
    'no line ending at the end': 'a,b\n1,2',
    'whitespace kept (no trimming)': 'a,b\n 1 , 2 \n   \n',
    'a quoted field with commas and newlines, late in the file': 'a,b\n1,2\n\n3,"x,\ny"\n5,6\n7,"q""q"\n',
    'a quote in the header': '"a",b\n1,2\n',
    'a stray CR inside an LF file': 'a,b\n1,2\r3\n4,5\n',
    'an LF inside a CRLF file': 'a,b\r\n1,2\n3,4\r\n',
    'old Mac line endings (lone CR)': 'a,b\r1,2\r3,4\r',
    'a lone CR at the very end': 'a,b\n1,2\r',
    'a header only': 'a,b',
    'an empty file': '',
    'a field count that differs': 'a,b\n1\n1,2,3\n',
    'U+FFFD in the text': 'a,b\n1,\uFFFD\n',
    'every field quoted (a seller-center export)': '"订单编号","买家会员名","金额"\n"1001","张三","19.90"\n"","",""\n""\n"1002",plain,"x y"\n',
    'quoted fields the split cannot take (comma, escaped quote, line break) after simple ones': '"a","b"\n"1","2"\n"3","x,y"\n"4","q""q"\n"5","m\nn"\n"6","7"\n',
    'a quote that does not wrap its field': '"a","b"\n"1",x"y\n"2","3"\n',
    'a quoted field followed by text': '"a","b"\n"1","2"x\n',
    'a lone quote as a field': '"a","b"\n",x\n',
    'quoted fields with CRLF endings': '"a","b"\r\n"1","2"\r\n\r\n"3",""\r\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, async () => {
      await expectSameRecords([text]);
      for (const size of [1, 2, 3, 7]) await expectSameRecords(byteChunks(text, size));
    });
  }

  it('names a syntax error after the hand-over at the line csv-parse names', async () => {
    const text = 'a,b\n1,2\n\n3,4\n5,"x\n6,7\n';
    expect(await fast([text])).toEqual([[1, ['a', 'b']], [2, ['1', '2']], [4, ['3', '4']], ['error', ((await reference([text]))[0] as unknown[])[1]]]);
    expect(((await reference([text]))[0] as string[])[1]).toMatch(/^Quote Not Closed: .* at line 6$/);
    const bad = 'a,b\n1,2\n3,"x"y\n';
    expect((await fast([bad])).slice(-1)).toEqual((await reference([bad])).slice(-1));
  });

  it('the whole-file syntax check names the line and reason csv-parse names', async () => {
    /** csvSyntaxError as it was: csv-parse over the whole file. */
    const before = async (chunks: (string | Buffer)[]) => {
      try {
        for await (const r of Readable.from(chunks).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: false }))) void r;
        return null;
      } catch (e) {
        return (e as { lines: number }).lines;
      }
    };
    const lines = Array.from({ length: 3000 }, (_, i) => `o${i},c${i}`).join('\n');
    expect(await csvSyntaxError([`a,b\n${lines}\n`])).toBeNull();
    const unclosed = [`a,b\n${lines}\n\no,"x\n1,2\n`];
    expect(await csvSyntaxError(unclosed)).toEqual({ line: await before(unclosed), message: 'the file ends inside a quoted field (a " opened on an earlier line is never closed)' });
    const closing = byteChunks(`a,b\n${lines}\n\n"x"y,1\n`, 4096);
    expect(await csvSyntaxError(closing)).toEqual({ line: 3003, message: 'got "y" at line 3003 instead of delimiter, record delimiter, trimable character (if activated) or comment' });
    expect(await before(closing)).toBe(3003);
  });

  it('hands invalid UTF-8 to csv-parse as bytes (its message names the byte)', async () => {
    const text = Buffer.concat([Buffer.from('a,b\n1,"x"'), Buffer.from([0xe4]), Buffer.from('\n')]);
    await expectSameRecords([text]);
    await expectSameRecords([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\0,\0b\0\n\0', 'latin1')])]);
  });

  it('a line longer than the read-ahead bound is read by csv-parse, with the same lines', async () => {
    await expectSameRecords(byteChunks('a,b\n1,2\n\n' + 'x'.repeat(50) + ',y\n3,4\n', 5), 16);
    await expectSameRecords(byteChunks('x'.repeat(40) + ',b\n1,2\n', 5), 16);
  });

  it('reads a file that quotes every field in the split\'s whole blocks, not record by record through csv-parse', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `"o${i}","c${i}","paid","${i}.50","中文 ${i}"`);
    const text = `"externalId","customerExternalId","status","amount","note"\n${lines.join('\n')}\n`;
    const blocks: number[] = [];
    for await (const block of csvRecordBlocks([text])) blocks.push(block.length);
    // csv-parse hands its records over a stream (16 at a time); the split takes the chunk whole.
    expect(blocks).toEqual([1001]);
    await expectSameRecords([text]);
  });

  it('equals csv-parse on 1,500 random files that quote their fields, in random chunks (simple and not)', async () => {
    const rnd = mulberry32(23);
    const inside = ['a', 'bc', ' ', 'é', '中', '', '1.5'];
    const breaking = [',', '""', '\n', '\r', '"', '\r\n'];
    for (let n = 0; n < 1500; n++) {
      const eol = rnd() < 0.5 ? '\n' : '\r\n';
      let text = rnd() < 0.2 ? '\uFEFF' : '';
      const lines = 1 + Math.floor(rnd() * 6);
      for (let l = 0; l < lines; l++) {
        const fields = Math.floor(rnd() * 5);
        for (let f = 0; f < fields; f++) {
          let v = '';
          for (let k = Math.floor(rnd() * 3); k > 0; k--) v += rnd() < 0.93 ? inside[Math.floor(rnd() * inside.length)] : breaking[Math.floor(rnd() * breaking.length)];
          text += (f > 0 ? ',' : '') + (rnd() < 0.85 ? `"${v}"` : v);
        }
        if (rnd() < 0.85 || l < lines - 1) text += eol;
      }
      const size = 1 + Math.floor(rnd() * 8);
      await expectSameRecords(rnd() < 0.3 ? [text] : byteChunks(text, size));
    }
  });

  it('equals csv-parse on 1,500 random files in random chunks (quotes, CR, LF, BOM, commas, CJK)', async () => {
    const rnd = mulberry32(17);
    const pieces = ['a', 'bc', ',', '"', '\n', '\r\n', '\r', ' ', 'é', '中', '\uFEFF', '""', 'x,y', '\n\n'];
    const plain = ['a', 'bc', ',', 'é', '中', ' ', 'x,y'];
    for (let n = 0; n < 1500; n++) {
      const eol = rnd() < 0.5 ? '\n' : '\r\n';
      let text = rnd() < 0.2 ? '\uFEFF' : '';
      const mostlyPlain = rnd() < 0.5;
      const lines = 1 + Math.floor(rnd() * 6);
      for (let l = 0; l < lines; l++) {
        const k = Math.floor(rnd() * 6);
        for (let i = 0; i < k; i++) text += mostlyPlain && rnd() < 0.9 ? plain[Math.floor(rnd() * plain.length)] : pieces[Math.floor(rnd() * pieces.length)];
        if (rnd() < 0.85 || l < lines - 1) text += eol;
      }
      const size = 1 + Math.floor(rnd() * 8);
      await expectSameRecords(rnd() < 0.3 ? [text] : byteChunks(text, size));
    }
  });
});

/** The general path: each record as an object keyed by the header, mapRow, stageOrder. */
async function generalOrders(csv: string, stage: boolean): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  let header: string[] | undefined;
  for await (const { record, info } of Readable.from([csv]).pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: false }))) {
    const fields = record as string[];
    const line = (info as { lines: number }).lines;
    if (!header) {
      header = fields.map((h) => h.trim());
      continue;
    }
    if (fields.length !== header.length) {
      out.push({ line, issues: [{ field: '(row)', message: fieldCountError(header, fields.length) }] });
      continue;
    }
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) obj[header[i]] = fields[i];
    const m = mapRow('orders', 'csv', obj, TZ);
    if (!m.ok) out.push({ line, issues: m.issues });
    else out.push(stage ? { line, input: m.value, staged: stageOrder(m.value as OrderInput, TZ) } : { line, input: m.value });
  }
  return out;
}

async function parsed(csv: string, stage: boolean): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const block of parseRows('orders', 'csv', [csv], { timezone: TZ, stageOrders: stage })) out.push(...block);
  return out;
}

/** Same values AND the same keys in the same order (JSON text of the items and events depends on it). */
function expectIdentical(got: unknown, want: unknown): void {
  expect(got).toStrictEqual(want);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
}

const HEADER = 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,coupon,items';

describe('CSV orders: the by-position mapping equals mapRow + zod', () => {
  const rows = [
    'o1,c1,paid,19.90,1704067200000,1704067260000,double11,,sku-1:dress:summer:1:19.90',
    'o2,c2,Created,5,2024-11-11 10:00:00,,,,',
    'o3,c3,PAID,7.005,2024-11-11T10:00:00+08:00,2024-11-11T09:58:00+08:00,,CPN1,a:b;c:d:WINTER:2;;e:f::3:0',
    'o4 , c4 ,completed, 12 ,1704067200000,1704067200000, promo ,,s:c:spring',
    'o5,c5,cancelled,0,1704067200000,,,,',
    'o24,c24,refunded,1,1704067200000,1704067200000,,,',
    'o25,c25,paid,0x10,1704067200000,1704067200000,,,s:c::0x2:1e1',
    // refused (each by zod, with its own words), or left to zod:
    'o6,c6,paid,-1,1704067200000,1704067200000,,,',
    'o7,c7,paid,abc,1704067200000,1704067200000,,,',
    'o8,c8,paid,,1704067200000,1704067200000,,,',
    'o9,c9,paid,1,2024-02-30 10:00:00,,,,',
    'o10,c10,paid,1,1704067200000,,,,',
    'o11,c11,paid,1,1704067200000,1704060000000,,,',
    'o12,c12,unknown,1,1704067200000,1704067200000,,,',
    ',c13,paid,1,1704067200000,1704067200000,,,',
    'o14,c14,paid,1,1704067200000,1704067200000,,,sku:',
    'o15,c15,paid,1,1704067200000,1704067200000,,,s:c:monsoon',
    'o16,c16,paid,1,1704067200000,1704067200000,,,s:c::0',
    'o17,c17,paid,1,1704067200000,1704067200000,,,s:c::1.5',
    'o18,c18,paid,1,1704067200000,1704067200000,,,s:c:::-2',
    'o19,c19,paid,1,1704067200000,1704067200000,,,"[{""sku"":""s"",""category"":""c""}]"',
    'o20,c20,paid,1,99,99,,,',
    'o21,c21,paid,1,1704067200000,1704067200000,,',
    `${'x'.repeat(129)},c22,paid,1,1704067200000,1704067200000,,,`,
    'o23,c23,paid,1,not a date,1704067200000,,,',
  ];

  it('gives the same rows, lines, values and issues as the general path (staged and not)', async () => {
    const csv = `${HEADER}\n${rows.join('\n')}\n`;
    for (const stage of [true, false]) {
      const got = await parsed(csv, stage);
      const want = await generalOrders(csv, stage);
      expectIdentical(got, want);
    }
  });

  it('names the bad field of a bad date or amount at its line', async () => {
    const got = await parsed(`${HEADER}\no1,c1,paid,abc,1704067200000,1704067200000,,,\n\no2,c2,paid,1,2024-02-30 10:00:00,,,,\n`, true);
    expect(got.map((r) => [r.line, r.issues?.map((i) => i.field)])).toEqual([
      [2, ['amount']],
      [4, ['createdAt']],
    ]);
    expect(got[1].issues![0].message).toMatch(/2024-02 has 29 days/);
  });

  it('takes a plainly valid row by position and leaves every doubtful one to the general way', () => {
    const c = orderColumns(HEADER.split(','));
    const f = (row: string) => row.split(',');
    expect(fastCsvOrder(f('o1,c1,paid,19.90,1704067200000,1704067260000,double11,,sku-1:dress:summer:1:19.90'), c, TZ)).not.toBeNull();
    for (const row of rows.slice(7)) if (!row.includes('"') && f(row).length === 9) expect(fastCsvOrder(f(row), c, TZ)).toBeNull();
  });

  it('reads a column repeated in the header from its last place, as a record object does', async () => {
    const csv = 'externalId,customerExternalId,status,amount,amount,createdAt,paidAt\no1,c1,paid,1,2,1704067200000,1704067200000\n';
    expectIdentical(await parsed(csv, true), await generalOrders(csv, true));
    expect((await parsed(csv, false))[0].input).toMatchObject({ amount: 2 });
  });

  it('equals the general path on 2,000 random rows (valid and not)', async () => {
    const rnd = mulberry32(5);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const status = pick(['paid', 'created', 'shipped', 'completed', 'refunded', 'cancelled', 'Paid', 'nope']);
      const created = 1704067200000 + Math.floor(rnd() * 6e10);
      const paid = pick(['', String(created + 60000), String(created - 60000), String(created - 3600000), '2024-05-01 08:00:00', '2024-13-01']);
      const amount = pick(['19.90', '0', '-1', '', 'x', '1e3', ' 7 ', '12.345']);
      const createdText = pick([String(created), String(created), '2025-03-01T10:00:00Z', '2025-03-01', '1', '']);
      const item = pick(['', 'sku:cat', 'sku:cat:Summer:2:9.9', 'sku:cat:fall', 'sku', 'a:b;c:d', 's:c::0', 's|x:c|y:winter']);
      lines.push([pick([`o${i}`, ` o${i} `, '', `o\u0001${i}`]), pick([`c${i % 50}`, '']), status, amount, createdText, paid, pick(['', 'double11', ' 618 ']), pick(['', 'CPN']), item].join(','));
    }
    const csv = `${HEADER}\n${lines.join('\n')}\n`;
    expectIdentical(await parsed(csv, true), await generalOrders(csv, true));
  });
});

describe('parser thread hand-over of a block', () => {
  it('a staged order crosses without its items objects; every other row as it is', async () => {
    const csv = `${HEADER}\no1,c1,paid,19.90,1704067200000,1704067260000,double11,,sku-1:dress:summer:1:19.90\no2,c2,paid,x,1,1,,,\n`;
    const block = await parsed(csv, true);
    const wire = decodeBlock(structuredClone(encodeBlock(block, true)));
    const { items: _items, ...rest } = block[0].input as OrderInput;
    expectIdentical(wire[0], { line: 2, input: rest, staged: block[0].staged });
    expectIdentical(wire[1], block[1]);
  });

  it('an order staged into a file crosses as its line and file number only, in file order among the other rows', async () => {
    const csv = `${HEADER}\no1,c1,paid,19.90,1704067200000,1704067260000,double11,,sku-1:dress:summer:1:19.90\no2,c2,paid,x,1,1,,,\no3,c3,created,5,1704067200000,,,,\n`;
    const block = await parsed(csv, true);
    block[0].stagedIn = 4;
    block[2].stagedIn = 5;
    const wire = decodeBlock(structuredClone(encodeBlock(block, true)));
    expect(wire).toHaveLength(3);
    expectIdentical(wire[0], { line: 2, stagedIn: 4 });
    expectIdentical(wire[1], block[1]);
    expectIdentical(wire[2], { line: 4, stagedIn: 5 });
  });
});
