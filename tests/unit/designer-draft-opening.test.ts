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
  it("says at once that the journey's file changed in git since the draft was started, so the draft cannot be published as it is", () => {
    for (const live of [2, null]) expect(draftOpeningWords('zh', true, live, true)).toContain('这个旅程的文件在草稿开始之后被开发同事改过（git 提交），这份草稿不能直接发布');
    expect(draftOpeningWords('en', true, 2, true)).toContain("the journey's file was changed (in git) after this draft was started");
    expect(draftOpeningWords('zh', false, 2, true)).toBeNull();
  });
});
