import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../designer/src/api-error.js';
import { errorText } from '../../designer/src/model/error-words.js';

/**
 * A publish refused because the flow file changed in git after the drawing was opened
 * (POST /api/flows/:id/publish → 409 file-changed) is said to the marketer in words: why nothing
 * was published (it would undo a developer's change) and what to do, not the server's English.
 */
describe('the designer says a refused publish of a drawing older than its file in words', () => {
  const refused = new ApiError(409, 'rules/flows/post-purchase-care.flow.yaml was changed after this drawing was opened from it …', [], {
    code: 'file-changed',
    message: 'rules/flows/post-purchase-care.flow.yaml was changed after this drawing was opened from it …',
    ifFileVersion: '0123456789abcdef',
    fileVersion: 'fedcba9876543210',
  });

  it('in Chinese and in English', () => {
    expect(errorText('zh', refused)).toBe('这个旅程的文件在你打开之后被开发同事改过（git 提交）：现在发布会把他们的修改改回去，所以没有发布。请先对比文件的新内容，在它上面重新修改后再发布');
    expect(errorText('en', refused)).toContain('publishing now would undo that change, so nothing was published');
  });
});
