import { describe, expect, it } from '@jest/globals';
import { ApiError, NoAnswer } from '../../designer/src/api-error.js';
import { retried } from '../../designer/src/model/retried.js';
import { loadFailureWords } from '../../designer/src/model/load-failure.js';
import { MissingFlow } from '../../designer/src/model/missing-flow.js';

/** The journeys home and opening a flow (ui/hooks/useRetriedLoad.ts): asked again, then said in the marketer's words. */
describe('a screen whose opening load fails', () => {
  const sleep = async () => {};

  it('is not asked again for what the load itself calls an answer (a missing flow)', async () => {
    let calls = 0;
    const missing = new MissingFlow('gone', null);
    const load = async () => (++calls, Promise.reject(missing));
    await expect(retried(load, { waits: [1, 1], sleep, worth: (e) => !(e instanceof MissingFlow) })).rejects.toBe(missing);
    expect(calls).toBe(1);
  });

  it('says what could not be loaded and why, in Chinese, instead of the raw English', () => {
    expect(loadFailureWords('zh', 'home', new NoAnswer(new TypeError('Failed to fetch')))).toEqual({ text: '旅程列表暂时加载不了：服务器没有响应', retry: '重试' });
    expect(loadFailureWords('zh', 'flow', new ApiError(503, 'Service Unavailable')).text).toBe('这个旅程暂时打不开：服务器出错（503）');
    expect(loadFailureWords('en', 'home', new ApiError(502, 'Bad Gateway')).text).toBe('The journeys could not be loaded: the server failed (502)');
  });

  it('keeps the server\'s words for a refusal (4xx)', () => {
    expect(loadFailureWords('zh', 'flow', new ApiError(403, 'Forbidden')).text).toBe('这个旅程暂时打不开：Forbidden');
  });
});
