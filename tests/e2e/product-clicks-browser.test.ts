/**
 * 商品与点击 on a published send step, in headless chromium (run under flock /work/wt/browser.lock):
 * customers of a real journey were sent its message, some clicked the tracked link, orders with
 * items were paid; the analyst opens the step and reads which products were bought, the clicks on
 * the product the link shows, and how many buyers clicked first, as the API counts them. A failed
 * read says so in the panel.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { OrderEntity } from '../../server/src/persistence/entities/order.entity.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import type { TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2027-04-20T10:00:00+08:00');
const FLOW = `id: dress-launch
name: 连衣裙上新
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: visit }
    next: mail
  - id: mail
    type: send
    label: 新品短信
    channel: sms
    category: transactional
    template: 新款连衣裙 {{link}}
    link: https://shop.example.com/item/DRESS-26.html
    next: done
  - id: done
    type: exit
`;

describe('products and clicks of a send step in the browser', () => {
  const clock = new VirtualClock(T0);
  const d = designerInBrowser({
    name: 'product-clicks',
    clock: () => clock,
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', 'dress-launch.flow.yaml'), FLOW);
    },
  });
  let server: TestApp;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    ({ server, page, base } = d.session());
    const ds = server.app.get(DataSource);
    const names = Array.from({ length: 6 }, (_, i) => `p${i}`);
    const ids = await addCustomers(ds, names.map((externalId) => ({ externalId })), T0 - MS_PER_DAY);
    await server.http().post('/api/flows/dress-launch/publish').send({}).expect(200);
    for (const n of names) await server.http().post('/api/events').send({ customerExternalId: n, type: 'visit', properties: {}, occurredAt: new Date(T0).toISOString(), idempotencyKey: `visit:${n}` }).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(MS_PER_HOUR);
    await server.http().post('/api/engine/tick').expect(200);
    const sentAt = clock.now();
    await executeBatch(ds, [{ sql: "UPDATE sends SET status = 'sent', sent_at = ? WHERE status = 'queued'", params: [sentAt] }]);
    const tokens = await queryRows(ds, "SELECT customer_id, link_token FROM sends WHERE flow_id = 'dress-launch' ORDER BY customer_id");
    expect(tokens).toHaveLength(6);
    // Five of six click the dress; one of them buys it; two who never clicked buy a belt, one of them the dress as well.
    clock.advance(MS_PER_HOUR);
    for (const t of tokens.slice(0, 5)) await server.http('anonymous').get(`/r/${t.link_token}`).expect(302);
    const order = (i: number, amount: number, items: object[]) =>
      ds.manager.save(ds.manager.create(OrderEntity, { externalId: `o-${i}`, customerId: ids[i], status: 'paid', amount, createdAt: sentAt + MS_PER_DAY, paidAt: sentAt + MS_PER_DAY, promotion: null, items: items as OrderEntity['items'], updatedAt: sentAt + MS_PER_DAY }));
    await order(0, 299, [{ sku: 'DRESS-26', category: '连衣裙', quantity: 1, price: 299 }]);
    await order(5, 358, [{ sku: 'DRESS-26', category: '连衣裙', quantity: 1, price: 299 }, { sku: 'BELT-1', category: '配饰', quantity: 1, price: 59 }]);
    clock.advance(10 * MS_PER_DAY);
    await d.signIn('analyst');
  }, 120_000);

  it('reads the products the recipients bought beside the link\'s clicks, as the API counts them', async () => {
    const api = (await server.http('analyst').get('/api/flows/dress-launch/nodes/mail/products').expect(200)).body;
    expect(api.products.map((p: { sku: string; clickers: number | null; buyers: number; clickedBuyers: number }) => [p.sku, p.clickers, p.buyers, p.clickedBuyers])).toEqual([['DRESS-26', 5, 2, 1], ['BELT-1', null, 1, 0]]);
    await page.goto(`${base}/#/flows/dress-launch`);
    await d.select('mail');
    const panel = page.getByTestId('product-clicks');
    expect(await panel.locator('h4').textContent()).toBe('商品与点击');
    await panel.getByTestId('product-clicks-read').click();
    await panel.getByTestId('product-clicks-table').waitFor();
    expect(await panel.locator('thead th').allTextContents()).toEqual(['商品', '品类', '点击人数', '购买人数', '点击后购买', '收入(元)']);
    expect(await panel.getByTestId('product-clicks-DRESS-26').locator('td').allTextContents()).toEqual(['DRESS-26', '连衣裙', '5', '2', '1', '¥598.00']);
    expect(await panel.getByTestId('product-clicks-BELT-1').locator('td').allTextContents()).toEqual(['BELT-1', '配饰', '–', '1', '0', '¥59.00']);
    expect(await panel.getByTestId('product-clicks-summary').textContent()).toBe('送达 6 人，点击 5 人（83.3%），点击后 7 天内付款 1 人（20.0%），¥299.00；发送后 7 天内付款 2 人，¥657.00');
    await panel.screenshot({ path: join(SHOTS, 'product-clicks.png') });
    expect(d.errors).toEqual([]);
  }, 60_000);

  it('says so in the panel when the report cannot be read', async () => {
    await page.route('**/api/flows/dress-launch/nodes/mail/products', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ statusCode: 500, message: 'Internal server error' }) }));
    await page.goto(`${base}/#/flows/dress-launch`);
    await d.select('mail');
    const panel = page.getByTestId('product-clicks');
    await panel.getByTestId('product-clicks-read').click();
    await d.textOf(panel.getByTestId('product-clicks-problem'), /.+/);
    expect(await panel.getByTestId('product-clicks-table').count()).toBe(0);
    await page.unroute('**/api/flows/dress-launch/nodes/mail/products');
    d.errors.splice(0, d.errors.length, ...d.errors.filter((e) => !/^500 .*\/products$/.test(e)));
    expect(d.errors).toEqual([]);
  }, 60_000);
});
