import { describe, expect, it } from '@jest/globals';
import { SHOWN_ERRORS, taobaoBusyWords, taobaoImportWords, taobaoRefusalWords, type TaobaoImportReply } from '../../designer/src/model/taobao-import-words.js';

const reply = (errors: TaobaoImportReply['errors']): TaobaoImportReply => ({
  encoding: 'gb18030',
  customers: { created: 3, updated: 1, unchanged: 0, failed: 0 },
  orders: { created: 5, updated: 0, unchanged: 2, failed: 0 },
  refused: new Set(errors.map((e) => e.line)).size,
  errors,
});

describe('what the customers page says after a Taobao export was imported', () => {
  it('counts what came in, and names each refused row by its line in the file and its column', () => {
    const w = taobaoImportWords('zh', reply([{ line: 7, field: '买家会员名', message: 'required' }, { line: 9, field: '(row)', message: 'wrong number of columns: expected 14 as in the header, got 8' }]));
    expect(w.summary).toBe('已导入：顾客新增 3、更新 1、未变 0；订单新增 5、更新 0、未变 2；2 行没有导入（见下）');
    expect(w.errors).toEqual(['第 7 行 · 买家会员名：不能为空', '第 9 行：wrong number of columns: expected 14 as in the header, got 8']);
    expect(taobaoImportWords('zh', reply([])).summary).toMatch(/；没有出错的行$/);
  });

  it('counts the rows not imported, not their errors: a row created and paid in 2099 has two', () => {
    const ahead = 'more than 1 day ahead of the server clock';
    const w = taobaoImportWords('zh', reply([{ line: 7, field: '是否手机订单', message: 'x' }, { line: 10, field: '订单创建时间', message: ahead }, { line: 10, field: '订单付款时间', message: ahead }]));
    expect(w.summary).toMatch(/；2 行没有导入（见下）$/);
    expect(w.errors).toHaveLength(3);
  });

  it('lists the first rows and says how many more', () => {
    const many = Array.from({ length: SHOWN_ERRORS + 5 }, (_, i) => ({ line: i + 2, field: '订单状态', message: 'unknown order status "x"' }));
    const w = taobaoImportWords('zh', reply(many));
    expect(w.errors).toHaveLength(SHOWN_ERRORS);
    expect(w.more).toBe('还有 5 行没有列出');
  });

  it('says a file that is no order export in words, naming the missing columns', () => {
    expect(taobaoRefusalWords('zh', 'taobao.csv: not a Taobao order export: missing column(s) 订单编号, 买家会员名 (found: externalId, name…); nothing was imported')).toBe(
      '这不是淘宝/天猫卖家中心的订单导出：缺少列 订单编号、买家会员名（文件的列是：externalId、name…）。请在卖家中心「已卖出的宝贝」导出订单报表后原样上传',
    );
  });

  it('says how much of an export is uploaded, then that it is being imported', () => {
    const MB = 1024 * 1024;
    expect(taobaoBusyWords('zh', 'ExportOrderList.csv', null, 7.4 * MB)).toBe('正在上传「ExportOrderList.csv」…');
    expect(taobaoBusyWords('zh', 'ExportOrderList.csv', 3.1 * MB, 7.4 * MB)).toBe('正在上传「ExportOrderList.csv」… 41%（3.1 / 7.4 MB）');
    expect(taobaoBusyWords('zh', 'ExportOrderList.csv', 7.4 * MB, 7.4 * MB)).toBe('「ExportOrderList.csv」已上传（7.4 MB），正在导入…');
    expect(taobaoBusyWords('en', 'a.csv', MB, 4 * MB)).toBe('Uploading "a.csv"… 25% (1.0 / 4.0 MB)');
  });
});
