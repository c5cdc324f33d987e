import { MS_PER_DAY } from '../clock.js';
import type { Customer, Order } from '../data/model.js';
import { generateProfile } from './customer-profile.js';
import { LocalTime } from './local-time.js';
import { generateHistory, type HistoryContext } from './order-history.js';
import { Rng } from './prng.js';

/**
 * The deterministic demo shop: a Taobao/Tmall clothing shop's members and their orders.
 * Same (customers, seed, now, timezone) → the same shop, byte for byte. Customers are yielded
 * one at a time (a generator), so a million-customer shop is written in constant memory.
 */
export interface DemoShopOptions {
  customers: number;
  seed: number;
  /** The shop's "today": lifecycle stages and unpaid orders are relative to it. */
  now: number;
  timezone: string;
  /** How far back the shop's history reaches (default ~4.3 years: five Double 11s). */
  historyDays?: number;
}

export interface SeedCustomer {
  /** `id` ascends with `externalId` (c000001 is id 1), so id-range chunking follows external ids. */
  customer: Customer;
  /** When the customer joined (customers.created_at). */
  createdAt: number;
  /** Sorted by createdAt; ids ascend across the whole shop. */
  orders: Order[];
}

export const DEFAULT_HISTORY_DAYS = 4 * 365 + 120;

export function externalIdWidth(customers: number): number {
  return Math.max(6, String(customers).length);
}

export function* generateDemoShop(options: DemoShopOptions): Generator<SeedCustomer> {
  const { customers, seed, now, timezone } = options;
  const historyDays = options.historyDays ?? DEFAULT_HISTORY_DAYS;
  const local = new LocalTime(timezone);
  const todayLocal = Math.floor(local.toLocal(now) / MS_PER_DAY) * MS_PER_DAY;
  const nowYear = new Date(local.toLocal(now)).getUTCFullYear();
  const double11Days: { year: number; daysAgo: number }[] = [];
  for (let year = nowYear; ; year--) {
    const daysAgo = Math.round((todayLocal - Date.UTC(year, 10, 11)) / MS_PER_DAY);
    if (daysAgo > historyDays) break;
    if (daysAgo >= 0) double11Days.push({ year, daysAgo });
  }
  const width = externalIdWidth(customers);
  let orderId = 0;

  for (let n = 1; n <= customers; n++) {
    const rng = new Rng(seed, n);
    const ctx: HistoryContext = { rng, now, local, todayLocal, historyDays, double11Days };
    const profile = generateProfile(rng);
    const externalId = 'c' + String(n).padStart(width, '0');
    const history = generateHistory(ctx, profile, n, externalId);
    for (const o of history.orders) o.id = ++orderId;

    let spent = 0;
    let purchases = 0;
    for (const o of history.orders) {
      if (o.status === 'paid' || o.status === 'shipped' || o.status === 'completed') {
        spent += o.amount;
        purchases++;
      }
    }
    const tags: string[] = [];
    if ((spent >= 3000 || purchases >= 8) && rng.chance(0.9)) tags.push('vip');
    if (purchases > 0 && rng.chance(0.03)) tags.push('bad-review');
    if (profile.wholesale) tags.push('wholesale');
    if (profile.student) tags.push('student');
    if (history.orders.filter((o) => o.status === 'refunded').length >= 2) tags.push('returns-often');

    yield {
      customer: {
        id: n,
        externalId,
        name: profile.name,
        phone: profile.phone,
        email: profile.email,
        wechatId: profile.wechatId,
        province: profile.province,
        city: profile.city,
        device: profile.device,
        tags,
        consent: profile.consent,
        attributes: { gender: profile.gender, birthMonth: profile.birthMonth },
      },
      createdAt: history.registeredAt,
      orders: history.orders,
    };
  }
}
