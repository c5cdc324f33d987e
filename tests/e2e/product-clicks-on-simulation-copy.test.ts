/**
 * Products and clicks on a simulation's copy of the shop: `rekindle simulate` delivers through the
 * simulated channel, which answers a share of the messages with a click (sends.clicked_at) and some
 * of those with a paid order. The report reads the simulated flow by the flow's own id, from the
 * CLI and from a server opened on the copy, and counts the clicks the simulation wrote. Its
 * purchases buy products of the shop's own catalogue (core/channels/simulated-items.ts): they named
 * no items, and the products table of a simulation was always empty.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

describe('products and clicks on a simulation copy', () => {
  const dir = tempDir('rekindle-clicks-sim-');
  const shop = join(dir, 'shop.sqlite');
  const copy = join(dir, 'launch.sqlite');
  let api: TestApp;
  let cliReport: Record<string, unknown> & { clickers: number; responders: number; ordersWithoutItems: number; products: unknown[] };

  beforeAll(async () => {
    const seeded = await cli(['--rules', 'rules', '--db', shop, 'seed', '--customers', '1500', '--seed', '42']);
    expect(seeded.code).toBe(0);
    const simulated = await cli(['--rules', 'rules', 'simulate', 'new-product-launch', '--db', copy, '--copy-of', shop, '--from', '2027-04-20', '--days', '25']);
    expect(simulated.code).toBe(0);
    const r = await cli(['--rules', 'rules', '--db', copy, '--json', 'report', 'new-product-launch', '--products', 'promo-coupon', '--window', '10d']);
    expect(r.stderr).toBe('');
    cliReport = JSON.parse(r.stdout);
    api = await createTestApp({ database: { url: copy }, rulesDir: 'rules', clock: fixedClock(Date.parse('2027-04-20T00:00:00+08:00')), schedulers: false });
  }, 180_000);
  afterAll(async () => api?.close());

  it('counts the clicks the simulated channel wrote, from the CLI and from a server on the copy alike', async () => {
    const ds = api.app.get((await import('typeorm')).DataSource);
    const [{ n }] = await queryRows(ds, "SELECT COUNT(DISTINCT customer_id) AS n FROM sends WHERE flow_id = 'new-product-launch~simulated' AND node_id = 'promo-coupon' AND status = 'sent' AND clicked_at IS NOT NULL");
    expect(Number(n)).toBeGreaterThan(0);
    expect(cliReport.clickers).toBe(Number(n));
    const body = (await api.http('analyst').get('/api/flows/new-product-launch/nodes/promo-coupon/products?window=10d').expect(200)).body;
    expect({ ...body, flowId: undefined }).toEqual({ ...cliReport, flowId: undefined });
    // The simulation's purchases buy the shop's products: every responder's order is in the products
    // table, whose revenue adds up to the responders'.
    expect(cliReport.responders).toBeGreaterThan(0);
    expect(cliReport.ordersWithoutItems).toBe(0);
    const products = cliReport.products as { sku: string; category: string; buyers: number; revenue: number }[];
    expect(products.length).toBeGreaterThan(0);
    for (const p of products) expect(p.sku).toMatch(/^[A-Z]{2}\d{2}[A-Z]\d{3}$/); // the demo catalogue's codes
    expect(Math.round(products.reduce((n, p) => n + p.revenue, 0) * 100)).toBe(Math.round(Number(cliReport.respondersRevenue) * 100));
    expect(products.reduce((n, p) => n + p.buyers, 0)).toBeGreaterThanOrEqual(cliReport.responders);
  });
});
