import { describe, expect, it } from '@jest/globals';
import { unsetPlaceholder } from '../../designer/src/model/unset-placeholder.js';

/**
 * Walkthrough (07-editor-blank): an empty 多次触达比例上限 showed a grey "30" that read as a share
 * already set. Unset, it limits nothing (the engine passes no share; the shop's rules have none).
 * Fields with a schema default said a bare "50" or "7" the same way.
 */
describe('an empty number field says it is unset', () => {
  it('多次触达比例上限: no limit, with the usual value as a hint, not a bare 30', () => {
    expect(unsetPlaceholder('zh', 'multiTouchShare')).toBe('不限（常用 30）');
    expect(unsetPlaceholder('en', 'multiTouchShare')).toBe('no limit (often 30)');
  });

  it('a field with a default names it as the default, a share as a percentage', () => {
    expect(unsetPlaceholder('zh', 'priority', 50)).toBe('默认 50');
    expect(unsetPlaceholder('zh', 'coupon.validDays', 7)).toBe('默认 7');
    expect(unsetPlaceholder('zh', 'experiment.detectLift', 0.1)).toBe('默认 10');
    expect(unsetPlaceholder('en', 'experiment.power', 0.8)).toBe('default 0.8');
    expect(unsetPlaceholder('zh', 'trigger.at', '09:00')).toBe('默认 09:00');
  });

  it('a field with neither shows nothing rather than an example that reads as set', () => {
    expect(unsetPlaceholder('zh', 'caps.max')).toBe('');
  });
});
