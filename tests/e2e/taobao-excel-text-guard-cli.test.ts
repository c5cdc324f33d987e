/**
 * `rekindle import taobao` of an export whose order numbers (and a phone) are written unquoted as
 * ="2026100112345001" (Excel's text guard): read as the text inside, as the quoted form always was;
 * a file the CSV reader still cannot read is refused naming the file and the line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { csvRecordBlocks } from '../../server/src/core/data/import/csv-records.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const FIXTURE = join(process.cwd(), 'tests/fixtures/taobao/orders-export-excel-guard.csv');
const dir = tempDir('rekindle-taobao-guard-');
const rekindle = (...args: string[]) => cli(['--rules', join(process.cwd(), 'rules'), ...args]);

describe('Excel ="…" text guard in CSV imports', () => {
  it('rekindle import taobao stores the order numbers and phone inside ="…"', async () => {
    const db = join(dir, 'shop.sqlite');
    const r = await rekindle('import', 'taobao', FIXTURE, '--db', db, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ds = await openDatabase({ url: db });
    try {
      expect((await queryRows(ds, 'SELECT external_id FROM orders ORDER BY external_id')).map((o) => o.external_id)).toEqual(['2026100112345001', '2026101112345002', '2026102012345003']);
      expect((await queryRows(ds, "SELECT phone FROM customers WHERE external_id = '北方的狼'"))[0].phone).toBe('13900002222');
    } finally {
      await ds.destroy();
    }
  });

  it('rekindle import taobao reads ="…" on a line whose address holds a quoted comma (a line csv-parse reads)', async () => {
    const file = join(dir, 'comma.csv');
    writeFileSync(file, '订单编号,买家会员名,买家实际支付金额,订单状态,收货地址,订单创建时间,订单付款时间,宝贝标题\n="2026100100000001",小王,80.00,交易成功,"浙江省 杭州市 西湖区, 文三路 1 号",2026-10-01 10:00:00,2026-10-01 10:05:00,围巾\n="2026100100000002",老李,99.00,交易成功,江苏省 南京市,2026-10-02 10:00:00,2026-10-02 10:05:00,T恤\n');
    const db = join(dir, 'comma.sqlite');
    const r = await rekindle('import', 'taobao', file, '--db', db);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ds = await openDatabase({ url: db });
    try {
      expect((await queryRows(ds, 'SELECT external_id FROM orders ORDER BY external_id')).map((o) => o.external_id)).toEqual(['2026100100000001', '2026100100000002']);
      expect((await queryRows(ds, "SELECT province, city FROM customers WHERE external_id = '小王'"))[0]).toEqual({ province: '浙江', city: '杭州' });
    } finally {
      await ds.destroy();
    }
  });

  it('the import CSV reader reads ="…" as its text and leaves ordinary fields as they were', async () => {
    const records = [];
    for await (const b of csvRecordBlocks(['id,name,note\n="0012",a,"b"\n7,="x",=1\n'])) records.push(...b.map((r) => r.fields));
    expect(records).toEqual([['id', 'name', 'note'], ['0012', 'a', 'b'], ['7', 'x', '=1']]);
  });

  it('a Taobao file the CSV reader cannot read is refused naming the file and line, in no stack', async () => {
    const bad = join(dir, 'broken.csv');
    writeFileSync(bad, '订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间\n1001,buyer,10,交易成功,2026-11-02 10:00:00\n1002,bu"yer,10,交易成功,2026-11-02 10:00:00\n');
    const r = await rekindle('import', 'taobao', bad, '--db', join(dir, 'broken.sqlite'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${bad}: line 3:`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
