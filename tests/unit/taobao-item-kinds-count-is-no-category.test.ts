import { describe, expect, it } from '@jest/globals';
import { parseTaobaoExport } from '../../server/src/core/data/import/taobao.js';

/**
 * Walked on 4 Dec 2026 (a tea shop's own export): the seller center's order report fills 宝贝种类
 * with the number of different items in the order ("1", "2"), and `rekindle import taobao` stored
 * that number as the item's category: every order of the export was in category "1", so the
 * categories facts (and every segment on categories, e.g. bought-dress-same-season-last-year) read
 * "1". A count is no category: 类目 when the export has it, else a keyword of the title.
 */
const HEADER = '订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,宝贝总数量';
const row = (id: string, title: string, kinds: string) => `${id},buyer${id},10.00,交易成功,李,北京市 北京市,13800001112,2026-11-03 10:00:00,2026-11-03 10:05:00,${title},${kinds},1`;
const categories = async (text: string) => (await parseTaobaoExport(text, 'Asia/Shanghai')).rows.map((r) => r.order?.items[0].category);

describe('rekindle import taobao: 宝贝种类', () => {
  it('reads a number in 宝贝种类 as a count of items, not as their category', async () => {
    const text = [HEADER, row('1', '夏季新款碎花连衣裙', '1'), row('2', '纯棉短袖T恤', '2'), row('3', '明前龙井 特级 250g 礼盒装', '1'), row('4', '真丝围巾', ' 3 ')].join('\r\n');
    // The tea title is tea since the titles' kinds go beyond clothing (taobao-title-categories.test.ts).
    expect(await categories(text)).toEqual(['dress', 'tops', 'tea', 'accessories']);
  });

  it('still reads a word in 宝贝种类 as the category', async () => {
    expect(await categories([HEADER, row('1', '礼盒', '连衣裙'), row('2', '礼盒', 'tea')].join('\r\n'))).toEqual(['dress', 'tea']);
  });

  it('takes 类目 when 宝贝种类 is a count', async () => {
    const text = [`${HEADER},类目`, `${row('1', '明前龙井 特级', '1')},tea`].join('\r\n');
    expect(await categories(text)).toEqual(['tea']);
  });
});
