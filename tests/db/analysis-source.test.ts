import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { lifecycleReport, rfmReport } from '../../server/src/core/analysis/report.js';
import { fixedClock } from '../../server/src/core/clock.js';
import type { OrderStatus } from '../../server/src/core/data/model.js';
import { computeStoredFacts } from '../../server/src/core/facts/stored-facts.js';
import { ShopConfigSchema } from '../../server/src/core/shop-config.js';
import { loadAnalysisInput } from '../../server/src/persistence/analysis-source.js';
import { toCustomer, toOrder } from '../../server/src/persistence/customer-mapper.js';
import { CustomerEntity, CustomerFactsEntity, OrderEntity } from '../../server/src/persistence/entities/index.js';
import { encodeFacts } from '../../server/src/persistence/fact-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

const TZ = 'Asia/Shanghai';
const AT = Date.parse('2024-07-01T00:00:00+08:00');
const shop = ShopConfigSchema.parse({ timezone: TZ });
const t = (local: string) => Date.parse(`${local}+08:00`);

/**
 * A small shop whose figures are worked out by hand (Shanghai time):
 *  c1 浙江: paid 01-01 10:00, 01-01 20:00 (same day: one visit), 01-11, 03-01; a refund and an
 *     unpaid order that do not count → intervals 10, 50; 4 orders, 350 spent, recency 121.
 *  c2 广东: paid 2023-12-31 23:30, 2024-01-01 00:30 (next calendar day in Shanghai, the same
 *     day in UTC), 06-20 → intervals 1, 171; 3 orders, 50 spent, recency 10.
 *  c3: one paid order 2023-01-01 → recency 547; 500 spent.
 *  c4: an unpaid order only → prospect.
 *  c5: in the recycle bin (no facts row) → left out entirely, its orders too.
 */
const SHOP: { ext: string; province: string | null; deleted?: boolean; orders: [OrderStatus, string, number][] }[] = [
  { ext: 'c1', province: '浙江', orders: [['paid', '2024-01-01T10:00:00', 100], ['completed', '2024-01-01T20:00:00', 50], ['shipped', '2024-01-11T10:00:00', 100], ['refunded', '2024-02-01T10:00:00', 999], ['paid', '2024-03-01T10:00:00', 100], ['created', '2024-06-01T10:00:00', 70]] },
  { ext: 'c2', province: '广东', orders: [['paid', '2023-12-31T23:30:00', 10], ['paid', '2024-01-01T00:30:00', 10], ['paid', '2024-06-20T10:00:00', 30]] },
  { ext: 'c3', province: null, orders: [['paid', '2023-01-01T10:00:00', 500]] },
  { ext: 'c4', province: null, orders: [['created', '2024-06-30T10:00:00', 20]] },
  { ext: 'c5', province: '浙江', deleted: true, orders: [['paid', '2024-01-01T10:00:00', 10], ['paid', '2024-01-05T10:00:00', 10]] },
];

async function seed(db: TestDatabase) {
  const m = db.dataSource.manager;
  let n = 0;
  for (const c of SHOP) {
    const customer = await m.save(CustomerEntity, {
      externalId: c.ext, name: null, phone: null, email: null, wechatId: null, province: c.province, city: null, device: null,
      tags: [], consent: {}, attributes: {}, createdAt: AT, updatedAt: AT, deletedAt: c.deleted ? AT : null,
    });
    const orders = await m.save(
      OrderEntity,
      c.orders.map(([status, when, amount]) => ({
        externalId: `o${++n}`, customerId: customer.id, status, amount, createdAt: t(when),
        paidAt: status === 'created' ? null : t(when), promotion: null, items: [], updatedAt: AT,
      })),
    );
    if (!c.deleted) await m.save(CustomerFactsEntity, encodeFacts(computeStoredFacts(toCustomer(customer), orders.map(toOrder), TZ), AT));
  }
}

const counts = (rows: { key: string; count: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.count]));

describe.each(DIALECTS)('analysis from the database on %s', (dialect) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let api: TestApp;
  let rulesDir: string | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    await seed(db);
    rulesDir = tempDir('rekindle-analysis-rules-');
    writeFileSync(join(rulesDir, 'shop.yaml'), `timezone: ${TZ}\n`);
    process.env.REKINDLE_QUIET = '1';
    api = await createTestApp({ database: db.target, rulesDir, clock: fixedClock(AT), schedulers: false });
    app = api.app;
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
    if (rulesDir) rmSync(rulesDir, { recursive: true, force: true });
  });

  it("reads intervals from purchase orders in the shop's time zone and customers from their facts", async () => {
    const input = await loadAnalysisInput(db.dataSource, shop, AT);
    expect(input.intervals).toEqual({ days: [1, 10, 50, 171], customers: 3, repeatCustomers: 2, sameDayMerged: 1 });
    const life = lifecycleReport(input);
    // Nearest rank over 4 intervals: p30 → rank 2, p60 → rank 3, p90 → rank 4.
    expect(life.suggestion?.thresholds).toEqual({ activeDays: 10, silentDays: 50, sleepingDays: 171 });
    expect(counts(life.stages.current)).toEqual({ prospect: 1, active: 1, silent: 1, sleeping: 0, lost: 1 });
    expect(counts(life.stages.suggested!)).toEqual({ prospect: 1, active: 1, silent: 0, sleeping: 1, lost: 1 });
  });

  it('scores RFM over the buyers and counts by order count and province', async () => {
    const rfm = rfmReport(await loadAnalysisInput(db.dataSource, shop, AT));
    expect(rfm).toMatchObject({ customers: 4, prospects: 1 });
    // n = 3: positions 0, 1, 2 score 1, 2, 4. R: c3 < c1 < c2; F: c3 < c2 < c1; M: c2 < c1 < c3.
    expect(rfm.rfm.topCells.map((c) => c.cell).sort()).toEqual(['114', '242', '421']);
    expect(counts(rfm.byOrderCount)).toEqual({ '0': 1, '1': 1, '2': 0, '3-5': 2, '6+': 0 });
    expect(counts(rfm.byProvince)).toEqual({ '(unknown)': 2, 广东: 1, 浙江: 1 });
  });

  it('analyses an earlier instant without the orders after it: no negative recency, RFM buyers as in the intervals', async () => {
    // On 2024-03-15: c1 had 4 orders (last 03-01), c2 2 (last 01-01 00:30, its 06-20 order is later), c3 1.
    const input = await loadAnalysisInput(db.dataSource, shop, t('2024-03-15T00:00:00'));
    expect(input.intervals).toEqual({ days: [1, 10, 50], customers: 3, repeatCustomers: 2, sameDayMerged: 1 });
    const c2 = input.customers.find((c) => c.province === '广东')!;
    expect(c2).toMatchObject({ orderCount: 2, totalSpent: 20, lastOrderAt: t('2024-01-01T00:30:00') });
    const rfm = rfmReport(input);
    expect(rfm).toMatchObject({ customers: 4, prospects: 1 });
    expect(counts(rfm.byOrderCount)).toEqual({ '0': 1, '1': 1, '2': 1, '3-5': 1, '6+': 0 });
    expect(rfm.rfm.customers).toBe(3);
    expect(rfm.rfm.bands.r.flatMap((b) => (b.min === null ? [] : [b.min]))).toEqual([438, 73, 13]);
    // Whole days since the last order: c3 438, c2 73, c1 13. Under 27/138/426: c1 active, c2 silent, c3 lost, c4 prospect.
    expect(counts(lifecycleReport(input).stages.current)).toEqual({ prospect: 1, active: 1, silent: 1, sleeping: 0, lost: 1 });
  });

  it('serves the same results over HTTP, evaluated at ?at=', async () => {
    const http = api.http();
    const life = await http.get('/api/analysis/lifecycle').query({ at: '2024-07-01T00:00:00+08:00' }).expect(200);
    expect(life.body.suggestion.thresholds).toEqual({ activeDays: 10, silentDays: 50, sleepingDays: 171 });
    expect(life.body.intervals.distribution).toMatchObject({ count: 4, median: 30, min: 1, max: 171 });
    // A month later c2 (last bought 06-20, recency 41) is silent and c1 (153) sleeping under 27/138/426.
    const later = await http.get('/api/analysis/lifecycle').query({ at: '2024-08-01T00:00:00+08:00' }).expect(200);
    expect(counts(later.body.stages.current)).toEqual({ prospect: 1, active: 0, silent: 1, sleeping: 1, lost: 1 });
    const rfm = await http.get('/api/analysis/rfm').expect(200);
    // The instant in the shop's time zone, with its offset (the JSON read UTC's day before).
    expect(rfm.body).toMatchObject({ at: '2024-07-01T00:00:00+08:00', customers: 4, prospects: 1 });
    expect(Date.parse(rfm.body.at)).toBe(AT);
    const bad = await http.get('/api/analysis/lifecycle').query({ at: 'yesterday' }).expect(400);
    expect(bad.body.message).toMatch(/not an ISO-8601/);
    await http.get('/api/analysis/lifecycle').query({ shares: '0.5,0.4,0.9' }).expect(400);
  });
});
