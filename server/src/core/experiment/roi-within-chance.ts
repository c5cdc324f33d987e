/**
 * Whether an arm's ROI rests on a lift within chance (its p-value against the control at or above
 * the test's alpha): its incremental revenue is then as likely noise as return, and over a small
 * cost noise makes any ROI (8 SMS for ¥0.40 read 7532181.65% beside p = 0.58). The CLI's text
 * (cli/commands/report.ts) and the designer's panel (designer/src/model/experiment-money.ts) mark
 * it with the same rule. Free of imports: the designer compiles it too.
 */
export function roiWithinChance(arm: { roi?: number | null; vsControl?: { pValue: number } | null }, alpha: number): boolean {
  return typeof arm.roi === 'number' && Number.isFinite(arm.roi) && !!arm.vsControl && arm.vsControl.pValue >= alpha;
}
