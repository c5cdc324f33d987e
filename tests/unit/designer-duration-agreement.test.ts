import { describe, expect, it } from '@jest/globals';
import { durationWords, normalizeDuration } from '../../designer/src/model/duration.js';
import { stepName } from '../../designer/src/model/step-name.js';
import { nodeSummary } from '../../designer/src/model/summary.js';
import { parseDuration } from '../../server/src/core/flow/duration.js';

/**
 * A wait whose file says `duration: 2 hours` (written by hand): the card said 等待 2 小时 while the
 * inspector and the server's checks said it is not a valid duration. The card now says what the
 * file holds and that it is not a duration; typed into the inspector, the same words are read.
 */
describe('a duration the card and the inspector agree on', () => {
  const wait = (duration: string) => ({ id: 'w', type: 'wait' as const, duration, next: 'end' });

  it('says a value not in the file form as it is and flags it, on the card and in the step name, as the server refuses it', () => {
    for (const bad of ['2 hours', '2 小时', '2小时']) {
      expect(() => parseDuration(bad)).toThrow(/is not a duration/);
      expect(nodeSummary('zh', wait(bad))).toBe(`等待 「${bad}」（不是有效的时长）`);
      expect(stepName('zh', wait(bad))).toBe(`等待 「${bad}」（不是有效的时长）`);
    }
    expect(nodeSummary('en', wait('2 hours'))).toBe('Wait "2 hours" (not a valid duration)');
  });

  it('says the file form in words, and reads the same words typed into the inspector into the file form the server reads', () => {
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(nodeSummary('zh', wait('2h'))).toBe('等待 2 小时');
    expect(durationWords('zh', '1d12h')).toBe('1 天 12 小时');
    for (const typed of ['2 hours', '2 小时', '两小时']) expect(normalizeDuration(typed)).toBe('2h');
  });
});
