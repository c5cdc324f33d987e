import { describe, expect, it } from '@jest/globals';
import { moreCustomersWords } from '../../designer/src/model/customer-search-words.js';

/** Marketer walk: searching "c" listed 20 customers and nothing said 2,980 more matched. */
describe('a customer search that matches more than the list shows', () => {
  it('says how many matched and how to narrow it down', () => {
    expect(moreCustomersWords('zh', 3000, 20)).toBe('共 3,000 位顾客符合，这里只显示前 20 位：输入更完整的编号、姓名、电话或邮箱缩小范围');
    expect(moreCustomersWords('en', 21, 20)).toBe('21 customers match; only the first 20 are shown: type more of the id, name, phone or e-mail');
  });

  it('says nothing when the list shows every match (or the server gave no total)', () => {
    expect(moreCustomersWords('zh', 3, 3)).toBeNull();
    expect(moreCustomersWords('zh', undefined, 20)).toBeNull();
  });
});
