/**
 * A Taobao export row that is refused writes nothing, not even its buyer (walkthrough): 小王's two
 * rows were both refused (是否手机订单 "平板"; an order created in 2099), yet 小王 was created with the
 * name, phone, address and device of the refused line 10, because the buyers were written before
 * their orders met the orders import's time rule. And the import counted error messages, not rows:
 * line 10 has two (订单创建时间 and 订单付款时间), so 5 refused rows were said as "6 row(s) refused"
 * in the CLI's summary and exit message and as `failed 6` in the audit log. The future-date error
 * also named the internal field (createdAt) where every other error names the export's column.
 * CLI and `POST /api/import/taobao` alike, on a GB18030 CRLF export as the seller center writes it.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { VirtualClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const dir = tempDir('rekindle-taobao-refused-');
const rekindle = (...args: string[]) => cli(['--rules', join(process.cwd(), 'rules'), ...args]);

const HEAD = '订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,是否手机订单';
/** Lines 2–10 of the export. Refused: 4, 6, 7, 8 and 10 (line 10 twice: created and paid in 2099). */
const ROWS = [
  '="2026100100000001",老李,99.00,交易成功,李四,江苏省 南京市 鼓楼区,13800000001,2026-10-01 10:00:00,2026-10-01 10:05:00,T恤,',
  '="2026100200000002",阿强,120.00,交易成功,强哥,广东省 广州市 天河区,13700000001,2026-10-02 10:00:00,2026-10-02 10:05:00,连衣裙,',
  '="2026100300000003",阿美,50.00,退货中,美美,四川省 成都市,13600000001,2026-10-03 10:00:00,2026-10-03 10:05:00,围巾,',
  '="2026100400000004",老李,60.00,交易成功,李四,江苏省 南京市 鼓楼区,13800000001,2026-10-04 10:00:00,2026-10-04 10:05:00,外套,',
  '="2026100500000005",,30.00,交易成功,无名,浙江省 杭州市,13800000005,2026-10-05 10:00:00,2026-10-05 10:05:00,围巾,',
  '="2026100600000006",小王,88.00,交易成功,王小二,上海市 浦东新区,13900001111,2026-10-06 10:00:00,2026-10-06 10:05:00,连衣裙,平板',
  // 阿强's newest order, and refused: his profile and device must stay those of line 3.
  '="2099111100000007",阿强,66.00,等待买家付款,强子,北京市 朝阳区,13700000009,2099-11-11 10:00:00,,外套,手机订单',
  '="2026100800000008",阿花,45.00,交易成功,花花,浙江省 杭州市,13500000001,2026-10-08 10:00:00,2026-10-08 10:05:00,围巾,',
  '="2099111100000009",小王,77.00,交易成功,王小二,上海市 浦东新区 世纪大道1号,13900001111,2099-11-11 10:00:00,2099-11-11 10:05:00,连衣裙,',
];
const gbExport = (rows: string[]) => iconv.encode([HEAD, ...rows].join('\r\n') + '\r\n', 'gb18030');
const AHEAD = (iso: string) => expect.stringMatching(new RegExp(`^more than 1 day ahead of the server clock \\(${iso.replace(/\./g, '\\.')}, server time `));
/** Every message of the refused rows, in line order: line 10 has two. */
const ERRORS = [
  { line: 4, field: '订单状态', message: 'unknown order status "退货中"' },
  { line: 6, field: '买家会员名', message: 'required' },
  { line: 7, field: '是否手机订单', message: '"平板" is neither 手机订单 (a phone\'s order) nor empty (a computer\'s)' },
  { line: 8, field: '订单创建时间', message: AHEAD('2099-11-11T02:00:00.000Z') },
  { line: 10, field: '订单创建时间', message: AHEAD('2099-11-11T02:00:00.000Z') },
  { line: 10, field: '订单付款时间', message: AHEAD('2099-11-11T02:05:00.000Z') },
];
const customersIn = async (db: string) => {
  const ds = await openDatabase({ url: db });
  try {
    const rows = await queryRows(ds, 'SELECT c.external_id AS id, c.name, c.phone, c.province, c.city, f.device FROM customers c LEFT JOIN customer_facts f ON f.customer_id = c.id ORDER BY c.external_id');
    return Object.fromEntries(rows.map((r) => [r.id, [r.name, r.phone, r.province, r.city, r.device]]));
  } finally {
    await ds.destroy();
  }
};
const ACCEPTED_CUSTOMERS = {
  老李: ['李四', '13800000001', '江苏', '南京', 'pc'],
  阿强: ['强哥', '13700000001', '广东', '广州', 'pc'],
  阿花: ['花花', '13500000001', '浙江', '杭州', 'pc'],
};

describe('rekindle import taobao: refused rows', () => {
  const file = join(dir, 'ExportOrderList.csv');
  const db = join(dir, 'shop.sqlite');
  let run: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    writeFileSync(file, gbExport(ROWS));
    run = await rekindle('import', 'taobao', file, '--db', db);
  });

  it('creates no customer from refused rows, and takes no profile or device from them for a customer of accepted rows', async () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(': customers 3 created, 0 updated, 0 unchanged; orders 4 created');
    expect(await customersIn(db)).toEqual(ACCEPTED_CUSTOMERS);
    // An existing customer is not updated from a refused row of a later export either.
    const later = join(dir, 'later.csv');
    writeFileSync(later, gbExport([ROWS[6], ROWS[8]]));
    const again = await rekindle('import', 'taobao', later, '--db', db, '--json');
    expect(JSON.parse(again.stdout).customers).toMatchObject({ rows: 0, created: 0, updated: 0 });
    expect(await customersIn(db)).toEqual(ACCEPTED_CUSTOMERS);
  });

  it('counts refused rows, not their messages, in the summary, the exit message and the audit log; every message is still listed', async () => {
    const listed = (run.stdout + run.stderr).split('\n').filter((l) => l.startsWith(`${file}:`));
    expect(listed.map((l) => Number(l.slice(file.length + 1).split(':')[0]))).toEqual(ERRORS.map((e) => e.line));
    expect(run.stdout).toMatch(/; orders 4 created, 0 updated, 0 unchanged; 5 row\(s\) refused\n$/);
    expect(run.stderr).toContain(`error: 5 row(s) of ${file} were not imported`);
    const audit = await rekindle('--json', 'audit', '--db', db, '--target', 'import:taobao');
    expect(JSON.parse(audit.stdout).map((e: { detail: { failed: number } }) => e.detail.failed)).toEqual([2, 5]);
    // --json: the report says it too, beside every message.
    const json = await rekindle('--json', 'import', 'taobao', file, '--db', join(dir, 'json.sqlite'));
    const report = JSON.parse(json.stdout);
    expect(report.refused).toBe(5);
    expect(report.errors.map((e: { line: number }) => e.line)).toEqual(ERRORS.map((e) => e.line));
  });

  it("names the export's own column in the future-date errors, as every other error does", async () => {
    const json = await rekindle('--json', 'import', 'taobao', file, '--db', join(dir, 'columns.sqlite'));
    expect(JSON.parse(json.stdout).errors).toEqual(ERRORS);
    expect(run.stdout + run.stderr).toContain(`${file}:10: 订单创建时间: more than 1 day ahead of the server clock (2099-11-11T02:00:00.000Z`);
    expect(run.stdout + run.stderr).toContain(`${file}:10: 订单付款时间: more than 1 day ahead of the server clock (2099-11-11T02:05:00.000Z`);
    expect(run.stdout + run.stderr).not.toMatch(/: (createdAt|paidAt): /);
  });
});

type AuditEntry = { target: string; detail: { failed: number } };

describe('POST /api/import/taobao: refused rows', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let reply: { customers: object; orders: object; refused: number; errors: unknown[] };

  beforeAll(async () => {
    const rules = tempDir('rekindle-taobao-refused-api-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(Date.parse('2026-11-20T02:00:00Z')), schedulers: false });
    reply = (await api.http().post('/api/import/taobao').set('Content-Type', 'text/csv').send(gbExport(ROWS)).expect(200)).body;
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('writes no buyer of refused rows only, and takes nothing from a refused row for a buyer of accepted rows', async () => {
    expect(reply.customers).toMatchObject({ created: 3, failed: 0 });
    expect(reply.orders).toMatchObject({ created: 4 });
    await api.http().get(`/api/customers/${encodeURIComponent('小王')}`).expect(404);
    const 阿强 = (await api.http().get(`/api/customers/${encodeURIComponent('阿强')}`).expect(200)).body;
    expect(阿强.customer).toMatchObject({ name: '强哥', phone: '13700000001', city: '广州', device: 'pc' });
    expect(阿强.facts).toMatchObject({ orderCount: 1, device: 'pc', unpaidOrderCount: 0 });
  });

  it('answers and audits 5 refused rows, listing all 6 messages by the columns of the export', async () => {
    expect(reply.refused).toBe(5);
    const entries = (await api.http().get('/api/audit?action=imported').expect(200)).body.entries as AuditEntry[];
    expect(entries.filter((e) => e.target === 'import:taobao').map((e) => e.detail.failed)).toEqual([5]);
    expect(reply.errors).toEqual(ERRORS);
  });
});
