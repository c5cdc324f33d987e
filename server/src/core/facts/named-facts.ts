import { MS_PER_DAY, MS_PER_HOUR } from '../clock.js';
import { double11Calendar, double11Missed } from './double11.js';
import { elapsed, lifecycleStage, seasonKeysAt, type DeriveContext, type Facts } from './derive.js';
import type { StoredFacts } from './stored-facts.js';

/**
 * Some facts by name, for a reader that names the few it reads (a stepping batch whose flow's
 * messages name `{{facts.aov}}`): deriveFacts makes every catalogue fact of every customer of the
 * batch (six category lists, the Double-11 calendar…) and the store reads every stored column for
 * it. Each fact here is derived exactly as deriveFacts derives it (a test compares them name by
 * name), from the stored fields it lists, so a store can read only those columns.
 */
interface NamedFact {
  /** The stored fields the fact is derived from. */
  stored: readonly (keyof StoredFacts)[];
  derive(s: StoredFacts, ctx: DeriveContext): unknown;
}

const recencyDays = (s: StoredFacts, ctx: DeriveContext): number | null => {
  const recency = elapsed(ctx.at, s.lastOrderAt, MS_PER_DAY);
  return recency === null ? null : Math.max(0, recency);
};

const categoriesIn = (categorySeasons: string[], seasonKey: string): string[] => {
  const suffix = `@${seasonKey}`;
  return categorySeasons.filter((c) => c.endsWith(suffix)).map((c) => c.slice(0, -suffix.length));
};

const same = (field: keyof StoredFacts): NamedFact => ({ stored: [field], derive: (s) => s[field] });
const orNull = (field: 'pAlive' | 'expectedPurchases'): NamedFact => ({ stored: [field], derive: (s) => s[field] ?? null });

/** Every fact deriveFacts makes, by name (its keys: a test checks the two lists are the same). */
export const NAMED_FACTS: Readonly<Record<string, NamedFact>> = {
  recencyDays: { stored: ['lastOrderAt'], derive: recencyDays },
  orderCount: same('orderCount'),
  totalSpent: same('totalSpent'),
  aov: { stored: ['orderCount', 'totalSpent'], derive: (s) => (s.orderCount > 0 ? s.totalSpent / s.orderCount : null) },
  firstOrderAt: same('firstOrderAt'),
  lastOrderAt: same('lastOrderAt'),
  unpaidOrderCount: same('unpaidOrderCount'),
  lastUnpaidAt: same('lastUnpaidAt'),
  hoursSinceLastUnpaid: { stored: ['lastUnpaidAt'], derive: (s, ctx) => elapsed(ctx.at, s.lastUnpaidAt, MS_PER_HOUR) },
  categories: same('categories'),
  categoriesLastSeason: { stored: ['categorySeasons'], derive: (s, ctx) => categoriesIn(s.categorySeasons, seasonKeysAt(ctx.at, ctx.timezone).lastSeason) },
  categoriesSameSeasonLastYear: { stored: ['categorySeasons'], derive: (s, ctx) => categoriesIn(s.categorySeasons, seasonKeysAt(ctx.at, ctx.timezone).sameSeasonLastYear) },
  categoriesLastSpring: { stored: ['categorySeasons'], derive: (s, ctx) => categoriesIn(s.categorySeasons, seasonKeysAt(ctx.at, ctx.timezone).last.categoriesLastSpring) },
  categoriesLastSummer: { stored: ['categorySeasons'], derive: (s, ctx) => categoriesIn(s.categorySeasons, seasonKeysAt(ctx.at, ctx.timezone).last.categoriesLastSummer) },
  categoriesLastAutumn: { stored: ['categorySeasons'], derive: (s, ctx) => categoriesIn(s.categorySeasons, seasonKeysAt(ctx.at, ctx.timezone).last.categoriesLastAutumn) },
  categoriesLastWinter: { stored: ['categorySeasons'], derive: (s, ctx) => categoriesIn(s.categorySeasons, seasonKeysAt(ctx.at, ctx.timezone).last.categoriesLastWinter) },
  double11Years: same('double11Years'),
  double11Count: { stored: ['double11Years'], derive: (s) => s.double11Years.length },
  double11LastYear: {
    stored: ['firstOrderAt', 'double11Years'],
    derive: (s, ctx) => (s.firstOrderAt === null ? false : s.double11Years.includes(String(double11Calendar(ctx.at, ctx.timezone).lastYear))),
  },
  double11Missed: { stored: ['firstOrderAt', 'double11Years'], derive: (s, ctx) => double11Missed(s.firstOrderAt, s.double11Years, double11Calendar(ctx.at, ctx.timezone)) },
  nonDouble11OrderCount: { stored: ['orderCount', 'double11OrderCount'], derive: (s) => s.orderCount - (s.double11OrderCount ?? 0) },
  province: same('province'),
  city: same('city'),
  device: same('device'),
  tags: same('tags'),
  consentSms: same('consentSms'),
  consentEmail: same('consentEmail'),
  consentWechat: same('consentWechat'),
  consentWangwang: same('consentWangwang'),
  consentPush: same('consentPush'),
  pAlive: orNull('pAlive'),
  expectedPurchases: orNull('expectedPurchases'),
  lifecycleStage: { stored: ['lastOrderAt'], derive: (s, ctx) => lifecycleStage(recencyDays(s, ctx), ctx.lifecycle) },
  daysUntilSleeping: {
    stored: ['lastOrderAt'],
    derive: (s, ctx) => {
      const r = recencyDays(s, ctx);
      return r === null ? null : ctx.lifecycle.silentDays + 1 - r;
    },
  },
};

/** Whether every name is a fact NAMED_FACTS derives (a reader naming anything else gets all facts). */
export function allNamed(names: Iterable<string>): boolean {
  for (const n of names) if (!Object.hasOwn(NAMED_FACTS, n)) return false;
  return true;
}

/** The stored fields the named facts are derived from (the store reads only their columns). */
export function storedFieldsOf(names: Iterable<string>): Set<keyof StoredFacts> {
  const out = new Set<keyof StoredFacts>();
  for (const n of names) for (const f of NAMED_FACTS[n].stored) out.add(f);
  return out;
}

/**
 * The named facts of stored facts that carry (at least) storedFieldsOf(names): the values
 * deriveFacts gives for these names, and no other fact.
 */
export function deriveNamedFacts(s: StoredFacts, ctx: DeriveContext, names: readonly string[]): Facts {
  const out: Facts = {};
  for (const n of names) out[n] = NAMED_FACTS[n].derive(s, ctx);
  return out;
}
