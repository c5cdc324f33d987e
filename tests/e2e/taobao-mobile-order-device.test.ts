/**
 * 是否手机订单 of a Taobao order export (手机订单 for an order placed on the phone, empty for one
 * placed on a computer) was not read, so a shop imported from Taobao had no `device` and the
 * Double 11 mobile/PC groups (seed 001: short links for mobile customers, the main shop link for
 * PC ones; rules/segments/mobile-customers.yaml) were empty. It now sets the customer's device
 * from their newest order, and a value that says neither is refused naming the line and column.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const dir = tempDir('rekindle-taobao-device-');
const rekindle = (...args: string[]) => cli(['--rules', join(process.cwd(), 'rules'), ...args]);
const HEAD = '订单编号,买家会员名,买家实际支付金额,订单状态,收货地址,订单创建时间,订单付款时间,宝贝标题,是否手机订单';
// Newest first, as the seller center exports: 小王's newest order is a phone's, an older one a computer's.
const ROWS = [
  '="2026111100000003",小王,120.00,交易成功,浙江省 杭州市,2026-11-11 00:05:00,2026-11-11 00:06:00,双十一 连衣裙,手机订单',
  '="2026100200000002",老李,99.00,交易成功,江苏省 南京市,2026-10-02 10:00:00,2026-10-02 10:05:00,T恤,',
  '="2026100100000001",小王,80.00,交易成功,浙江省 杭州市,2026-10-01 10:00:00,2026-10-01 10:05:00,围巾,',
  '="2026100100000004",阿强,50.00,交易成功,广东省 广州市,2026-10-01 11:00:00,2026-10-01 11:05:00,围巾,平板',
];

describe('rekindle import taobao: 是否手机订单', () => {
  it("sets each customer's device from their newest order, so rules on device select them", async () => {
    const file = join(dir, 'export.csv');
    writeFileSync(file, [HEAD, ...ROWS].join('\r\n') + '\r\n');
    const db = join(dir, 'shop.sqlite');
    const r = await rekindle('import', 'taobao', file, '--db', db);
    expect(r.stdout + r.stderr).toContain(`${file}:5: 是否手机订单: "平板" is neither 手机订单 (a phone's order) nor empty (a computer's)`);
    const ds = await openDatabase({ url: db });
    try {
      const rows = await queryRows(ds, 'SELECT c.external_id AS id, f.device FROM customers c JOIN customer_facts f ON f.customer_id = c.id ORDER BY c.external_id');
      expect(Object.fromEntries(rows.map((x) => [x.id, x.device]))).toEqual({ 小王: 'mobile', 老李: 'pc' });
    } finally {
      await ds.destroy();
    }
    const seg = await rekindle('segment', 'mobile-customers', '--db', db, '--at', '2026-11-20', '--list', '--json');
    expect(JSON.parse(seg.stdout).count).toBe(1);
  });
});
