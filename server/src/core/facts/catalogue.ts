/**
 * The fact catalogue: every fact a rule may read, with its type, a description and an example.
 * It is served by the API for the designer's rule builder, checked when rule files load, and
 * the SQL compiler maps each fact to a column expression.
 */
export type FactType = 'number' | 'string' | 'boolean' | 'date' | 'list' | 'enum';

export interface FactDefinition {
  name: string;
  type: FactType;
  description: string;
  example: unknown;
  /** Allowed values of an enum fact. */
  values?: readonly string[];
  unit?: string;
  /** Derived facts are computed from stored timestamps at evaluation time (never stale). */
  derived?: boolean;
}

export const LIFECYCLE_STAGES = ['prospect', 'active', 'silent', 'sleeping', 'lost'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const FACTS: readonly FactDefinition[] = [
  { name: 'recencyDays', type: 'number', unit: 'days', derived: true, example: 80, description: 'Whole days since the last paid order (empty if the customer never bought).' },
  { name: 'orderCount', type: 'number', example: 3, description: 'Number of paid orders (paid, shipped or completed; refunds and cancellations excluded).' },
  { name: 'totalSpent', type: 'number', unit: 'CNY', example: 689.5, description: 'Sum of the amounts of paid orders.' },
  { name: 'aov', type: 'number', unit: 'CNY', example: 229.8, description: 'Average order value: totalSpent / orderCount (empty if no paid order).' },
  { name: 'firstOrderAt', type: 'date', example: '2024-11-11T10:02:00Z', description: 'Time of the first paid order.' },
  { name: 'lastOrderAt', type: 'date', example: '2026-08-30T21:15:00Z', description: 'Time of the last paid order.' },
  { name: 'unpaidOrderCount', type: 'number', example: 1, description: 'Orders created and not (yet) paid or cancelled.' },
  { name: 'lastUnpaidAt', type: 'date', example: '2026-11-23T08:00:00Z', description: 'Creation time of the newest unpaid order.' },
  { name: 'hoursSinceLastUnpaid', type: 'number', unit: 'hours', derived: true, example: 2, description: 'Whole hours since the newest unpaid order was created (empty if none).' },
  { name: 'categories', type: 'list', example: ['dress', 'tops'], description: 'Categories the customer has ever bought.' },
  { name: 'categoriesLastSeason', type: 'list', derived: true, example: ['tops'], description: 'Categories bought in the previous season (spring Mar–May, summer Jun–Aug, autumn Sep–Nov, winter Dec–Feb).' },
  { name: 'categoriesSameSeasonLastYear', type: 'list', derived: true, example: ['coat'], description: 'Categories bought in the current season one year ago (new-product launches, seed 004).' },
  ...(['Spring', 'Summer', 'Autumn', 'Winter'] as const).map((S) => ({ name: `categoriesLast${S}`, type: 'list' as const, derived: true, example: ['dress'], description: `Categories bought in the last complete ${S.toLowerCase()} (for a summer launch in April 2027: summer 2026) — "same season last year" as the launch's season, not the season the rule runs in.` })),
  { name: 'double11Years', type: 'list', example: ['2024', '2025'], description: 'Years in which the customer bought at Double 11 (promotion double11 or an order on 11 Nov).' },
  { name: 'double11Count', type: 'number', example: 2, description: 'Number of years with a Double-11 purchase.' },
  { name: 'double11LastYear', type: 'boolean', derived: true, example: true, description: 'Bought at the most recent Double 11 that is over (last year\'s, during a campaign in October) — relative to when the rule runs, so no year is written into a flow.' },
  { name: 'double11Missed', type: 'number', derived: true, example: 0, description: 'Double 11s since the customer\'s first purchase (last 15) at which they did not buy: 0 with double11Count ≥ 2 = "bought at every Double 11" (empty if they never bought).' },
  { name: 'nonDouble11OrderCount', type: 'number', derived: true, example: 0, description: 'Paid orders that were not Double-11 orders: 0 with double11Count ≥ 1 = "only ever buys at Double 11".' },
  { name: 'province', type: 'string', example: '浙江', description: 'Province of the customer.' },
  { name: 'city', type: 'string', example: '杭州', description: 'City of the customer.' },
  { name: 'device', type: 'enum', values: ['mobile', 'pc'], example: 'mobile', description: 'Preferred device.' },
  { name: 'tags', type: 'list', example: ['vip'], description: 'Tags set on the customer (imported or by a flow).' },
  { name: 'consentSms', type: 'boolean', example: true, description: 'The customer agreed to marketing by SMS.' },
  { name: 'consentEmail', type: 'boolean', example: true, description: 'The customer agreed to marketing by email.' },
  { name: 'consentWechat', type: 'boolean', example: true, description: 'The customer agreed to marketing by WeChat.' },
  { name: 'consentWangwang', type: 'boolean', example: true, description: 'The customer agreed to marketing by Wangwang chat.' },
  { name: 'consentPush', type: 'boolean', example: false, description: 'The customer agreed to marketing by app push.' },
  { name: 'pAlive', type: 'number', example: 0.25, description: 'Probability the customer is still "alive" (will buy again), from the BG/NBD model fitted on the shop\'s orders by `rekindle analyse --model bgnbd` (empty until it ran). "pAlive < 0.3": probably lost, whatever the fixed sleep threshold says.' },
  { name: 'expectedPurchases', type: 'number', example: 0.4, description: 'Purchases the BG/NBD model expects from the customer in the next N days (N = --horizon of the last fit, 90 by default).' },
  { name: 'daysUntilSleeping', type: 'number', unit: 'days', derived: true, example: 10, description: "Days until the customer falls asleep by the shop's own threshold (rules/shop.yaml lifecycle.silentDays, suggested by rekindle analyse): 10 = the pre-sleep day (day 80 of a 90-day definition, seed 003); 0 or less: asleep already (empty if they never bought)." },
  { name: 'lifecycleStage', type: 'enum', values: LIFECYCLE_STAGES, derived: true, example: 'sleeping', description: "Stage from recencyDays and the shop's thresholds in rules/shop.yaml: active, silent, sleeping, lost (prospect: never bought)." },
];

export const FACT_NAMES: ReadonlySet<string> = new Set(FACTS.map((f) => f.name));

export function factDefinition(name: string): FactDefinition | undefined {
  return FACTS.find((f) => f.name === name);
}
