import { describe, expect, it } from '@jest/globals';
import { parseTaobaoExport } from '../../server/src/core/data/import/taobao.js';
import { WHOLE_ROW } from '../../server/src/core/data/import/row-mapper.js';

/**
 * Walked on 3 Dec 2026: `rekindle import taobao` stored 订单创建时间 2026-11-31 10:00:00 as
 * 1 December (the other imports refuse it: "2026-11 has 30 days"), and a row cut short after
 * 订单创建时间 (8 of 14 values) was imported as an unpaid order, the missing cells read as empty.
 */
const HEADER = '订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,宝贝总数量,店铺优惠券,订单备注';
const row = (id: string, created: string, paid: string) => `${id},buyer${id},10.00,交易成功,李,北京市 北京市,13800001112,${created},${paid},连衣裙,,1,,`;

describe('rekindle import taobao', () => {
  it('refuses an impossible date or time, naming the column and why, as the other imports do', async () => {
    const text = [HEADER, row('1', '2026-11-31 10:00:00', '2026-12-01 10:00:00'), row('2', '2026-02-29 10:00', '2026-03-01 10:00'), row('3', '2026-11-03 10:00:00', '2026-11-03 24:30:00'), row('4', '2026-13-01', '2026-11-01'), row('5', '2028-02-29 23:59:59', '2028-03-01 00:00:00')].join('\r\n');
    const { rows } = await parseTaobaoExport(text, 'Asia/Shanghai');
    expect(rows.filter((r) => r.error).map((r) => [r.line, r.error!.field, r.error!.message])).toEqual([
      [2, '订单创建时间', '"2026-11-31 10:00:00" is not a date: 2026-11 has 30 days'],
      [3, '订单创建时间', '"2026-02-29 10:00" is not a date: 2026-02 has 28 days'],
      [4, '订单付款时间', '"2026-11-03 24:30:00" is not a time of day (00:00:00 to 23:59:59)'],
      [5, '订单创建时间', '"2026-13-01" is not a date: there is no month 13'],
    ]);
    // A leap day in a leap year is a date.
    expect(rows.find((r) => r.line === 6)?.order).toMatchObject({ createdAt: Date.parse('2028-02-29T23:59:59+08:00') });
  });

  it('refuses a time outside 1990–2100, as the CSV import does, naming the line and the column', async () => {
    const text = [HEADER, row('1', '1900-01-01 10:00:00', '1900-01-01 10:05:00'), row('2', '2026-11-03 10:00:00', '2100-01-02 00:00:00'), row('3', '1990-01-01 08:00:00', '1990-01-01 08:05:00')].join('\r\n');
    const { rows } = await parseTaobaoExport(text, 'Asia/Shanghai');
    expect(rows.filter((r) => r.error).map((r) => [r.line, r.error!.field, r.error!.message])).toEqual([
      [2, '订单创建时间', '"1900-01-01 10:00:00" is out of range: times must fall between 1990-01-01 and 2100-01-01'],
      [3, '订单付款时间', '"2100-01-02 00:00:00" is out of range: times must fall between 1990-01-01 and 2100-01-01'],
    ]);
    // The first moment of the span (1990-01-01 00:00 UTC, 08:00 in Beijing) is in it.
    expect(rows.find((r) => r.line === 4)?.order).toMatchObject({ createdAt: Date.UTC(1990, 0, 1) });
  });

  it('refuses a row with fewer values than the header, naming the columns without one, instead of importing it unpaid', async () => {
    const text = [HEADER, '2,buyer2,10.00,等待买家付款,李,北京市 北京市,13800001112,2026-11-03 10:00:00', row('3', '2026-11-03 10:00:00', '2026-11-03 10:05:00')].join('\r\n');
    const { rows } = await parseTaobaoExport(text, 'Asia/Shanghai');
    expect(rows[0]).toEqual({ line: 2, error: { field: WHOLE_ROW, message: 'wrong number of columns: expected 14 as in the header, got 8 (no value for 订单付款时间, 宝贝标题, 宝贝种类, 宝贝总数量 and 2 more)' } });
    expect(rows.find((r) => r.line === 3)?.order).toMatchObject({ externalId: '3', status: 'completed' });
  });
});
