/**
 * Clicks against sales per product of a published send step, end to end: customers enter a real
 * flow, its messages go out with tracked links, some click through /r/:token, orders with items are
 * paid; GET /api/flows/:id/nodes/:node/products and `rekindle report <flow> --products <node>`
 * answer with the same figures, and refuse a bad window, an unknown step and callers without a role.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { VirtualClock, MS_PER_DAY, MS_PER_HOUR } from '../../server/src/core/clock.js';
import { OrderEntity } from '../../server/src/persistence/entities/order.entity.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2027-04-20T10:00:00+08:00');
const FLOW = `id: launch-clicks
name: 新品点击
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: visit }
    next: mail
  - id: mail
    type: send
    label: 新品邮件
    channel: sms
    category: transactional
    template: 新款连衣裙 {{link}}
    link: https://shop.example.com/item/DRESS-26.html?from=sms
    next: done
  - id: done
    type: exit
`;

describe.each(DIALECTS)('products and clicks of a send step over HTTP and the CLI on %s', (dialect) => {
  let api: TestApp;
  let ds: DataSource;
  let drop: () => Promise<void>;
  let dbUrl: string;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-clicks-rules-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'launch-clicks.flow.yaml'), FLOW);
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    dbUrl = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get((await import('typeorm')).DataSource);
    const names = ['c1', 'c2', 'c3', 'c4'];
    const ids = await addCustomers(ds, names.map((externalId) => ({ externalId })), T0 - MS_PER_DAY);
    await api.http().post('/api/flows/launch-clicks/publish').send({}).expect(200);
    for (const n of names) await api.http().post('/api/events').send({ customerExternalId: n, type: 'visit', properties: {}, occurredAt: new Date(T0).toISOString(), idempotencyKey: `visit:${n}` }).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    const sentAt = clock.now();
    await executeBatch(ds, [{ sql: "UPDATE sends SET status = 'sent', sent_at = ? WHERE status = 'queued'", params: [sentAt] }]);
    const tokens = new Map((await queryRows(ds, "SELECT customer_id, link_token FROM sends WHERE flow_id = 'launch-clicks'")).map((r) => [Number(r.customer_id), String(r.link_token)]));
    expect(tokens.size).toBe(4);
    // c1, c2 and c3 click; c1 buys the dress, c2 buys nothing, c3 buys a belt; c4 never clicks and buys the dress.
    clock.advance(MS_PER_HOUR);
    for (const n of ['c1', 'c2', 'c3']) await api.http('anonymous').get(`/r/${tokens.get(ids[names.indexOf(n)])}`).expect(302);
    // Each order with its order_paid event, as an import or a simulation records it: the events are what a report reads its
    // "now" from on a database ahead of the wall clock (persistence/report-time.ts), as the CLI reads this one.
    const order = async (n: string, amount: number, items: object[], paidAt: number) => {
      await ds.manager.save(ds.manager.create(OrderEntity, { externalId: `o-${n}`, customerId: ids[names.indexOf(n)], status: 'paid', amount, createdAt: paidAt, paidAt, promotion: null, items: items as OrderEntity['items'], updatedAt: paidAt }));
      await addEvent(ds, ids[names.indexOf(n)], 'order_paid', { orderId: `o-${n}`, amount }, paidAt);
    };
    await order('c1', 299, [{ sku: 'DRESS-26', category: 'dress', quantity: 1, price: 299 }], sentAt + 3 * MS_PER_HOUR);
    await order('c3', 59, [{ sku: 'BELT-1', category: 'accessory', quantity: 1, price: 59 }], sentAt + 2 * MS_PER_DAY);
    await order('c4', 598, [{ sku: 'DRESS-26', category: 'dress', quantity: 2, price: 299 }], sentAt + MS_PER_DAY);
    clock.advance(10 * MS_PER_DAY);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('answers an analyst with the step\'s clicks, what clickers paid, and the products its responders bought', async () => {
    const r = (await api.http('analyst').get('/api/flows/launch-clicks/nodes/mail/products').expect(200)).body;
    expect(r).toMatchObject({ flowId: 'launch-clicks', nodeId: 'mail', link: 'https://shop.example.com/item/DRESS-26.html?from=sms', window: '7d', delivered: 4, clickers: 3, clickersPaid: 2, clickersRevenue: 358, responders: 3, respondersRevenue: 956 });
    expect(r.products).toEqual([
      { sku: 'DRESS-26', category: 'dress', clickers: 3, buyers: 2, clickedBuyers: 1, quantity: 3, revenue: 897 },
      { sku: 'BELT-1', category: 'accessory', clickers: null, buyers: 1, clickedBuyers: 1, quantity: 1, revenue: 59 },
    ]);
    // A shorter window leaves out c3's belt (two days after the message).
    const day = (await api.http('analyst').get('/api/flows/launch-clicks/nodes/mail/products?window=1d').expect(200)).body;
    expect(day.products.map((p: { sku: string }) => p.sku)).toEqual(['DRESS-26']);
  });

  it('puts every send step of the flow side by side', async () => {
    const r = (await api.http('analyst').get('/api/flows/launch-clicks/products').expect(200)).body;
    expect(r.steps.map((s: { nodeId: string; label: string; delivered: number; clickers: number; clickersPaid: number; responders: number }) => [s.nodeId, s.label, s.delivered, s.clickers, s.clickersPaid, s.responders])).toEqual([['mail', '新品邮件', 4, 3, 2, 3]]);
    await api.http('analyst').get('/api/flows/launch-clicks/products?window=-1').expect(400);
    // A zero window counted nothing and answered 200 with every figure 0.
    expect((await api.http('analyst').get('/api/flows/launch-clicks/products?window=0d').expect(400)).body.message).toMatch(/^window: "0d" is an empty window/);
    expect((await api.http('analyst').get('/api/flows/launch-clicks/nodes/mail/products?window=0h').expect(400)).body.message).toMatch(/^window: "0h" is an empty window/);
    await api.http('analyst').get('/api/flows/never-here/products').expect(404);
    await api.http('anonymous').get('/api/flows/launch-clicks/products').expect(401);
  });

  it('names the bad field, the unknown step, and refuses callers without a role', async () => {
    const bad = await api.http('analyst').get('/api/flows/launch-clicks/nodes/mail/products?window=soon').expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/window/);
    expect(JSON.stringify(bad.body)).not.toMatch(/\/work\/|at .*\.ts/);
    await api.http('analyst').get('/api/flows/launch-clicks/nodes/start/products').expect(404);
    await api.http('analyst').get('/api/flows/never-here/nodes/mail/products').expect(404);
    await api.http('anonymous').get('/api/flows/launch-clicks/nodes/mail/products').expect(401);
    const { token } = await api.accounts.createToken('events-only', ['events:write'], 'test');
    await api.http('anonymous').get('/api/flows/launch-clicks/nodes/mail/products').set('Authorization', `Bearer ${token}`).expect(403);
  });

  it('prints the same figures from the CLI: a table, JSON and CSV, and names a bad option', async () => {
    if (dialect !== 'sqlite') return; // the CLI opens its own connection; one dialect is enough here
    const base = ['--db', dbUrl, '--rules', rules];
    // As of the shop's newest event (c3's order), the CLI's "now" on a database ahead of the wall clock, as a simulation's
    // copy: the test server's virtual clock, ten days on, is no clock the CLI knows, and an --at past its now is refused.
    const at = ['--at', new Date(T0 + MS_PER_HOUR + 2 * MS_PER_DAY).toISOString()];
    const json = await cli([...base, '--json', 'report', 'launch-clicks', '--products', 'mail', ...at]);
    expect(json.stderr).toBe('');
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ delivered: 4, clickers: 3, clickersPaid: 2, responders: 3 });
    expect(body.products[0]).toEqual({ sku: 'DRESS-26', category: 'dress', clickers: 3, buyers: 2, clickedBuyers: 1, quantity: 3, revenue: 897 });
    const text = await cli([...base, 'report', join(rules, 'flows', 'launch-clicks.flow.yaml'), '--products', 'mail', ...at]);
    expect(text.stdout).toMatch(/delivered 4, clicked 3 \(75\.00%\), of the clickers paid within 7d of their click 2 \(66\.67%\) for ¥358\.00/);
    expect(text.stdout).toMatch(/DRESS-26 +dress +3 +2 +1 +3 +¥897\.00/);
    const csv = await cli([...base, 'report', 'launch-clicks', '--products', 'mail', '--csv', '-', ...at]);
    expect(csv.stdout.split('\n').slice(0, 2)).toEqual(['flow,node,sku,category,clickers,buyers,clicked_buyers,quantity,revenue', 'launch-clicks,mail,DRESS-26,dress,3,2,1,3,897']);
    const steps = await cli([...base, 'report', 'launch-clicks', '--products', ...at]);
    expect(steps.stderr).toBe('');
    expect(steps.stdout).toMatch(/^mail +4 +3 +75\.00% +2 +66\.67% +3 +¥956\.00 +https:\/\/shop\.example\.com\/item\/DRESS-26\.html\?from=sms$/m);
    expect((await cli([...base, 'report', 'launch-clicks', '--products', '--csv', '-'])).stderr).toMatch(/--csv: with --products <send step>/);
    const badWindow = await cli([...base, 'report', 'launch-clicks', '--products', 'mail', '--window', 'soon']);
    expect(badWindow.code).toBe(1);
    expect(badWindow.stderr).toMatch(/--window: "soon" is not a duration/);
    const zeroWindow = await cli([...base, 'report', 'launch-clicks', '--products', '--window', '0d']);
    expect(zeroWindow.code).toBe(1);
    expect(zeroWindow.stderr).toMatch(/--window: "0d" is an empty window/);
    const badNode = await cli([...base, 'report', 'launch-clicks', '--products', 'start']);
    expect(badNode.code).toBe(1);
    expect(badNode.stderr).toMatch(/has no send step "start" \(its send steps: mail\)/);
  });
});
