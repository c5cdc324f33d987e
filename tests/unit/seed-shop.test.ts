import { describe, expect, it } from '@jest/globals';
import { MS_PER_DAY, MS_PER_HOUR } from '../../server/src/core/clock.js';
import { PURCHASE_STATUSES, type Order } from '../../server/src/core/data/model.js';
import { localDate } from '../../server/src/core/facts/season.js';
import { generateDemoShop, type SeedCustomer } from '../../server/src/core/seed/generate-shop.js';
import { INTERVAL_BANDS, bandOf } from '../../server/src/core/seed/intervals.js';

const TZ = 'Asia/Shanghai';
const NOW = Date.parse('2026-11-23T09:00:00Z');
const shop = (customers: number, seed = 42, now = NOW) => [...generateDemoShop({ customers, seed, now, timezone: TZ })];
const purchases = (c: SeedCustomer): Order[] => c.orders.filter((o) => PURCHASE_STATUSES.has(o.status));

describe('demo-shop generator', () => {
  const big = shop(5000);

  it('gives the same customers and orders for the same seed, and a different shop for another seed', () => {
    const again = shop(200);
    expect(JSON.stringify(again)).toBe(JSON.stringify(big.slice(0, 200)));
    const other = shop(200, 43);
    expect(other.map((c) => c.customer.name)).not.toEqual(again.map((c) => c.customer.name));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(again));
  });

  it('assigns customer ids that ascend with zero-padded external ids, and ascending order ids', () => {
    expect(big[0].customer).toMatchObject({ id: 1, externalId: 'c000001' });
    expect(big[4999].customer).toMatchObject({ id: 5000, externalId: 'c005000' });
    const orderIds = big.flatMap((c) => c.orders.map((o) => o.id!));
    expect(orderIds).toEqual([...orderIds].sort((a, b) => a - b));
    expect(new Set(big.flatMap((c) => c.orders.map((o) => o.externalId))).size).toBe(orderIds.length);
  });

  it('draws repurchase intervals in the DOMAIN shape (30/30/30/10 within 8 points per band)', () => {
    const counts = INTERVAL_BANDS.map(() => 0);
    for (const c of big) {
      const p = purchases(c);
      for (let i = 1; i < p.length; i++) counts[bandOf(Math.round((p[i].paidAt! - p[i - 1].paidAt!) / MS_PER_DAY))]++;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3000);
    INTERVAL_BANDS.forEach((band, i) => expect(Math.abs(counts[i] / total - band.share)).toBeLessThan(0.08));
  });

  it('leaves customers in every lifecycle stage at now, and some who never bought', () => {
    const stages = { never: 0, active: 0, silent: 0, sleeping: 0, lost: 0 };
    for (const c of big) {
      const p = purchases(c);
      if (!p.length) stages.never++;
      else stages[(['active', 'silent', 'sleeping', 'lost'] as const)[bandOf(Math.floor((NOW - p[p.length - 1].paidAt!) / MS_PER_DAY))]]++;
    }
    for (const n of Object.values(stages)) expect(n / big.length).toBeGreaterThan(0.05);
  });

  it('puts Double-11 orders on 11 November of several years, with repeat and one-time Double-11 buyers', () => {
    const d11 = big.flatMap((c) => c.orders.filter((o) => o.promotion === 'double11'));
    const dates = d11.map((o) => localDate(o.createdAt, TZ));
    const onTheDay = dates.filter((d) => d.month === 11 && d.day === 11);
    expect(onTheDay.length / d11.length).toBeGreaterThan(0.9);
    const years = new Set(onTheDay.map((d) => d.year));
    for (const y of [2022, 2023, 2024, 2025, 2026]) expect(years).toContain(y);
    const yearsPerBuyer = big
      .map((c) => new Set(purchases(c).filter((o) => o.promotion === 'double11').map((o) => localDate(o.createdAt, TZ).year)).size)
      .filter((n) => n > 0);
    expect(yearsPerBuyer.filter((n) => n === 1).length).toBeGreaterThan(100);
    expect(yearsPerBuyer.filter((n) => n >= 3).length).toBeGreaterThan(50);
    // A spike: 11 Nov 2025 has many times the orders of an ordinary day around it.
    const day = (m: number, d: number) => big.flatMap((c) => c.orders).filter((o) => { const x = localDate(o.createdAt, TZ); return x.year === 2025 && x.month === m && x.day === d; }).length;
    expect(day(11, 11)).toBeGreaterThan(10 * Math.max(1, day(10, 20)));
  });

  it('has recent unpaid orders (created in the 48 hours before now) and cancelled and refunded ones', () => {
    const all = big.flatMap((c) => c.orders);
    const unpaid = all.filter((o) => o.status === 'created');
    expect(unpaid.length).toBeGreaterThan(20);
    for (const o of unpaid) {
      expect(o.paidAt).toBeNull();
      expect(NOW - o.createdAt).toBeLessThanOrEqual(48 * MS_PER_HOUR);
      expect(o.createdAt).toBeLessThanOrEqual(NOW);
    }
    expect(all.filter((o) => o.status === 'cancelled').length).toBeGreaterThan(100);
    expect(all.filter((o) => o.status === 'refunded').every((o) => o.paidAt !== null)).toBe(true);
    expect(all.every((o) => o.createdAt <= NOW && (o.paidAt ?? 0) <= NOW)).toBe(true);
    expect(all.filter((o) => o.promotion === 'juhuasuan').length).toBeGreaterThan(100);
  });

  it('looks like a Chinese clothing shop: mostly mobile, Guangdong first, AOV mostly 50–600 CNY', () => {
    const mobile = big.filter((c) => c.customer.device === 'mobile').length / big.length;
    expect(mobile).toBeGreaterThan(0.75);
    expect(mobile).toBeLessThan(0.85);
    const byProvince = new Map<string, number>();
    for (const c of big) byProvince.set(c.customer.province!, (byProvince.get(c.customer.province!) ?? 0) + 1);
    expect([...byProvince.entries()].sort((a, b) => b[1] - a[1])[0][0]).toBe('广东');
    const amounts = big.flatMap((c) => purchases(c).map((o) => o.amount)).sort((a, b) => a - b);
    const q = (x: number) => amounts[Math.floor(x * amounts.length)];
    expect(q(0.1)).toBeGreaterThanOrEqual(40);
    expect(q(0.5)).toBeGreaterThan(100);
    expect(q(0.5)).toBeLessThan(300);
    expect(q(0.9)).toBeLessThan(800);
    expect(amounts[amounts.length - 1]).toBeGreaterThan(1500);
    const items = big.flatMap((c) => c.orders.flatMap((o) => o.items));
    expect(new Set(items.map((i) => i.category))).toEqual(new Set(['dress', 'tops', 'shirt', 'pants', 'coat', 'knitwear', 'skirt', 'accessories']));
    expect(items.every((i) => i.sku && i.season)).toBe(true);
    const consentSms = big.filter((c) => c.customer.consent.sms === true).length / big.length;
    expect(consentSms).toBeGreaterThan(0.7);
    expect(big.some((c) => c.customer.tags.includes('vip'))).toBe(true);
    expect(big.some((c) => c.customer.email) && big.some((c) => c.customer.wechatId)).toBe(true);
  });
});
