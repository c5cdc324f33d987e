import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../designer/src/api-error.js';
import { errorText } from '../../designer/src/model/error-words.js';

describe('saving an audience under a taken file name is said in the marketer\'s words', () => {
  it('says a 409 segment-exists in Chinese with the file it would have replaced, not the server\'s English', () => {
    const taken = new ApiError(409, 'a segment "vip" already exists (rules/segments/vip.yaml); choose another name', [], { statusCode: 409, code: 'segment-exists', id: 'vip', message: 'a segment "vip" already exists (rules/segments/vip.yaml); choose another name' });
    const zh = errorText('zh', taken);
    expect(zh).toBe('已经有叫这个名字的人群文件（不会覆盖它）：请在「文件名」里换一个，或换个人群名称 rules/segments/vip.yaml');
    expect(zh).not.toMatch(/already exists/);
  });
});
