/** Generated customer_facts rows for the segment bench and the segment tests (seeded, so runs repeat). */
import type { DataSource } from 'typeorm';
import { MS_PER_DAY, MS_PER_HOUR } from '../../server/src/core/clock.js';
import type { StoredFacts } from '../../server/src/core/facts/stored-facts.js';
import { CustomerFactsEntity } from '../../server/src/persistence/entities/customer-facts.entity.js';
import { encodeFacts } from '../../server/src/persistence/fact-store.js';

/** Small seeded PRNG (mulberry32) so generated shops and rules are the same on every run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const subset = <T>(xs: readonly T[], p = 0.35): T[] => xs.filter(() => next() < p);
  return { next, int, pick, subset, chance: (p: number) => next() < p };
}

/** Values chosen to trip SQL up: LIKE wildcards, case variants, the list separator's neighbours. */
export const CATEGORIES = ['dress', 'Dress', 'skirt', 'tops', 'coat', '100%_cotton', 'a_b', '%'];
export const TAGS = ['vip', 'VIP', 'new', 'a%b', '_'];
export const PROVINCES = ['浙江', '江苏', '上海', '广东'];
export const CITIES = ['杭州', '南京', '上海', '广州'];
export const SEASON_KEYS = ['2026-summer', '2025-autumn', '2024-winter', '2026-autumn'];
export const D11_YEARS = ['2023', '2024', '2025'];

/** A customer's stored facts with varied and missing values, relative to the instant `at`. */
export function randomStoredFacts(r: ReturnType<typeof prng>, customerId: number, at: number): StoredFacts {
  const bought = r.chance(0.7);
  const orderCount = bought ? r.int(1, 8) : 0;
  const totalSpent = bought ? (r.chance(0.2) ? 200 * orderCount : Math.round(r.next() * 3000 * orderCount) / 100) : 0;
  // Recencies hit the lifecycle thresholds and day 80 exactly, and a few lie after `at`.
  const lastDays = r.pick([0, 1, 27, 28, 79, 80, 81, 138, 139, 426, 427, 700, r.int(0, 900), -3]);
  const lastOrderAt = bought ? at - lastDays * MS_PER_DAY - r.pick([0, 1, r.int(0, MS_PER_DAY - 1)]) : null;
  const firstOrderAt = lastOrderAt === null ? null : lastOrderAt - r.int(0, 400) * MS_PER_DAY;
  const unpaid = r.chance(0.3) ? r.int(1, 2) : 0;
  const lastUnpaidAt = unpaid ? at - r.pick([0, 1, 23, 24, 25, 100]) * MS_PER_HOUR - r.pick([0, r.int(0, MS_PER_HOUR - 1)]) : null;
  const categories = bought ? r.subset(CATEGORIES) : [];
  const categorySeasons = categories.flatMap((c) => r.subset(SEASON_KEYS, 0.5).map((k) => `${c}@${k}`)).sort();
  const consent = () => r.pick([null, true, false]);
  return {
    customerId,
    orderCount,
    totalSpent,
    firstOrderAt,
    lastOrderAt,
    unpaidOrderCount: unpaid,
    lastUnpaidAt,
    categories: [...categories].sort(),
    categorySeasons,
    double11Years: bought ? r.subset(D11_YEARS) : [],
    province: r.chance(0.2) ? null : r.pick(PROVINCES),
    city: r.chance(0.3) ? null : r.pick(CITIES),
    device: r.pick([null, 'mobile', 'pc'] as const),
    tags: r.subset(TAGS, 0.25).sort(),
    consentSms: consent(),
    consentEmail: consent(),
    consentWechat: consent(),
    consentWangwang: consent(),
    consentPush: consent(),
  };
}

/** Writes fact rows directly (no customers/orders needed for segment evaluation). */
export async function insertFacts(ds: DataSource, facts: StoredFacts[], now = 0): Promise<void> {
  const repo = ds.getRepository(CustomerFactsEntity);
  for (let i = 0; i < facts.length; i += 200) await repo.insert(facts.slice(i, i + 200).map((f) => encodeFacts(f, now)));
}
