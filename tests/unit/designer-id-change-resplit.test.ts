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
    expect(idChangeResplitWords('zh', flow({}), 'journey-20261203', 'd11-audience-email-sms')).toBe('刚才模拟的 A/B 分组不再适用：A/B 分流「A/B 分流」按 ID 随机分组，模拟用的是「journey-20261203」，换成新 ID 后各组比例不变，但分到每组的是另一些顾客。保留「journey-20261203」模拟结果才作数；否则发布后再模拟一次看新的分组');
    expect(idChangeResplitWords('zh', flow({ label: '券 vs 无券' }), 'journey-20261203', 'd11-x')).toContain('A/B 分流「券 vs 无券」');
    expect(idChangeResplitWords('en', flow({}), 'journey-20261203', 'd11-x')).toMatch(/^The A\/B groups of the simulation just run no longer apply: the A\/B split "A\/B split" draws/);
  });

  it('says nothing when no simulation was run (there are no groups to stop applying)', () => {
    expect(idChangeResplitWords('zh', flow({}), 'winback-2026-12', 'winback-dec', false)).toBeNull();
  });

  it('says nothing when the id stays, or every split has its own salt, or there is no split', () => {
    expect(idChangeResplitWords('zh', flow({}), 'journey-20261203', 'journey-20261203')).toBeNull();
    expect(idChangeResplitWords('zh', flow({ salt: 'd11-2027' }), 'journey-20261203', 'd11-x')).toBeNull();
    expect(idChangeResplitWords('zh', { ...flow({}), nodes: flow({}).nodes.filter((n) => n.type !== 'split') }, 'journey-20261203', 'd11-x')).toBeNull();
  });
});
