import type { Lang } from './i18n.js';
import { pValueText } from './report-warning-words.js';

/**
 * The report's overall test in words (`overall`: the two-proportion z-test for two arms, Pearson's
 * chi-square for more), with its verdict at the experiment's alpha — the line `rekindle report`
 * prints under its table ("chi-square across 3 arms: p = 0.8855 (not significant at 0.05)"). The
 * designer's panel had each arm's p against the control and P(best) but never said whether the
 * arms differ at all: an analyst walking a simulated launch read the holdout's 最优概率 65.2% and
 * the arms' lifts of -27.4% / -20.8% with nothing saying that none of it was significant.
 * Pure, so the panel only renders the words.
 */
export function overallTestWords(lang: Lang, r: { alpha: number; arms: readonly unknown[]; overall: { test: string; pValue: number; significant: boolean } }): string {
  const p = pValueText(r.overall.pValue);
  const pSaid = p.startsWith('<') ? `p ${p}` : `p = ${p}`;
  const k = r.arms.length;
  const twoArms = r.overall.test === 'z';
  if (lang === 'en') return `${twoArms ? 'two-proportion z-test' : `chi-square across ${k} arms`}: ${pSaid} (${r.overall.significant ? 'significant' : 'not significant'} at ${r.alpha})`;
  const test = twoArms ? '两组比例 z 检验' : `${k} 组卡方检验`;
  return r.overall.significant
    ? `整体检验（${test}）：${pSaid}，在 ${r.alpha} 的显著性水平下各组响应率差异显著`
    : `整体检验（${test}）：${pSaid}，在 ${r.alpha} 的显著性水平下各组响应率差异不显著，上表的差别可能只是偶然`;
}
