import { describe, expect, it } from '@jest/globals';
import { ARM_FIELDS, armChoices } from '../../designer/src/model/arm-choices.js';
import { fieldLabel } from '../../designer/src/model/fields.js';
import { PERCENT_FIELDS, percentOfShare, shareOfPercent } from '../../designer/src/model/share-percent.js';

/** An A/B split's fields that name one of its arms are chosen among the arms, by their names. */
const ARMS = [
  { id: 'a', label: '方案 A', weight: 45 },
  { id: 'b', label: '方案 B', weight: 45 },
  { id: 'holdout', label: '对照组', weight: 10, holdout: true },
];

describe("an A/B split's arm fields", () => {
  it('are 对照组, 默认组 and 满额后去向', () => {
    expect([...ARM_FIELDS].map((p) => fieldLabel('zh', p))).toEqual(['对照组', '默认组', '满额后去向']);
  });

  it('offer every arm by the name the marketer gave it, and what leaving it empty means', () => {
    expect(armChoices('zh', 'experiment.control', ARMS, undefined)).toEqual([
      { value: '', label: '（默认：不发送的对照组，没有时第一组）' },
      { value: 'a', label: '方案 A（a）' },
      { value: 'b', label: '方案 B（b）' },
      { value: 'holdout', label: '对照组（holdout）' },
    ]);
    // 默认组 must be chosen: an empty choice only until one is.
    expect(armChoices('zh', 'experiment.test.defaultArm', ARMS, 'b').map((o) => o.value)).toEqual(['a', 'b', 'holdout']);
    expect(armChoices('zh', 'experiment.test.defaultArm', ARMS, undefined)[0]).toEqual({ value: '', label: '（请选择）' });
    expect(armChoices('zh', 'quotaOverflow', [{ id: 'x' }], undefined)).toEqual([{ value: '', label: '（不设）' }, { value: 'x', label: 'x' }]);
  });

  it('keep a choice whose arm was removed, said as gone, so the marketer sees what to change', () => {
    expect(armChoices('zh', 'experiment.control', ARMS.slice(0, 2), 'holdout').at(-1)).toEqual({ value: 'holdout', label: '「holdout」已不存在，请重新选择' });
  });
});

describe('希望检测的提升 as a percentage', () => {
  it('is typed as 10 for a lift of +10% (the file keeps 0.1), as 多次触达比例 is', () => {
    expect(PERCENT_FIELDS.has('experiment.detectLift')).toBe(true);
    expect(percentOfShare(0.1)).toBe('10');
    expect(shareOfPercent('10')).toBe(0.1);
    expect(fieldLabel('zh', 'experiment.detectLift')).toBe('希望检测的提升 %');
  });
});
