import { describe, expect, it } from '@jest/globals';
import { productClicksSummary, productRows, type ProductClicksReply } from '../../designer/src/model/product-clicks-words.js';

const reply = (o: Partial<ProductClicksReply> = {}): ProductClicksReply => ({
  flowId: 'launch',
  nodeId: 'mail',
  link: 'https://shop.example.com/item/DRESS-26',
  window: '7d',
  delivered: 1200,
  clickers: 300,
  clickRate: 0.25,
  clickersPaid: 6,
  clickConversion: 0.02,
  clickersRevenue: 1794,
  responders: 40,
  respondersRevenue: 11960.5,
  ordersWithoutItems: 0,
  products: [
    { sku: 'DRESS-26', category: 'dress', clickers: 300, buyers: 12, clickedBuyers: 6, quantity: 13, revenue: 3887 },
    { sku: 'BELT-1', category: 'accessory', clickers: null, buyers: 30, clickedBuyers: 0, quantity: 30, revenue: 1770 },
  ],
  ...o,
});

describe("a send step's products and clicks in the marketer's words", () => {
  it('says the step\'s clicks and what clickers paid in one line, in Chinese', () => {
    expect(productClicksSummary('zh', reply())).toBe('送达 1,200 人，点击 300 人（25.0%），点击后 7 天内付款 6 人（2.0%），¥1,794.00；发送后 7 天内付款 40 人，¥11,960.50');
    expect(productClicksSummary('zh', reply({ window: '48h', ordersWithoutItems: 3 }))).toBe('送达 1,200 人，点击 300 人（25.0%），点击后 48h 内付款 6 人（2.0%），¥1,794.00；发送后 48h 内付款 40 人，¥11,960.50；其中 3 笔订单没有商品明细，不在下表');
    expect(productClicksSummary('en', reply())).toBe('delivered 1,200, clicked 300 (25.0%), paid within 7 days of clicking 6 (2.0%), ¥1,794.00; paid within 7 days of the message 40, ¥11,960.50');
  });

  it('lists the products as the server ranks them, clicks only on the product the link shows', () => {
    expect(productRows('zh', reply())).toEqual([
      { sku: 'DRESS-26', category: 'dress', clickers: '300', buyers: '12', clickedBuyers: '6', revenue: '¥3,887.00' },
      { sku: 'BELT-1', category: 'accessory', clickers: '–', buyers: '30', clickedBuyers: '0', revenue: '¥1,770.00' },
    ]);
  });
});
