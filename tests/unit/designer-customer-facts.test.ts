import { describe, expect, it } from '@jest/globals';
import { customerValueWords } from '../../designer/src/model/words.js';

/** The 客户 view's fact table: every row says something (a blank cell looked like a fact not loaded). */
describe("a customer's fact values (客户 view)", () => {
  it('an empty list of categories says 无, not a blank cell', () => {
    expect(customerValueWords('zh', 'categoriesLastSeason', [])).toBe('无');
    expect(customerValueWords('en', 'tags', [])).toBe('none');
  });
  it('a list with items is listed in Chinese', () => {
    expect(customerValueWords('zh', 'categories', ['dress', 'coat'])).toBe('连衣裙、外套');
  });
});
