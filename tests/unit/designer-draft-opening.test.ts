import { describe, expect, it } from '@jest/globals';
import { draftOpeningWords } from '../../designer/src/model/draft-opening.js';

/** The line on opening a draft: only when a live version runs beside it, saying what it is. */
describe('opening a draft', () => {
  it('says nothing for a journey never published or a draft this tab just created', () => {
    expect(draftOpeningWords('zh', true, null)).toBeNull();
    expect(draftOpeningWords('zh', false, 2)).toBeNull();
  });
  it('says the marketer is on unpublished changes while customers stay on the live version', () => {
    expect(draftOpeningWords('zh', true, 2)).toBe('打开的是未发布的修改（草稿）：顾客仍在走线上 v2，发布后才生效');
  });
});
