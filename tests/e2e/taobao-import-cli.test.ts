/**
 * `rekindle import taobao`: a seller-center order export in GBK (tests/fixtures/taobao/, written
 * for this test) imports with the right customers, amounts, provinces, statuses and shop-local
 * times; `rekindle import cdnow` takes the 4-column CDNOW master format.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const FIXTURE = join(process.cwd(), 'tests/fixtures/taobao/orders-export-gbk.csv');
const dir = tempDir('rekindle-taobao-');
const rekindle = (...args: string[]) => cli(['--rules', join(process.cwd(), 'rules'), ...args]);
const read = async (db: string, sql: string) => {
  const ds = await openDatabase({ url: db });
  try {
    return await queryRows<Record<string, unknown>>(ds, sql);
  } finally {
    await ds.destroy();
  }
};

describe('rekindle import taobao (GBK seller-center export)', () => {
  const db = join(dir, 'shop.sqlite');

  it('detects GBK, maps the Chinese columns, and refuses the row without a buyer by line and column', async () => {
    const r = await rekindle('import', 'taobao', FIXTURE, '--db', db, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.encoding).toBe('gb18030');
    expect(out.errors).toEqual([{ line: 7, field: '买家会员名', message: 'required' }]);
    expect(out.customers).toMatchObject({ created: 3, failed: 0 });
    expect(out.orders).toMatchObject({ created: 5, failed: 0 });
  });

  it('customers: 买家会员名 as the id, province and city from 收货地址, phone', async () => {
    const rows = await read(db, 'SELECT external_id, name, province, city, phone FROM customers ORDER BY external_id');
    expect(rows).toEqual([
      { external_id: '北方的狼', name: '李雷', province: '北京', city: '北京', phone: '13900002222' },
      { external_id: '小红帽2020', name: '王芳', province: '浙江', city: '杭州', phone: '13800001111' },
      { external_id: '广西阿妹', name: '韦丽', province: '广西', city: '南宁', phone: '13700003333' },
    ]);
  });

  it('orders: 订单编号 without Excel quoting, amounts, statuses, and times read in the shop zone (Asia/Shanghai)', async () => {
    const rows = await read(db, 'SELECT external_id, status, amount, created_at, paid_at, promotion, items FROM orders ORDER BY external_id');
    const iso = (v: unknown) => (v === null ? null : new Date(Number(v)).toISOString());
    expect(rows.map((o) => [o.external_id, o.status, Number(o.amount), iso(o.created_at), iso(o.paid_at), o.promotion, JSON.parse(String(o.items))[0].category])).toEqual([
      ['2026100112345001', 'completed', 199, '2026-10-01T02:00:00.000Z', '2026-10-01T02:05:00.000Z', null, 'dress'],
      ['2026101112345002', 'shipped', 89.5, '2026-11-10T16:03:00.000Z', '2026-11-10T16:04:10.000Z', 'double11', 'tops'],
      ['2026102012345003', 'paid', 329, '2026-10-20T13:30:00.000Z', '2026-10-20T13:31:00.000Z', null, 'coat'],
      ['2026102112345004', 'created', 59, '2026-10-21T00:00:00.000Z', null, null, 'accessories'],
      ['2026102212345005', 'refunded', 120, '2026-10-22T04:00:00.000Z', '2026-10-22T04:01:00.000Z', null, 'pants'],
    ]);
    const facts = await read(db, `SELECT c.external_id, f.order_count, f.total_spent, f.double11_years, f.unpaid_order_count FROM customer_facts f JOIN customers c ON c.id = f.customer_id ORDER BY c.external_id`);
    expect(facts.map((f) => [f.external_id, Number(f.order_count), Number(f.total_spent), f.double11_years, Number(f.unpaid_order_count)])).toEqual([
      ['北方的狼', 1, 329, '', 1],
      ['小红帽2020', 2, 288.5, '|2026|', 0],
      ['广西阿妹', 0, 0, '', 0], // refunded: no purchase
    ]);
  });

  it('importing the same export again changes nothing', async () => {
    const out = JSON.parse((await rekindle('import', 'taobao', FIXTURE, '--db', db, '--json')).stdout);
    expect(out.orders).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
  });

  it('refuses a file that is not a Taobao export, naming the missing columns', async () => {
    const bad = join(dir, 'not-taobao.csv');
    writeFileSync(bad, 'externalId,amount\no1,10\n');
    const r = await rekindle('import', 'taobao', bad, '--db', db);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a Taobao order export: missing column(s) 订单编号, 买家会员名');
  });
});

describe('rekindle import cdnow (the 4-column master file)', () => {
  it('imports customers and completed orders', async () => {
    const file = join(dir, 'CDNOW_master.txt');
    writeFileSync(file, '00001 19970101 1 11.77\r\n00002 19970112 1 12.00\r\n00002 19970112 5 77.00\r\n');
    const db = join(dir, 'cdnow.sqlite');
    const r = await rekindle('import', 'cdnow', file, '--db', db, '--json');
    expect(r.code).toBe(0);
    const facts = await read(db, 'SELECT c.external_id, f.order_count, f.total_spent FROM customer_facts f JOIN customers c ON c.id = f.customer_id ORDER BY c.external_id');
    expect(facts.map((f) => [f.external_id, Number(f.order_count), Number(f.total_spent)])).toEqual([
      ['00001', 1, 11.77],
      ['00002', 2, 89],
    ]);
  });
});
