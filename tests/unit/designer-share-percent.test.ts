import { describe, expect, it } from '@jest/globals';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { percentOfShare, shareOfPercent } from '../../designer/src/model/share-percent.js';

/**
 * Walk20: the journey's 多次触达比例上限 said 例如 30%, and 30 was refused with 不能大于 1 — the file
 * keeps a fraction (0.3). The inspector now takes and shows a percentage (ui/PercentInput.tsx).
 */
describe('a share typed as a percentage', () => {
  it('reads 30, 30% and 30％ as 0.3, an empty field as unset, and words as not a number', () => {
    expect(shareOfPercent('30')).toBe(0.3);
    expect(shareOfPercent(' 30% ')).toBe(0.3);
    expect(shareOfPercent('30％')).toBe(0.3);
    expect(shareOfPercent('12.5')).toBe(0.125);
    expect(shareOfPercent('33.3')).toBe(0.333);
    expect(shareOfPercent('')).toBeUndefined();
    expect(shareOfPercent('三成')).toBeNaN();
  });

  it('shows 0.3 as 30 without float noise, and nothing for an unset share', () => {
    expect(percentOfShare(0.3)).toBe('30');
    expect(percentOfShare(0.07)).toBe('7');
    expect(percentOfShare(0.125)).toBe('12.5');
    expect(percentOfShare(undefined)).toBe('');
    for (const typed of ['1', '7', '29', '30', '33.3', '57', '99.9', '100']) expect(percentOfShare(shareOfPercent(typed))).toBe(typed);
  });

  it('says the bound of a share over 100% as a percentage, other fields as before', () => {
    const words = (path: string, message: string) => serverProblemWords({ path, message, severity: 'error', nodeId: null } as never);
    expect(words('multiTouchShare', 'multiTouchShare: Too big: expected number to be <=1')).toBe('「多次触达比例上限」不能大于 100%');
    expect(words('nodes.1.priority', 'priority: Too big: expected number to be <=10')).toMatch(/不能大于 10$/);
  });
});
