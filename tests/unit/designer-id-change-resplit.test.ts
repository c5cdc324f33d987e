import { describe, expect, it } from '@jest/globals';
import { idChangeResplitWords } from '../../designer/src/model/id-change-resplit.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

const flow = (split: Record<string, unknown>): DraftFlow => ({
  id: 'journey-20261203',
  name: '双十一 2027',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'd11-audience' }, next: 'split-1' },
    { id: 'split-1', type: 'split', arms: [{ id: 'a', weight: 50, next: 'end' }, { id: 'b', weight: 50, next: 'end' }], ...split },
    { id: 'end', type: 'exit' },
  ],
});

/** Walk20: the id changed at the first publish re-drew the A/B groups the simulation had shown. */
describe('a new journey id at the first publish and its A/B splits', () => {
  it('says that a split without its own 分组种子 draws other customers into each arm under the new id', () => {
    expect(idChangeResplitWords('zh', flow({}), 'journey-20261203', 'd11-audience-email-sms')).toBe('换成新 ID 后，A/B 分流「A/B 分流」按新 ID 重新随机分组：各组比例不变，但分到每组的顾客和刚才的模拟不同，发布后再模拟一次即可看到新的分组');
    expect(idChangeResplitWords('zh', flow({ label: '券 vs 无券' }), 'journey-20261203', 'd11-x')).toContain('A/B 分流「券 vs 无券」');
    expect(idChangeResplitWords('en', flow({}), 'journey-20261203', 'd11-x')).toMatch(/^With the new id, the A\/B split "A\/B split" draws/);
  });

  it('says nothing when the id stays, or every split has its own salt, or there is no split', () => {
    expect(idChangeResplitWords('zh', flow({}), 'journey-20261203', 'journey-20261203')).toBeNull();
    expect(idChangeResplitWords('zh', flow({ salt: 'd11-2027' }), 'journey-20261203', 'd11-x')).toBeNull();
    expect(idChangeResplitWords('zh', { ...flow({}), nodes: flow({}).nodes.filter((n) => n.type !== 'split') }, 'journey-20261203', 'd11-x')).toBeNull();
  });
});
