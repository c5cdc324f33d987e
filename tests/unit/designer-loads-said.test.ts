import { describe, expect, it } from '@jest/globals';
import { ApiError, NoAnswer } from '../../designer/src/api-error.js';
import { retried, worthRetrying } from '../../designer/src/model/retried.js';
import { catalogueFailureWords, loadFailureWords, whyNotLoaded } from '../../designer/src/model/load-failure.js';

/**
 * The designer's one-off loads (live numbers, the server's check, the forms' choices, the ids
 * taken, a customer page's time zone…): asked again only when the server could not answer for now,
 * then said where the data would be, in the marketer's words.
 */
describe('what the designer asks again', () => {
  it('asks again when nothing answered or the server/gateway could not answer for now (502/503/504)', () => {
    expect(worthRetrying(new NoAnswer(new TypeError('Failed to fetch')))).toBe(true);
    for (const status of [502, 503, 504]) expect(worthRetrying(new ApiError(status, 'x'))).toBe(true);
  });

  it('does not ask again after a refusal, the server\'s own bug (500) or a mistake in the designer\'s code', () => {
    for (const status of [400, 401, 403, 404, 409, 500]) expect(worthRetrying(new ApiError(status, 'x'))).toBe(false);
    expect(worthRetrying(new TypeError("Cannot read properties of undefined (reading 'nodes')"))).toBe(false);
    expect(worthRetrying(new SyntaxError('Unexpected token <'))).toBe(false);
  });

  it('gives a code error to the caller at once, without waiting through the tries', async () => {
    let calls = 0;
    const slept: number[] = [];
    const load = async () => {
      calls += 1;
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    };
    await expect(retried(load, { waits: [10, 20], sleep: async (ms) => void slept.push(ms) })).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
    expect(slept).toEqual([]);
  });
});

describe('what the designer says when a load finally fails', () => {
  it('says why in Chinese: no answer, the server\'s failure, a refusal in its words, or the designer\'s own mistake', () => {
    expect(whyNotLoaded('zh', new NoAnswer(new TypeError('Failed to fetch')))).toBe('服务器没有响应');
    expect(whyNotLoaded('zh', new ApiError(503, 'Service Unavailable'))).toBe('服务器出错（503）');
    expect(whyNotLoaded('zh', new ApiError(403, 'Forbidden'))).toBe('Forbidden');
    expect(whyNotLoaded('zh', new TypeError('x is not a function\n    at convert (convert.ts:3)'))).toBe('设计器出错（x is not a function）');
  });

  it('names what did not load, so no count of 0 or free name stands in for it', () => {
    const e = new ApiError(503, 'Service Unavailable');
    expect(loadFailureWords('zh', 'countsStale', e)).toEqual({ text: '实时数字没能更新，画布上仍是上次读取的数字：服务器出错（503）', retry: '重试' });
    expect(loadFailureWords('zh', 'takenIds', e).text).toBe('已有旅程的 ID 暂时加载不了，无法确认这个 ID 没有被占用（发布时服务器仍会检查）：服务器出错（503）');
    expect(loadFailureWords('zh', 'check', e).text).toMatch(/^服务器的检查没能完成/);
    expect(loadFailureWords('zh', 'inFlight', e).text).toBe('旅程中的顾客人数暂时查不到：服务器出错（503）');
    expect(loadFailureWords('zh', 'timezone', new NoAnswer('x')).text).toBe('店铺的时区暂时加载不了，时间按浏览器的时区显示：服务器没有响应');
    expect(loadFailureWords('zh', 'intakeStale', e).text).toBe('事件接入的数字没能更新，这里仍是上次读取的数字：服务器出错（503）');
    expect(loadFailureWords('zh', 'stepNames', new NoAnswer('x')).text).toBe('旅程的步骤名称暂时加载不了，下面有些步骤只显示它的 ID：服务器没有响应');
    expect(loadFailureWords('en', 'segmentCount', e)).toEqual({ text: 'The audience could not be counted: the server failed (503)', retry: 'Try again' });
  });

  it('says which of the forms\' choices did not come', () => {
    expect(catalogueFailureWords('zh', ['events', 'coupons'], new ApiError(502, 'Bad Gateway')).text).toBe('表单的选项暂时加载不了（事件、优惠券）：服务器出错（502）');
    expect(catalogueFailureWords('en', ['shop'], new NoAnswer('x')).text).toBe('The forms\' choices could not be loaded (shop time zone): the server did not answer');
  });
});
