/**
 * An analyst's walk-through (w-analyst): the designer's experiment panel gave each arm's p against
 * the control and P(best) (对照组 最优概率 65.2%, lifts -27.4% / -20.8%) but never said whether the
 * arms differ at all, which `rekindle report` says under its table ("chi-square across 3 arms:
 * p = 0.8855 (not significant at 0.05)"). The panel now says the overall test and its verdict
 * (model/overall-test-words.ts), in Chinese, and in English as the CLI words it.
 */
import { describe, expect, it } from '@jest/globals';
import { overallTestWords } from '../../designer/src/model/overall-test-words.js';
import { experimentReportText } from '../../server/src/cli/commands/report.js';
import { buildReport, type ArmData } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';

const x = ExperimentSchema.parse({ id: 'launch', window: '10d', responses: [{ event: 'order_paid' }] });
const arm = (arm: string, assigned: number, responders: number, holdout = false): ArmData => ({ arm, weight: holdout ? 10 : 45, holdout, assigned, exposed: holdout ? 0 : assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });
// The walk's simulated launch: 9 of 219, 10 of 223, 3 of 53 — nothing significant.
const launch = buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, [arm('a', 219, 9), arm('b', 223, 10), arm('holdout', 53, 3, true)], 'holdout');
// Two arms far apart: 120 of 400 against 40 of 400.
const clear = buildReport({ experimentId: 'launch', flowId: 'f', nodeId: 'ab' }, x, [arm('sms', 400, 120), arm('holdout', 400, 40, true)], 'holdout');

describe("the designer's experiment panel says the overall test", () => {
  it('in Chinese: which test, its p and that the arms do not differ significantly', () => {
    expect(launch.overall).toMatchObject({ test: 'chi-square', significant: false });
    expect(overallTestWords('zh', launch)).toBe(`整体检验（3 组卡方检验）：p = ${launch.overall.pValue.toFixed(4)}，在 0.05 的显著性水平下各组响应率差异不显著，上表的差别可能只是偶然`);
  });

  it('in Chinese: a significant two-arm z-test, with p < 0.0001 never as 0.0000', () => {
    expect(clear.overall).toMatchObject({ test: 'z', significant: true });
    expect(clear.overall.pValue).toBeLessThan(0.0001);
    expect(overallTestWords('zh', clear)).toBe('整体检验（两组比例 z 检验）：p < 0.0001，在 0.05 的显著性水平下各组响应率差异显著');
  });

  it('in English as the line `rekindle report` prints from the same report', () => {
    for (const r of [launch, clear]) {
      const cli = experimentReportText({ ...r, decision: null }).split('\n').find((l) => /z-test|chi-square/.test(l));
      expect(overallTestWords('en', r)).toBe(cli);
    }
  });
});
