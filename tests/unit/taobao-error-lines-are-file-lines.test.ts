import { describe, expect, it } from '@jest/globals';
import { parseTaobaoExport } from '../../server/src/core/data/import/taobao.js';

/**
 * Walked on 4 Dec 2026: after an order whose 订单备注 (a buyer's message) ran over three lines, every
 * later error of `rekindle import taobao` named the row as Excel counts them, two lines before where
 * the order is in the file. Each row now names the file line its record starts on.
 */
const HEADER = '订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,宝贝总数量,店铺优惠券,订单备注';
const row = (id: string, amount: string, note: string) => `${id},buyer${id},${amount},交易成功,李,北京市 北京市,13800001112,2026-11-03 10:00:00,2026-11-03 10:05:00,连衣裙,,1,,${note}`;

describe('rekindle import taobao: the lines its rows are named by', () => {
  for (const [name, eol] of [['CR LF', '\r\n'], ['LF', '\n']] as const) {
    it(`names the file line a row starts on after a multi-line buyer message (${name})`, async () => {
      const text = [HEADER, row('1', '10.00', `"请周末送达${eol}不要放快递柜${eol}谢谢"`), row('2', '十块', ''), row('3', '12.00', `"两行${eol}留言"`), row('4', 'x', '')].join(eol);
      const { rows } = await parseTaobaoExport(text, 'Asia/Shanghai');
      expect(rows.map((r) => [r.line, r.order?.externalId ?? r.error!.message])).toEqual([
        [2, '1'],
        [5, '"十块" is not an amount'],
        [6, '3'],
        [8, '"x" is not an amount'],
      ]);
    });
  }
});
