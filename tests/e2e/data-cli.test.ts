import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/data');
// An empty rules folder of its own (default shop.yaml), independent of the checkout's rules/.
const RULES = tempDir('rekindle-rules-');


describe.each(DIALECTS)('data CLI on %s', (dialect) => {
  let db: string;
  let drop: () => Promise<void>;
  const dir = tempDir('rekindle-cli-');
  const r = (...args: string[]) => cli(['--db', db, '--rules', RULES, ...args]);

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    db = t.target.url;
    drop = t.drop;
  });
  afterAll(async () => drop?.());

  it('import with bad rows: good rows land, errors on stderr name file:line: field, exit 1', async () => {
    const file = join(FIXTURES, 'customers.csv');
    const res = await r('import', 'customers', file);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('5 customers rows: 3 created, 0 updated, 0 unchanged, 2 failed');
    expect(res.stderr).toContain(`${file}:4: email: not an email address: "not-an-email"`);
    expect(res.stderr).toMatch(new RegExp(`${file}:5: consent_sms: .*"maybe"`));
    expect(res.stderr).toContain('error: 2 of 5 rows failed');
  });

  it('a file whose every row fails says nothing was imported, lists its errors in line order, each with the value refused', async () => {
    const file = join(dir, 'all-bad-orders.csv');
    // Lines 2 and 3 fail only when their batch is written (unknown customer), after line 4's parse error.
    writeFileSync(file, 'externalId,customerExternalId,status,amount,createdAt\nab1,ghost,created,10,2026-01-05T00:00:00Z\nab2,ghost,created,10,2026-01-05T00:00:00Z\nab3,ghost,created,12.5元,2026-01-05T00:00:00Z\nab4,ghost,shipped-ish,10,2026-01-05T00:00:00Z\n');
    const res = await r('import', 'orders', file);
    expect(res.code).toBe(1);
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      `${file}:2: customerExternalId: unknown customer "ghost" (import the customer first)`,
      `${file}:3: customerExternalId: unknown customer "ghost" (import the customer first)`,
      `${file}:4: amount: expected a number, got "12.5元"`,
      `${file}:5: status: expected one of created, paid, shipped, completed, refunded, cancelled, got "shipped-ish"`,
    ]);
    expect(lines[lines.length - 1]).toBe('error: 4 of 4 rows failed (listed above); nothing was imported');
    expect(res.stderr).not.toMatch(/Invalid input|received string/);
  });

  it('--json prints the full report, still exits 1; a clean file exits 0; re-import is unchanged', async () => {
    const res = await r('--json', 'import', 'orders', join(FIXTURES, 'orders.csv'));
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ kind: 'orders', created: 4, failed: 2, eventsRecorded: 4 });
    expect(report.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`)).toEqual(['5:customerExternalId', '6:amount']);

    const good = join(dir, 'more.ndjson');
    writeFileSync(good, '{"externalId":"x1","name":"X"}\n{"externalId":"x2"}\n');
    expect((await r('import', 'customers', good)).code).toBe(0);
    const again = await r('--json', 'import', 'customers', good);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, unchanged: 2, failed: 0 });
  });

  it('a misspelt required column refuses the whole file, naming file, column and the header meant; nothing is written', async () => {
    const file = join(dir, 'typo-orders.csv');
    // More rows than one batch: the refusal comes before the first batch is written, not after.
    writeFileSync(file, 'externalId,custmerExternalId,status,amout,createdAt\n' + ['t1', 't2', 't3'].map((o) => `${o},c001,created,10,2026-01-05T00:00:00Z`).join('\n') + '\n');
    const res = await r('import', 'orders', file, '--batch-size', '1');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`error: ${file}: required column "customerExternalId" is missing (the header has "custmerExternalId": did you mean "customerExternalId"?); required column "amount" is missing (the header has "amout": did you mean "amount"?); nothing was imported`);
    expect(res.stderr).not.toMatch(/typo-orders\.csv:\d+:/);
    expect(res.stdout).toBe('');
    const fixed = join(dir, 'fixed-orders.csv');
    writeFileSync(fixed, 'externalId,customerExternalId,status,amount,createdAt,promtion\n' + ['t1', 't2', 't3'].map((o) => `${o},c001,created,10,2026-01-05T00:00:00Z,double11`).join('\n') + '\n');
    const ok = await r('import', 'orders', fixed);
    // All three are new: the refused import left none of them behind.
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('3 orders rows: 3 created, 0 updated') });
    expect(ok.stderr).toContain(`warning: ${fixed}: column "promtion" is not read: did you mean "promotion"?`);
    const json = JSON.parse((await r('--json', 'import', 'orders', fixed)).stdout);
    expect(json).toMatchObject({ unchanged: 3, ignoredColumns: ['promtion'], warnings: [`${fixed}: column "promtion" is not read: did you mean "promotion"?`] });
  });

  it('names a missing file, an unknown kind and an unguessable format', async () => {
    expect(await r('import', 'customers', join(dir, 'nope.csv'))).toMatchObject({ code: 1, stderr: expect.stringContaining('nope.csv: no such file') });
    expect(await r('import', 'widgets', join(FIXTURES, 'customers.csv'))).toMatchObject({ code: 1, stderr: expect.stringContaining('kind: expected one of customers, orders, events, taobao, cdnow') });
    const txt = join(dir, 'data.txt');
    writeFileSync(txt, 'externalId\nq\n');
    expect((await r('import', 'customers', txt)).stderr).toContain('--format csv');
    expect((await r('import', 'customers', txt, '--format', 'csv')).code).toBe(0);
  });

  it('recycle bin: delete, bin, restore; export writes facts columns', async () => {
    expect((await r('customers', 'delete', 'c002')).code).toBe(0);
    expect((await r('customers', 'bin')).stdout).toContain('c002');
    expect(await r('customers', 'delete', 'c002')).toMatchObject({ code: 1, stderr: expect.stringContaining('"c002" not found') });
    const out = join(dir, 'export.csv');
    const written = await r('export', 'customers', '--out', out, '--at', '2026-03-01T00:00:00Z');
    expect(written.code).toBe(0);
    let rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    // The count printed is the number of data rows written (not one less: the header is no record).
    expect(written.stderr).toContain(`wrote ${rows.length} customers to ${out}`);
    expect(rows.map((x) => x.externalId)).not.toContain('c002');
    expect((await r('customers', 'restore', 'c002')).code).toBe(0);
    const res = await r('export', 'customers', '--at', '2026-03-01T00:00:00Z');
    rows = parse(res.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.find((x) => x.externalId === 'c002')).toMatchObject({ orderCount: '1', totalSpent: '300', categories: 'coat|scarf', lifecycleStage: 'sleeping' });
    // Times in the shop's wall clock with its offset: paid 2025-06-01T10:10:00Z is 18:10 in Beijing.
    expect(rows.find((x) => x.externalId === 'c002')?.lastOrderAt).toBe('2025-06-01T18:10:00+08:00');
    expect(res.stdout.charCodeAt(0)).not.toBe(0xfeff);
    // --excel: a UTF-8 byte order mark first, so Excel on Chinese Windows shows 王芳, not mojibake.
    const forExcel = join(dir, 'excel.csv');
    const excelRun = await r('export', 'customers', '--excel', '--out', forExcel, '--at', '2026-03-01T00:00:00Z');
    expect(excelRun.code).toBe(0);
    const bytes = readFileSync(forExcel);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The Excel variant: Chinese headers, the order time on the shop's clock as Excel reads a date-time; the count said as for plain CSV.
    const sheet = parse(bytes.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(excelRun.stderr).toContain(`wrote ${sheet.length} customers to ${forExcel}`);
    expect(Object.keys(sheet[0]).slice(0, 3)).toEqual(['顾客编号', '姓名', '手机号']);
    // Codes in the designer's words (core/text/excel-words.ts): the demo shop's category, the lifecycle stage; a shop's own category as stored.
    expect(sheet.find((x) => x['顾客编号'] === 'c002')).toMatchObject({ '最近下单时间': '2025-06-01 18:10:00', '累计消费(元)': '300', '购买品类': '外套|scarf', '生命周期阶段': '沉睡' });
    // The Excel file imported again (an operator's round trip): read by its Chinese headers, its phone
    // numbers as digits, not the ="…" guard; nothing changes, and the plain export says so byte for byte.
    expect(sheet.find((x) => x['顾客编号'] === 'c001')?.['手机号']).toBe('="13800000001"');
    const again = await r('import', 'customers', forExcel);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${forExcel}: ${sheet.length} customers rows: 0 created, 0 updated, ${sheet.length} unchanged, 0 failed`);
    expect((await r('export', 'customers', '--at', '2026-03-01T00:00:00Z')).stdout).toBe(res.stdout);
    expect((await r('customers', 'bin')).stdout).toContain('the recycle bin is empty');
  });
});
