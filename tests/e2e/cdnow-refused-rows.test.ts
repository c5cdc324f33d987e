/**
 * A CDNOW line that is refused writes nothing, not even its customer (walkthrough), as a Taobao
 * export's row (taobao-refused-rows.test.ts): customers were written before their orders met the
 * orders import's rules, so 00002, whose only line was dated 2099, and 00003, whose only line said
 * $9,999,999,999,999, were created with no order. Each refused line is counted once, and its errors
 * name the file's columns (date, dollar_value, customer_id): the one date was said twice, as
 * createdAt and as paidAt.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const dir = tempDir('rekindle-cdnow-refused-');
const rekindle = (...args: string[]) => cli(['--rules', join(process.cwd(), 'rules'), ...args]);

const LONG_ID = '1'.repeat(129);
/** Lines 1–6 of the sample (5 columns). Refused: 2 (2099), 3 (past 10^12), 4 (2099: 00001 keeps line 1's order), 6 (an id past 128 characters). */
const LINES = ['00001   1 19970101  1  11.77', '00002   1 20990101  2  20.00', '00003   1 19970102  1  9999999999999', '00001   1 20990202  1  5.00', '00004   1 19970103  1  12.00', `${LONG_ID}   1 19970104  1  3.00`];
const cdnowFile = (name: string, lines: string[]) => {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => `${l}\r\n`).join(''));
  return file;
};
const AHEAD = (iso: string) => expect.stringMatching(new RegExp(`^more than 1 day ahead of the server clock \\(${iso.replace(/\./g, '\\.')}, `));
const ERRORS = [
  { line: 2, field: 'date', message: AHEAD('2099-01-01T00:00:00.000Z') },
  { line: 3, field: 'dollar_value', message: 'at most 1000000000000 (10^12)' },
  { line: 4, field: 'date', message: AHEAD('2099-02-02T00:00:00.000Z') },
  { line: 6, field: 'customer_id', message: expect.stringMatching(/128/) },
];
const customersIn = async (db: string) => {
  const ds = await openDatabase({ url: db });
  try {
    const rows = await queryRows(ds, 'SELECT c.external_id AS id, f.order_count FROM customers c LEFT JOIN customer_facts f ON f.customer_id = c.id ORDER BY c.external_id');
    return Object.fromEntries(rows.map((r) => [r.id, Number(r.order_count)]));
  } finally {
    await ds.destroy();
  }
};

describe('rekindle import cdnow: refused lines', () => {
  const file = cdnowFile('cdnow_sample.txt', LINES);
  const db = join(dir, 'shop.sqlite');
  let run: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    run = await rekindle('import', 'cdnow', file, '--db', db);
  });

  it('creates no customer from refused lines; a customer of an accepted line keeps only its orders', async () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(': customers 2 created, 0 updated, 0 unchanged; orders 2 created');
    expect(await customersIn(db)).toEqual({ '00001': 1, '00004': 1 });
    // A later file of refused lines only touches no customer, known or not.
    const later = cdnowFile('later.txt', [LINES[1], LINES[3]]);
    const again = JSON.parse((await rekindle('import', 'cdnow', later, '--db', db, '--json')).stdout);
    expect(again.customers).toMatchObject({ rows: 0, created: 0, updated: 0, unchanged: 0 });
    expect(again.refused).toBe(2);
    expect(await customersIn(db)).toEqual({ '00001': 1, '00004': 1 });
  });

  it('counts each refused line once in the summary, the exit message and the audit log', async () => {
    expect(run.stdout).toMatch(/; orders 2 created, 0 updated, 0 unchanged; 4 row\(s\) refused\n$/);
    expect(run.stderr).toContain(`error: 4 row(s) of ${file} were not imported`);
    const audit = await rekindle('--json', 'audit', '--db', db, '--target', 'import:cdnow');
    // The oldest entry is this file's (the first case imports another after it).
    expect(JSON.parse(audit.stdout).at(-1).detail).toMatchObject({ file: 'cdnow_sample.txt', failed: 4 });
  });

  it("names the file, the line and the file's own column in each error, once (the date not twice as createdAt and paidAt)", async () => {
    const json = JSON.parse((await rekindle('--json', 'import', 'cdnow', file, '--db', join(dir, 'json.sqlite'))).stdout);
    expect(json.refused).toBe(4);
    expect(json.errors).toEqual(ERRORS);
    const listed = run.stdout.split('\n').filter((l) => l.startsWith(`${file}:`));
    expect(listed.map((l) => l.slice(file.length + 1).split(': ')[0])).toEqual(['2', '3', '4', '6']);
    expect(listed[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: date: more than 1 day ahead`));
    expect(listed[1]).toBe(`${file}:3: dollar_value: at most 1000000000000 (10^12)`);
    expect(run.stdout).not.toMatch(/: (createdAt|paidAt|amount|externalId|customerExternalId): /);
  });
});
