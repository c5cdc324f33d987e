import { describe, expect, it } from '@jest/globals';
import { decisionText, decisionWords, type Decision } from '../../designer/src/model/decision-words.js';
import { buildReport, decideWinner } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const arm = (arm: string, assigned: number, responders: number, holdout = false) => ({ arm, weight: 50, holdout, assigned, exposed: assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });
const x = ExperimentSchema.parse({ id: 'coupon-test', window: '7d', responses: [{ event: 'order_paid' }] });
/** The decision the server records for these arms (control: the last one, default arm "b"). */
const decided = (...arms: ReturnType<typeof arm>[]) => decideWinner(buildReport({ experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' }, x, arms, arms[arms.length - 1].arm), 'b');
const zh = (d: Decision, name?: (a: string) => string) => decisionText(decisionWords('zh', d), name);

describe('a test-then-roll-out decision in the marketer\'s words', () => {
  it('says which arm won and at what level, from the code and figures the server records', () => {
    const d = decided(arm('a', 200, 80), arm('b', 200, 20));
    expect(d.winner).toBe(true);
    expect(decisionWords('zh', d).known).toBe(true);
    expect(zh(d)).toBe('「a」胜出：响应率 40.00%，比其他每一组都显著更好（p < 0.0500；显著性水平 0.05，比较 1 次）。之后的顾客都走「a」。');
  });

  it('says the best arm was not significantly better, and that everyone goes down the default arm', () => {
    const d = decided(arm('a', 100, 12), arm('b', 100, 10));
    expect(zh(d)).toBe('没有胜出的组：响应率最高的「a」（12.00%）并不比「b」（10.00%）显著更好（p = 0.6513，需要小于 0.0500）。之后的顾客都走默认组「b」。');
  });

  it('says there was not enough data: which arm had how many customers, the 30 each needs, and the default arm', () => {
    const d = decided(arm('a', 12, 3), arm('b', 40, 4));
    expect(zh(d)).toBe('数据不够，不判定胜出：测试结束时「a」只有 12 位顾客，每组至少需要 30 位。之后的顾客都走默认组「b」。');
    // An arm's name is the shop's own: the panel prints its label, apart from the words.
    expect(decisionWords('zh', d).parts.filter((p) => typeof p !== 'string')).toEqual([{ arm: 'a' }, { arm: 'b' }]);
    expect(zh(d, (a) => (a === 'a' ? '满 100 减 20' : '不发券'))).toBe('数据不够，不判定胜出：测试结束时「满 100 减 20」只有 12 位顾客，每组至少需要 30 位。之后的顾客都走默认组「不发券」。');
    expect(zh({ arm: 'b', winner: false, reason: '', code: 'not-enough-data', figures: { fewest: { arm: 'a', assigned: 1 }, minPerArm: 30, defaultArm: 'b' } })).toContain('只有 1 位顾客');
  });

  it('says the best arm did worse than the holdout, and that everyone goes down the default arm', () => {
    const d = decideWinner(buildReport({ experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' }, x, [arm('holdout', 100, 30, true), arm('a', 100, 5), arm('b', 100, 4)], 'holdout'), 'b');
    expect(d.code).toBe('behind');
    expect(zh(d)).toBe('没有胜出的组：响应率最高的「a」（5.00%）还不如「holdout」（30.00%）。之后的顾客都走默认组「b」。');
  });

  it('says no customer reached a treatment arm', () => {
    expect(zh({ arm: 'b', winner: false, reason: 'no customers in any treatment arm', code: 'no-treatment-customers', figures: { defaultArm: 'b' } })).toBe('测试组里没有顾客，无法判定胜出。之后的顾客都走默认组「b」。');
  });

  it('reads the code, not the English: a reworded reason still says the same words', () => {
    const d = decided(arm('a', 100, 12), arm('b', 100, 10));
    expect(zh({ ...d, reason: 'the server says it differently now' })).toBe(zh(d));
  });

  it('still says the arm of a decision without a code it knows (recorded before codes, or a newer server), and leaves the reason to be shown as it is', () => {
    const w = decisionWords('zh', { arm: 'a', winner: true, reason: 'picked by hand', code: null, figures: null });
    expect(w.known).toBe(false);
    expect(decisionText(w)).toBe('之后的顾客都走「a」（胜出）');
    expect(decisionWords('zh', { arm: 'a', winner: false, reason: 'no idea' }).known).toBe(false);
    const newer = { arm: 'b', winner: false, reason: 'stopped early', code: 'stopped-early', figures: { defaultArm: 'b' } } as unknown as Decision;
    expect(decisionWords('zh', newer)).toEqual({ parts: ['之后的顾客都走「', { arm: 'b' }, '」'], known: false });
  });

  it('keeps the server\'s reason in English', () => {
    const d = decided(arm('a', 12, 3), arm('b', 40, 4));
    expect(decisionText(decisionWords('en', d))).toBe(`everyone now goes down arm b: ${d.reason}`);
  });
});
