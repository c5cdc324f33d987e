import { describe, expect, it } from '@jest/globals';
import { LIST_TITLE_MAX as SERVER_MAX } from '../../server/src/core/policy/list-title.js';
import { LIST_TITLE_MAX, listTitleAction, listTitleProblem, listTitleRule, listTitleSaveWords } from '../../designer/src/model/list-title-edit.js';

/**
 * An admin names a block list on the contact-rules page (designer/src/model/list-title-edit.ts): the
 * rule said before saving, a bad title named by its field before the round trip, and the server's
 * refusals (PUT /api/policy/lists/:name) said in the same words, never its English message.
 */
describe('naming a block list on the contact-rules page', () => {
  it('offers 起名称 for an untitled list and 改名称 for a titled one', () => {
    expect(listTitleAction('zh', null)).toBe('起名称');
    expect(listTitleAction('zh', '差评顾客')).toBe('改名称');
    expect(listTitleAction('en', '差评顾客')).toBe('Rename');
  });

  it('says the server\'s rule before saving: 1–60 characters, one line', () => {
    expect(LIST_TITLE_MAX).toBe(SERVER_MAX);
    expect(listTitleRule('zh')).toContain('名单名称：1–60 个字，一行');
    expect(listTitleRule('en')).toContain('1–60 characters on one line');
  });

  it('names the field for an empty, overlong or multi-line title, counting characters as the server does', () => {
    expect(listTitleProblem('zh', '  差评顾客 ')).toBeNull();
    expect(listTitleProblem('zh', '差'.repeat(60))).toBeNull();
    expect(listTitleProblem('zh', '   ')).toBe('「名单名称」不能为空');
    expect(listTitleProblem('zh', '差'.repeat(61))).toBe('「名单名称」最多 60 个字（现在 61 个）');
    // An emoji is one character to the server (code points), two UTF-16 units to String.length.
    expect(listTitleProblem('zh', '😀'.repeat(60))).toBeNull();
    expect(listTitleProblem('zh', '差评\n顾客')).toBe('「名单名称」只能是一行，不能有换行或控制字符');
    expect(listTitleProblem('en', '')).toBe('List name: must not be empty');
  });

  it('says the server\'s 400s naming the field, and a 403 and a 404 in words', () => {
    // As api.ts throws them: the validation pipe's messages are in the body, the error's own message is the status text.
    const refused = (status: number, message: unknown) => ({ status, message: 'Bad Request', body: { message, statusCode: status } });
    expect(listTitleSaveWords('zh', refused(400, ['title: must not be empty']), 'bad-reviews')).toBe('「名单名称」不能为空');
    expect(listTitleSaveWords('zh', refused(400, ['title: at most 60 characters (got 75)']), 'bad-reviews')).toBe('「名单名称」最多 60 个字（现在 75 个）');
    expect(listTitleSaveWords('zh', refused(400, ['title: must be one line, without control characters']), 'bad-reviews')).toBe('「名单名称」只能是一行，不能有换行或控制字符');
    expect(listTitleSaveWords('zh', refused(400, ['title: the list\'s title, what people call it (e.g. 差评顾客), at most 60 characters is required']), 'bad-reviews')).toBe('「名单名称」没有填写或不是文字');
    expect(listTitleSaveWords('zh', { status: 403, message: 'Forbidden', body: null }, 'bad-reviews')).toBe('只有管理员可以给屏蔽名单起名称');
    expect(listTitleSaveWords('zh', { status: 404, message: 'name: no block list "gone"', body: null }, 'gone')).toContain('名单「gone」已经不在了');
    // Anything else is not about the title: the page says it as any other error.
    expect(listTitleSaveWords('zh', { status: 500, message: 'Internal Server Error', body: null }, 'bad-reviews')).toBeNull();
    expect(listTitleSaveWords('zh', new Error('Failed to fetch'), 'bad-reviews')).toBeNull();
  });
});
