import { describe, expect, it } from '@jest/globals';
import { journeyIncrementalEffect, splitIncrementalEffect } from '../../server/src/core/experiment/incremental-effect.js';
import { incrementalEffectWords } from '../../designer/src/model/incremental-effect-words.js';
import { simulationWords, type SimulationResult } from '../../designer/src/model/sim-summary.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/**
 * The simulation panel's incremental effect in Chinese, from the server's figures (the hand-checked
 * example of tests/unit/incremental-effect.test.ts: treated 99/900 paying ¥9,450, holdout 6/100
 * paying ¥480 → 11% against 6%, 5 points, 45 conversions, ¥5,130).
 */
const arm = (arm: string, assigned: number, responders: number, revenue: number, holdout = false) => ({ arm, holdout, assigned, responders, revenue });
const report = (arms: ReturnType<typeof arm>[]) => ({ experimentId: 'launch', nodeId: 'ab', alpha: 0.05, arms });
const launch = splitIncrementalEffect(report([arm('a', 450, 54, 5400), arm('b', 450, 45, 4050), arm('holdout', 100, 6, 480, true)]), true)!;
// Arm a has a label on the canvas, b none (said by its id).
const flow: DraftFlow = { id: 'launch', name: '新品', nodes: [{ id: 'ab', type: 'split', label: 'A/B 测试（留对照组）', arms: [{ id: 'a', label: '邮件抢先看' }, { id: 'b' }] }] };
const result = (incrementalEffect: SimulationResult['incrementalEffect'], entered = 1000): SimulationResult => ({
  days: 14,
  summary: {},
  report: { enrollments: { active: 0, completed: 0, exited: entered }, nodes: [], sends: [] },
  funnel: null,
  incrementalEffect,
});

describe("the simulation panel's incremental effect against the holdout", () => {
  it('says the holdout, both rates, the lift in points, incremental conversions and revenue in yuan, and the caution', () => {
    expect(incrementalEffectWords('zh', { measured: true, splits: [launch] }, flow)).toEqual([
      '增量效果：对照组 100 位顾客不发送消息，占分流的 10.0%。转化率：发送组 11.0%（900 位中 99 位），对照组 6.0%（100 位中 6 位），提升 +5.0 个百分点（95% 区间 -1.7 至 8.9 个百分点，p = 0.1218）',
      // Two messages: which one brought the lift, each against the same holdout, by its label on the canvas.
      '各发送组分别对比对照组：「邮件抢先看」12.0%（450 位中 54 位），提升 +6.0 个百分点（95% 区间 -1.0 至 10.6 个百分点，p = 0.0817）；「b」10.0%（450 位中 45 位），提升 +4.0 个百分点（95% 区间 -2.9 至 8.5 个百分点，p = 0.2122）',
      '增量转化约 45 位（发送组 900 位 × 提升），增量收入 ¥5,130.00（发送组收入 ¥9,450.00 − 900 位 × 对照组人均 ¥4.80）',
      '注意：这个差异在偶然范围内（p = 0.1218，未低于 0.05），要看清效果需要更大的对照组或更长的时间',
    ]);
  });

  it('writes counts in thousands as the rest of the designer, and cautions a holdout too small to tell', () => {
    const big = splitIncrementalEffect(report([arm('a', 12_000, 1320, 132_000), arm('holdout', 20, 1, 80, true)]), true)!;
    const lines = incrementalEffectWords('zh', { measured: true, splits: [big] }, flow);
    expect(lines[0]).toContain('发送组 11.0%（12,000 位中 1,320 位）');
    expect(lines[1]).toMatch(/^增量转化约 720 位（发送组 12,000 位 × 提升），增量收入 ¥84,000.00/);
    expect(lines[2]).toBe('注意：对照组只有 20 位顾客，每边至少需要 30 位才能比较，这些数字还分不清是消息的作用还是偶然');
  });

  it('says once that revenue is not counted when the responses carry no order amount', () => {
    const clicks = splitIncrementalEffect(report([arm('a', 900, 99, 0), arm('holdout', 100, 6, 0, true)]), false)!;
    expect(incrementalEffectWords('zh', { measured: true, splits: [clicks] }, flow)[1]).toBe('增量转化约 45 位（发送组 900 位 × 提升），增量收入无法计算：实验的响应事件不带订单金额（把付款设为响应事件）');
  });

  it('names each split when a journey has more than one holdout', () => {
    const two: DraftFlow = { ...flow, nodes: [...flow.nodes, { id: 'ab2', type: 'split', label: '第二轮' }] };
    const lines = incrementalEffectWords('zh', { measured: true, splits: [launch, { ...launch, nodeId: 'ab2' }] }, two);
    expect(lines.filter((l) => l.startsWith('增量效果（「A/B 测试（留对照组）」）：'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('增量效果（「第二轮」）：'))).toHaveLength(1);
  });

  it('says in one line what to add when the journey has no holdout', () => {
    expect(incrementalEffectWords('zh', journeyIncrementalEffect([{ id: 'start', type: 'entry' }], {}), flow)).toEqual([
      '增量效果：这个旅程没有对照组，无法衡量消息带来的增量；要衡量，在「A/B 分流」步骤里加一组「对照组（不发送）」（例如 10% 的顾客），并填上实验 ID',
    ]);
    expect(incrementalEffectWords('zh', { measured: false, reason: 'holdout-without-experiment', splits: ['ab'] }, flow)).toHaveLength(1);
  });

  it('stands in the simulation summary when customers entered, and not from an older server', () => {
    expect(simulationWords('zh', result({ measured: true, splits: [launch] }))).toContain('增量转化约 45 位（发送组 900 位 × 提升），增量收入 ¥5,130.00（发送组收入 ¥9,450.00 − 900 位 × 对照组人均 ¥4.80）');
    expect(simulationWords('zh', result(undefined)).some((l) => l.startsWith('增量'))).toBe(false);
    expect(simulationWords('zh', result({ measured: true, splits: [launch] }, 0)).some((l) => l.startsWith('增量'))).toBe(false);
  });
});
