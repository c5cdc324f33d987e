import { MS_PER_DAY, MS_PER_HOUR } from '../clock.js';
import type { LifecycleThresholds } from '../shop-config.js';
import type { LifecycleStage } from './catalogue.js';
import { formatSeasonKey, previousSeason, sameSeasonLastYear, seasonKeyOf, type SeasonKey } from './season.js';
import type { Season } from './season.js';
import { double11Calendar, double11Missed } from './double11.js';
import type { StoredFacts } from './stored-facts.js';

/** The facts a rule sees: every catalogue fact by name; `null` where the customer has no value. */
export type Facts = Record<string, unknown>;

export interface DeriveContext {
  at: number;
  timezone: string;
  lifecycle: LifecycleThresholds;
}

export function lifecycleStage(recencyDays: number | null, t: LifecycleThresholds): LifecycleStage {
  if (recencyDays === null) return 'prospect';
  if (recencyDays <= t.activeDays) return 'active';
  if (recencyDays <= t.silentDays) return 'silent';
  if (recencyDays <= t.sleepingDays) return 'sleeping';
  return 'lost';
}

/** Whole units elapsed, truncated toward zero (matches integer division in SQLite and PostgreSQL). */
export function elapsed(at: number, since: number | null, unit: number): number | null {
  return since === null ? null : Math.trunc((at - since) / unit);
}

export const LAST_SEASON_FACTS = { categoriesLastSpring: 'spring', categoriesLastSummer: 'summer', categoriesLastAutumn: 'autumn', categoriesLastWinter: 'winter' } as const;
type LastSeasonFact = keyof typeof LAST_SEASON_FACTS;

let lastKeys: { at: number; timezone: string; keys: { lastSeason: string; sameSeasonLastYear: string; last: Record<LastSeasonFact, string> } } | null = null;

/** The last complete instance of `season` before the one `at` is in (summer 2026 for April 2027, and for July 2027). */
function lastOf(now: SeasonKey, season: Season): SeasonKey {
  let k = previousSeason(now);
  while (k.season !== season) k = previousSeason(k);
  return k;
}

/** Season keys that time-relative category facts read at instant `at` (memoised: a batch shares one `at`). */
export function seasonKeysAt(at: number, timezone: string) {
  if (lastKeys && lastKeys.at === at && lastKeys.timezone === timezone) return lastKeys.keys;
  const now = seasonKeyOf(at, timezone);
  const last = Object.fromEntries(Object.entries(LAST_SEASON_FACTS).map(([fact, season]) => [fact, formatSeasonKey(lastOf(now, season))])) as Record<LastSeasonFact, string>;
  const keys = { lastSeason: formatSeasonKey(previousSeason(now)), sameSeasonLastYear: formatSeasonKey(sameSeasonLastYear(now)), last };
  lastKeys = { at, timezone, keys };
  return keys;
}

function categoriesIn(categorySeasons: string[], seasonKey: string): string[] {
  const suffix = `@${seasonKey}`;
  return categorySeasons.filter((c) => c.endsWith(suffix)).map((c) => c.slice(0, -suffix.length));
}

/** Stored facts + an instant → the facts rules read. Pure; used by the engine evaluator. */
export function deriveFacts(s: StoredFacts, ctx: DeriveContext): Facts {
  // Never negative: an order stamped after `at` (a clock ahead of the shop's) is "today", not -1 days.
  const recency = elapsed(ctx.at, s.lastOrderAt, MS_PER_DAY);
  const recencyDays = recency === null ? null : Math.max(0, recency);
  const keys = seasonKeysAt(ctx.at, ctx.timezone);
  const d11 = double11Calendar(ctx.at, ctx.timezone);
  return {
    recencyDays,
    orderCount: s.orderCount,
    totalSpent: s.totalSpent,
    aov: s.orderCount > 0 ? s.totalSpent / s.orderCount : null,
    firstOrderAt: s.firstOrderAt,
    lastOrderAt: s.lastOrderAt,
    unpaidOrderCount: s.unpaidOrderCount,
    lastUnpaidAt: s.lastUnpaidAt,
    hoursSinceLastUnpaid: elapsed(ctx.at, s.lastUnpaidAt, MS_PER_HOUR),
    categories: s.categories,
    categoriesLastSeason: categoriesIn(s.categorySeasons, keys.lastSeason),
    categoriesSameSeasonLastYear: categoriesIn(s.categorySeasons, keys.sameSeasonLastYear),
    categoriesLastSpring: categoriesIn(s.categorySeasons, keys.last.categoriesLastSpring),
    categoriesLastSummer: categoriesIn(s.categorySeasons, keys.last.categoriesLastSummer),
    categoriesLastAutumn: categoriesIn(s.categorySeasons, keys.last.categoriesLastAutumn),
    categoriesLastWinter: categoriesIn(s.categorySeasons, keys.last.categoriesLastWinter),
    double11Years: s.double11Years,
    double11Count: s.double11Years.length,
    double11LastYear: s.firstOrderAt === null ? false : s.double11Years.includes(String(d11.lastYear)),
    double11Missed: double11Missed(s.firstOrderAt, s.double11Years, d11),
    nonDouble11OrderCount: s.orderCount - (s.double11OrderCount ?? 0),
    province: s.province,
    city: s.city,
    device: s.device,
    tags: s.tags,
    consentSms: s.consentSms,
    consentEmail: s.consentEmail,
    consentWechat: s.consentWechat,
    consentWangwang: s.consentWangwang,
    consentPush: s.consentPush,
    pAlive: s.pAlive ?? null,
    expectedPurchases: s.expectedPurchases ?? null,
    lifecycleStage: lifecycleStage(recencyDays, ctx.lifecycle),
    daysUntilSleeping: recencyDays === null ? null : ctx.lifecycle.silentDays + 1 - recencyDays,
  };
}
