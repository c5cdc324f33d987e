import { describe, expect, it } from '@jest/globals';
import { skuInLink } from '../../server/src/core/experiment/product-clicks.js';

describe('a send step link showing a product (its sku in the URL)', () => {
  it('finds the sku as a path segment, with or without an extension, or as a query value, in any case', () => {
    expect(skuInLink('https://shop.example.com/item/DRESS-26', 'DRESS-26')).toBe(true);
    expect(skuInLink('https://shop.example.com/item/dress-26.html?from=sms', 'DRESS-26')).toBe(true);
    expect(skuInLink('https://item.taobao.com/item.htm?id=6123456&spm=a1', '6123456')).toBe(true);
    expect(skuInLink('https://shop.example.com/item/%E8%BF%9E%E8%A1%A3%E8%A3%99-1', '连衣裙-1')).toBe(true);
  });
  it('does not take a part of a segment, another product, or a link that is no URL', () => {
    expect(skuInLink('https://shop.example.com/item/DRESS-261', 'DRESS-26')).toBe(false);
    expect(skuInLink('https://shop.example.com/new/summer-dress', 'DRESS-26')).toBe(false);
    expect(skuInLink('https://DRESS-26.example.com/', 'DRESS-26')).toBe(false);
    expect(skuInLink('not a url', 'DRESS-26')).toBe(false);
  });
});
