import { describe, expect, it } from '@jest/globals';
import { parseTaobaoExport } from '../../server/src/core/data/import/taobao.js';

/**
 * Walked on 4 Dec 2026: tea_lover_cd bought four tins of 正山小种 (¥356) and returned one; the
 * export says 交易成功, 买家实际支付金额 356.00, 退款金额 88.00. `rekindle import taobao` read no
 * 退款金额 and stored ¥356: the customer's total spent and order value counted the returned tin
 * (and the high-value segments with them). The order now counts what the shop kept.
 */
const HEADER = '订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,退款金额';
const row = (id: string, paid: string, status: string, refund: string) => `${id},tea_lover_cd,${paid},${status},刘川,四川省 成都市,18628001234,2026-10-01 21:15:00,2026-10-01 21:16:02,正山小种 红茶 罐装 100g,${refund}`;

describe('rekindle import taobao: 退款金额', () => {
  it('stores what the shop kept of an order partly refunded, and a whole refund as a refunded order of its amount', async () => {
    const text = [HEADER, row('1', '356.00', '交易成功', '88.00'), row('2', '398.00', '交易关闭', '398.00'), row('3', '199.00', '交易成功', '0.00'), row('4', '199.00', '交易成功', ''), row('5', '"1,120.00"', '卖家已发货，等待买家确认', '"￥100.50"')].join('\r\n');
    const { rows } = await parseTaobaoExport(text, 'Asia/Shanghai');
    expect(rows.map((r) => [r.order?.status, r.order?.amount])).toEqual([
      ['completed', 268],
      ['refunded', 398],
      ['completed', 199],
      ['completed', 199],
      ['shipped', 1019.5],
    ]);
  });

  it('refuses a refund that is no amount, or more than was paid on an order that went on, naming the column', async () => {
    const { rows } = await parseTaobaoExport([HEADER, row('1', '356.00', '交易成功', 'eighty'), row('2', '100.00', '交易成功', '120.00')].join('\r\n'), 'Asia/Shanghai');
    expect(rows.map((r) => [r.line, r.error?.field, r.error?.message])).toEqual([
      [2, '退款金额', '"eighty" is not an amount'],
      [3, '退款金额', '120 is more than 买家实际支付金额 100'],
    ]);
  });
});
