import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { registerExportSends } from '../../server/src/cli/commands/export-sends.js';
import { CliError } from '../../server/src/cli/context.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * `rekindle export sends`, on a program built like cli/main.ts (global --db/--rules) with a bare
 * `export` parent: the real `export` command is wired by its owner.
 */
/** What the last run wrote to stderr. */
let stderr = '';
async function rekindle(...args: string[]) {
  const program = new Command('rekindle').option('--db <url>').option('--rules <dir>').option('--json').exitOverride();
  registerExportSends(program.command('export'));
  let stdout = '';
  stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    await program.parseAsync(['node', 'rekindle', ...args]);
    return stdout;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('rekindle export sends', () => {
  let db: TestDatabase;
  const at = Date.parse('2026-11-11T00:00:00Z');
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    const ds = db.dataSource;
    const a = await insertCustomer(ds, { externalId: 'c-a', email: 'a@example.com' });
    const b = await insertCustomer(ds, { externalId: 'c-b', phone: '1' });
    await insertSend(ds, { customerId: a, flowId: 'winback', status: 'sent', subject: 'Hi, "A"', body: 'line one\nline two, with comma', couponCode: 'SAVE10', scheduledAt: at, sentAt: at + 1000, attempts: 1, arm: 'B' });
    await insertSend(ds, { customerId: b, flowId: 'pay-reminder', channel: 'sms', status: 'blocked', reason: 'no-consent:sms', scheduledAt: at });
    // The CLI opens its own connection to the file.
    await db.dataSource.destroy();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('writes CSV with every column and values that survive commas, quotes and newlines; times in shop time with the offset', async () => {
    const csv = await rekindle('--db', db.target.url, 'export', 'sends');
    // Plain UTF-8 for scripts: no byte order mark unless asked for.
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    // 00:00 UTC is 08:00 in the shop (rules/shop.yaml: Asia/Shanghai).
    expect(rows[0]).toMatchObject({ customer_external_id: 'c-a', flow: 'winback', arm: 'B', status: 'sent', subject: 'Hi, "A"', body: 'line one\nline two, with comma', coupon: 'SAVE10', scheduled_at: '2026-11-11T08:00:00+08:00', sent_at: '2026-11-11T08:00:01+08:00', attempts: '1' });
    expect(Date.parse(rows[0].sent_at)).toBe(at + 1000);
    expect(rows[1]).toMatchObject({ customer_external_id: 'c-b', channel: 'sms', status: 'blocked', reason: 'no-consent:sms', sent_at: '' });
  });

  it('writes NDJSON for one flow to a file', async () => {
    const file = join(tempDir('rekindle-sends-'), 'sends.ndjson');
    await rekindle('--db', db.target.url, 'export', 'sends', '--format', 'ndjson', '--flow', 'pay-reminder', '--out', file);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ flow: 'pay-reminder', customer_external_id: 'c-b', status: 'blocked', sent_at: null, attempts: 0 })]);
    expect(stderr).not.toContain('warning');
  });

  it('warns when --flow names no flow of this database, instead of a bare header read as "sent nothing"', async () => {
    const csv = await rekindle('--db', db.target.url, 'export', 'sends', '--flow', 'pay-remindr');
    expect(csv.trim().split('\n')).toHaveLength(1);
    expect(stderr).toBe('warning: --flow pay-remindr: no flow of that id was ever published in this database (rekindle flows list shows them); the export has no rows\n');
  });

  it('warns when --customer names no customer of this database, and names the id that differs only in case', async () => {
    const csv = await rekindle('--db', db.target.url, 'export', 'sends', '--customer', 'c999999');
    expect(csv.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^warning: --customer c999999: no customer of that id in this database .*; the export has no rows\n$/);
    const upper = await rekindle('--db', db.target.url, 'export', 'sends', '--customer', 'C-A');
    expect(upper.trim().split('\n')).toHaveLength(1);
    expect(stderr).toBe('warning: --customer C-A: no customer of that id in this database; customer ids are case-sensitive: did you mean --customer c-a?; the export has no rows\n');
    // A known customer: their rows, no warning.
    expect(parse(await rekindle('--db', db.target.url, 'export', 'sends', '--customer', 'c-a'), { columns: true })).toHaveLength(1);
    expect(stderr).toBe('');
  });

  it('--excel writes the Excel variant: byte order mark, Chinese headers, shop-local date-times, codes as text', async () => {
    const csv = await rekindle('--db', db.target.url, 'export', 'sends', '--excel');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]).slice(0, 3)).toEqual(['记录编号', '顾客编号', '旅程']);
    expect(rows.map((r) => r['顾客编号'])).toEqual(['c-a', 'c-b']);
    // The id looks like a number: written as ="1" so Excel keeps it text; times as Excel reads a date-time, on the shop's clock.
    expect(rows[0]).toMatchObject({ '记录编号': '="1"', '券码': 'SAVE10', '计划发送时间': '2026-11-11 08:00:00', '发送时间': '2026-11-11 08:00:01', '尝试次数': '1' });
    // Statuses, reasons and channels in the designer's words (core/text/excel-words.ts), as its send table says them.
    expect(rows[0]).toMatchObject({ '状态': '已发送', '原因': '', '券状态': '已发放' });
    expect(rows[1]).toMatchObject({ '状态': '被拦截', '原因': '没有短信营销许可', '渠道': '短信' });
    await expect(rekindle('--db', db.target.url, 'export', 'sends', '--excel', '--format', 'ndjson')).rejects.toThrow(new CliError('--excel: only with --format csv (a spreadsheet opens CSV)'));
  });

  it('NDJSON keeps UTC ISO times for integrations', async () => {
    const out = await rekindle('--db', db.target.url, 'export', 'sends', '--format', 'ndjson', '--flow', 'winback');
    expect(JSON.parse(out.trim())).toMatchObject({ scheduled_at: '2026-11-11T00:00:00.000Z', sent_at: '2026-11-11T00:00:01.000Z' });
  });

  it('refuses an unknown format or status, naming the option', async () => {
    await expect(rekindle('--db', db.target.url, 'export', 'sends', '--format', 'xlsx')).rejects.toThrow(new CliError('--format: expected csv or ndjson, got "xlsx"'));
    await expect(rekindle('--db', db.target.url, 'export', 'sends', '--status', 'lost')).rejects.toThrow(/--status: expected one of queued, sending, sent/);
  });
});
