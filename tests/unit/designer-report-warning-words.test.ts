import { describe, expect, it } from '@jest/globals';
import { notEnoughWords, pValueText, reportWarningWords, warningText, type ReportWarning } from '../../designer/src/model/report-warning-words.js';
import { buildReport } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const arm = (arm: string, assigned: number, responders: number, holdout = false) => ({ arm, weight: holdout ? 10 : 45, holdout, assigned, exposed: assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });
const x = ExperimentSchema.parse({ id: 'coupon-test', window: '7d', responses: [{ event: 'order_paid' }], detectLift: 0.5 });
/** The report the server builds for these arms (control: the holdout, the last one). */
const report = (...arms: ReturnType<typeof arm>[]) => buildReport({ experimentId: 'coupon-test', flowId: 'f', nodeId: 'ab' }, x, arms, arms[arms.length - 1].arm);
const zh = (w: ReportWarning, name?: (a: string) => string) => warningText(reportWarningWords('zh', w).parts, name);

describe('an experiment report\'s warnings in the marketer\'s words', () => {
  it('says an arm is short of customers, and the bar, from the warning the server gives', () => {
    const [w] = report(arm('a', 44, 0), arm('b', 32, 0), arm('holdout', 9, 0, true)).warnings;
    expect(reportWarningWords('zh', w).known).toBe(true);
    expect(zh(w)).toBe('数据还不够：「holdout」只有 9 位顾客，每组至少需要 30 位，响应率、提升和最优概率才有意义');
    // An arm's name is the shop's own: the panel prints its label, apart from the words.
    expect(zh(w, (a) => (a === 'holdout' ? '不发券' : a))).toBe('数据还不够：「不发券」只有 9 位顾客，每组至少需要 30 位，响应率、提升和最优概率才有意义');
  });

  it('says the control has no response yet, so the sample size cannot be estimated', () => {
    const r = report(arm('a', 246, 0), arm('b', 228, 0), arm('holdout', 49, 0, true));
    expect(r.warnings.map((w) => zh(w))).toEqual(['对照组「holdout」还没有人响应，无法估算每组需要多少顾客']);
    // The panel's note says it once, as the reason there are only counts; the warning is not repeated.
    const note = notEnoughWords('zh', r.enoughData);
    expect(warningText(note.parts)).toBe('数据还不够：对照组「holdout」还没有人响应，无法估算每组需要多少顾客；先不比较响应率和最优概率');
    expect(note.said).toBe('no-baseline');
    expect(warningText(notEnoughWords('zh', report(arm('a', 44, 0), arm('b', 32, 0), arm('holdout', 9, 0, true)).enoughData).parts)).toBe('数据还不够：每组至少需要 30 位顾客才能比较');
  });

  it('says an underpowered test, a lift past 100% and a sample-ratio mismatch with their figures', () => {
    const r = report(arm('a', 500, 40), arm('b', 100, 9), arm('holdout', 100, 5, true));
    expect(r.warnings.map((w) => zh(w))).toEqual([
      '各组人数与设定比例不符（「a」500 位，「b」100 位，「holdout」100 位；设定 45%/45%/10%；p < 0.0001）：请先检查分组和记录，再看结果',
      '样本量不足：要在 5.00% 的响应率上检出 50% 的相对提升，每组需要 1471 位顾客；按各组分配比例，还需 13710 位顾客进入分流',
    ]);
    const high = report(arm('a', 100, 70), arm('b', 100, 75), arm('holdout', 100, 80, true));
    expect(zh(high.warnings[1])).toBe('无法估算每组需要多少顾客：对照组「holdout」的响应率已是 80.00%，再相对提升 50% 就会达到或超过 100%');
    // Every warning the server writes has Chinese words (no English left for the panel).
    for (const w of [...r.warnings, ...high.warnings]) expect(zh(w, () => '组')).not.toMatch(/[a-z]{2,}/);
  });

  it('says the customers still needed as those entering the split at the arms\' shares, by quota as the arms\' shortfalls, and a zero-share arm as unfillable', () => {
    const w = (figures: Record<string, unknown>) => zh({ code: 'underpowered', figures: { detectLift: 0.1, baselineRate: 0.0429, perArm: 36728, significant: false, ...figures }, message: '' } as ReportWarning);
    // The walkthrough's new-product-launch (45/45/10): 总共还差 108179 位 understated it; the 10% holdout needs ten entering for each one it lacks.
    expect(w({ moreCustomers: 340780, basis: 'shares', unfillable: [] })).toBe('样本量不足：要在 4.29% 的响应率上检出 10% 的相对提升，每组需要 36728 位顾客；按各组分配比例，还需 340780 位顾客进入分流');
    expect(w({ moreCustomers: 500, basis: 'shares', unfillable: [], sample: 20 })).toMatch(/还需 500 位顾客进入分流（其中 20% 参与测试）$/);
    expect(w({ moreCustomers: 108179, basis: 'per-arm', unfillable: [] })).toMatch(/；各组按名额分配，总共还差 108179 位（需调高各组名额）$/);
    expect(w({ moreCustomers: 50, basis: 'shares', unfillable: ['retired'] })).toMatch(/还需 50 位顾客进入分流；「retired」的分配比例为 0，进入分流的顾客再多也填不满$/);
    // A server older than `basis` meant the shortfalls summed: said as it said them.
    expect(w({ moreCustomers: 108179 })).toMatch(/；总共还差 108179 位$/);
  });

  it('says the power figures beside a significant result as a planning note, not as a doubt, and p below 0.0001 as "< 0.0001"', () => {
    const r = report(arm('a', 450, 130), arm('b', 450, 120), arm('holdout', 100, 5, true));
    expect(r.overall.significant).toBe(true);
    const w = r.warnings.find((x) => x.code === 'underpowered')!;
    expect(zh(w)).toBe('规划参考：结果已经显著；下次若要在 5.00% 的响应率上检出 50% 的相对提升，每组宜按 1471 位顾客规划（本次按各组分配比例，还需 13710 位顾客进入分流）');
    expect(zh(w)).not.toMatch(/不足/);
    expect(pValueText(r.arms[0].vsControl!.pValue)).toBe('< 0.0001');
    expect(pValueText(0.01234)).toBe('0.0123');
  });

  it('shows a warning it does not know (a newer server) by its English message, marked unknown', () => {
    const w = reportWarningWords('zh', { code: 'novelty-effect', figures: {}, message: 'novelty effect: the lift is fading' });
    expect(w).toEqual({ parts: ['novelty effect: the lift is fading'], known: false });
    expect(reportWarningWords('en', report(arm('a', 44, 0), arm('b', 32, 0), arm('holdout', 9, 0, true)).warnings[0]).parts[0]).toMatch(/^not enough data: arm holdout has 9 customers/);
  });
});
