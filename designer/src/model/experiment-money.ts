import { formatAmount, formatDateTime, formatPercent } from './format.js';
import type { Lang } from './i18n.js';
import { roiWithinChance } from '../../../server/src/core/experiment/roi-within-chance.js';

/**
 * The experiment view's money: each arm's revenue, cost, incremental revenue against the holdout
 * and ROI, in the words `rekindle report` prints them (server/src/cli/commands/report.ts). An arm
 * that answers best is not always the one that pays: an SMS arm can win on response and lose on
 * cost, which a marketer choosing a winner in the designer must see beside the rates. Pure, so
 * the figures on screen are pinned by tests.
 */
export interface ArmMoney {
  arm: string;
  label?: string;
  holdout: boolean;
  assigned: number;
  /** Money in yuan, as the report's JSON; absent from servers older than the money columns (then the view shows no money). */
  revenue?: number;
  revenuePerCustomer?: number;
  /** Message cost of the exposed messages plus the face value of the coupons the arm's customers used. */
  cost?: number;
  /** Against the holdout; null without one (and for the holdout). */
  incrementalRevenue?: number | null;
  /** (incremental revenue − cost) / cost: a ratio; null without a holdout or a cost. */
  roi?: number | null;
  /** Against the control; null for the control itself. */
  vsControl?: { pValue: number } | null;
}

export interface MoneyRow {
  arm: string;
  name: string;
  revenue: string;
  perCustomer: string;
  cost: string;
  incremental: string;
  roi: string;
  /** ROI below −100%: the arm's customers spent less than the holdout's (said as "< -100%", as the CLI does). */
  belowCost: boolean;
  /**
   * The arm's lift over the control is within chance (p ≥ alpha): its incremental revenue may be
   * noise, and over a small cost noise makes any ROI (8 SMS for ¥0.40 read 7532181.65%). Marked
   * with * and said under the table, as the CLI's text does.
   */
  withinChance: boolean;
}

const DASH = '—';

/** ROI as the CLI's text says it: a percentage, below −100% as "< -100%" (the ratio itself is in the JSON and CSV). */
export function roiWords(roi: number | null | undefined): string {
  if (roi === null || roi === undefined || !Number.isFinite(roi)) return DASH;
  return roi < -1 ? '< -100%' : formatPercent(roi);
}

/** The rows, or null when the report carries no money (an older server). `alpha`: the report's significance level. */
export function experimentMoney(lang: Lang, arms: readonly ArmMoney[], alpha = 0.05): MoneyRow[] | null {
  if (!arms.length || arms.some((a) => typeof a.revenue !== 'number' || typeof a.cost !== 'number')) return null;
  return arms.map((a) => {
    const withinChance = roiWithinChance(a, alpha);
    return {
      arm: a.arm,
      name: a.label ?? a.arm,
      revenue: formatAmount(lang, a.revenue!),
      perCustomer: a.assigned ? formatAmount(lang, a.revenuePerCustomer ?? a.revenue! / a.assigned) : DASH,
      cost: formatAmount(lang, a.cost!),
      incremental: a.incrementalRevenue === null || a.incrementalRevenue === undefined ? DASH : formatAmount(lang, a.incrementalRevenue),
      roi: `${roiWords(a.roi)}${withinChance ? ' *' : ''}`,
      belowCost: typeof a.roi === 'number' && a.roi < -1,
      withinChance,
    };
  });
}

/**
 * When the figures were counted up to, in the shop's time: a running test's report changes as
 * responses arrive, and a simulation's is as of its last simulated day, not today.
 */
export function asOfWords(lang: Lang, asOf: number | undefined, timeZone?: string): string | null {
  if (asOf === undefined || !Number.isFinite(asOf)) return null;
  const when = formatDateTime(lang, asOf, timeZone);
  return lang === 'zh' ? `数据截至 ${when}（店铺时间）` : `figures as of ${when} (shop time)`;
}
