import { enumLabel } from './fields.js';
import { formatAmount, formatPercent } from './format.js';
import type { Lang } from './i18n.js';
import { valueWords } from './words.js';

/**
 * "Who answered this message": a send step's recipients by customer group (GET
 * /api/flows/:id/nodes/:node/response-by-group), in the marketer's words. The server names a
 * group by its code (core/experiment/strata.ts: `orders-1-2`, `aov-lt-100`, `sleeping`, `mobile`,
 * a province as stored); these are the words for them. Pure, so the table on screen is pinned by tests.
 */
export const GROUP_BY = ['lifecycleStage', 'orderTier', 'aovBand', 'device', 'province'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface GroupRate {
  group: string;
  sent: number;
  responders: number;
  responseRate: number;
  responseRateCi: { low: number; high: number };
  revenue: number;
}

const BANDS: Record<string, { zh: string; en: string }> = {
  'orders-0': { zh: '没下过单', en: 'no orders' },
  'orders-1-2': { zh: '1–2 单', en: '1–2 orders' },
  'orders-3+': { zh: '3 单及以上', en: '3+ orders' },
  'aov-lt-100': { zh: '客单价 ¥100 以下', en: 'order value under ¥100' },
  'aov-100-299': { zh: '客单价 ¥100–299', en: 'order value ¥100–299' },
  'aov-300+': { zh: '客单价 ¥300 及以上', en: 'order value ¥300+' },
  unknown: { zh: '未知', en: 'unknown' },
};

/** What a dimension is called (生命周期阶段, 订单数档位, …). */
export const groupByLabel = (lang: Lang, by: GroupBy) => enumLabel(lang, by);

/** A group's name: a band in words, a lifecycle stage or device as the customer page says it, a province as stored. */
export function groupName(lang: Lang, by: GroupBy, group: string): string {
  const band = BANDS[group];
  if (band) return band[lang];
  if (by === 'province') return group;
  return valueWords(lang, by, group);
}

export interface GroupRow {
  group: string;
  name: string;
  sent: number;
  responders: number;
  rate: string;
  revenue: string;
}

/** Lifecycle stages in the life of a customer (not by size): active → silent → sleeping → lost, prospects first. */
const STAGE_ORDER = ['prospect', 'active', 'silent', 'sleeping', 'lost'];
const BAND_ORDER = Object.keys(BANDS);

/**
 * The table's rows: the ordered bands and stages in their natural order, other groups (provinces,
 * devices) by recipients, the most first, "unknown" last.
 */
export function groupRows(lang: Lang, by: GroupBy, groups: readonly GroupRate[]): GroupRow[] {
  const rank = (g: GroupRate) => {
    if (g.group === 'unknown') return [2, 0];
    const order = by === 'lifecycleStage' ? STAGE_ORDER.indexOf(g.group) : BAND_ORDER.indexOf(g.group);
    return order >= 0 ? [0, order] : [1, -g.sent];
  };
  const sorted = [...groups].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || a.group.localeCompare(b.group);
  });
  return sorted.map((g) => ({
    group: g.group,
    name: groupName(lang, by, g.group),
    sent: g.sent,
    responders: g.responders,
    rate: `${formatPercent(g.responseRate)} [${formatPercent(g.responseRateCi.low)}, ${formatPercent(g.responseRateCi.high)}]`,
    revenue: formatAmount(lang, g.revenue),
  }));
}
