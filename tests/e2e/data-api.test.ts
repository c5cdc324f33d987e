import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import { VirtualClock } from '../../server/src/core/clock.js';
import type { StoredCustomerEvent } from '../../server/src/core/data/event-listener.js';
import { createTestApp, rawBytes, type TestApp } from '../support/http-app.js';
import { CUSTOMER_EVENT_LISTENERS } from '../../server/src/api/events/event-listeners.token.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { DataSource } from 'typeorm';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const FIXTURES = join(import.meta.dirname, '../fixtures/data');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const NOW = Date.parse('2026-02-01T00:00:00Z');

describe.each(DIALECTS)('data REST API on %s', (dialect) => {
  let app: NestExpressApplication;
  let api: TestApp;
  let drop: () => Promise<void>;
  const heard: StoredCustomerEvent[] = [];
  const http = () => api.http();

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    // An empty rules folder of its own: default shop.yaml, and no segment or flow files to load.
    const rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    api = await createTestApp({ database: t.target, rulesDir, clock: new VirtualClock(NOW), schedulers: false });
    app = api.app;
    app.get<{ push(l: unknown): void }>(CUSTOMER_EVENT_LISTENERS).push({ onEvents: async (e: StoredCustomerEvent[]) => void heard.push(...e) });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('imports customers CSV and orders CSV over REST with the CLI report', async () => {
    const r = await http().post('/api/import/customers').set('Content-Type', 'text/csv').send(fixture('customers.csv')).expect(200);
    expect(r.body).toMatchObject({ kind: 'customers', format: 'csv', created: 3, failed: 2 });
    expect(r.body.errors).toContainEqual({ line: 4, field: 'email', message: 'not an email address: "not-an-email"' });
    const o = await http().post('/api/import/orders?format=csv').set('Content-Type', 'text/plain').send(fixture('orders.csv')).expect(200);
    expect(o.body).toMatchObject({ created: 4, failed: 2, eventsRecorded: 4 });
    expect(heard.map((e) => e.idempotencyKey)).toContain('order:o001:order_paid');
    await http().post('/api/import/customers').set('Content-Type', 'application/json').send({ a: 1 }).expect(400);
    await http().post('/api/import/widgets?format=csv').set('Content-Type', 'text/csv').send('a\n1').expect(400);
  });

  it('an import whose header lacks a required column answers 400 naming the column and the close header, and writes nothing', async () => {
    const body = 'externalId,custmerExternalId,status,amount,createdAt\nz1,c001,created,10,2026-01-05T00:00:00Z\n';
    const r = await http().post('/api/import/orders').set('Content-Type', 'text/csv').send(body).expect(400);
    expect(r.body.message).toBe(
      'orders.csv: required column "customerExternalId" is missing (the header has "custmerExternalId": did you mean "customerExternalId"?); nothing was imported (expected columns: externalId, customerExternalId, status, amount, createdAt, paidAt, promotion, coupon, items)',
    );
    expect(JSON.stringify(r.body)).not.toMatch(/\/tmp|\.ts:|at /);
    expect(await queryRows(app.get(DataSource), "SELECT id FROM orders WHERE external_id = 'z1'")).toEqual([]);
    const warned = await http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,emial\nc001,a@b.cn\n').expect(200);
    expect(warned.body.warnings).toEqual(['customers.csv: column "emial" is not read: did you mean "email"?']);
  });

  it('POST /api/orders upserts one order, refreshes facts and emits order_paid on payment', async () => {
    const order = { externalId: 'o100', customerExternalId: 'c005', status: 'created', amount: 120, createdAt: '2026-01-30T10:00:00Z', items: [{ sku: 's', category: 'shoes' }] };
    expect((await http().post('/api/orders').send(order).expect(200)).body).toMatchObject({ outcome: 'created', events: ['order_created'] });
    const paid = { ...order, status: 'paid', paidAt: '2026-01-30T11:00:00Z' };
    expect((await http().post('/api/orders').send(paid).expect(200)).body).toMatchObject({ outcome: 'updated', events: ['order_paid'] });
    expect((await http().post('/api/orders').send(paid).expect(200)).body).toMatchObject({ outcome: 'unchanged', events: [] });
    const c = await http().get('/api/customers/c005').expect(200);
    expect(c.body.facts).toMatchObject({ orderCount: 1, totalSpent: 120, recencyDays: 1, lifecycleStage: 'active', categories: ['shoes'] });
    const bad = await http().post('/api/orders').send({ ...order, amount: -1 }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('amount');
    const ghost = await http().post('/api/orders').send({ ...order, externalId: 'o101', customerExternalId: 'ghost' }).expect(400);
    expect(ghost.body.message).toContain('customerExternalId: unknown customer "ghost"');
  });

  it('events: single, batch with an in-batch duplicate, earlier duplicate and unknown customer', async () => {
    const ev = (key: string, customer = 'c001') => ({ type: 'coupon_clicked', customerExternalId: customer, occurredAt: '2026-01-31T00:00:00Z', idempotencyKey: key, properties: { coupon: 'X' } });
    // coupon_clicked is stored though rules/shop.yaml does not declare it; the answer names it (unknownTypes).
    const undeclared = (count: number) => ({ unknownTypes: [{ type: 'coupon_clicked', count, firstIndex: 0 }] });
    expect((await http().post('/api/events').send(ev('k1')).expect(200)).body).toEqual({ accepted: 1, duplicates: 0, rejected: [], ...undeclared(1) });
    // The same event again answers what the first delivery got (and says it is a replay).
    const replay = await http().post('/api/events').send(ev('k1')).expect(200);
    expect(replay.body).toEqual({ accepted: 1, duplicates: 0, rejected: [], ...undeclared(1) });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const batch = await http()
      .post('/api/events')
      .send([ev('k2'), ev('k2'), ev('k1'), ev('k3', 'nobody'), { ...ev('k4'), occurredAt: 'yesterday' }, ev('k5', 'c002')])
      .expect(200);
    expect(batch.body).toEqual({
      accepted: 2,
      duplicates: 2,
      rejected: [
        { index: 3, field: 'customerExternalId', message: 'unknown customer "nobody"' },
        { index: 4, field: 'occurredAt', message: 'not a date/time: "yesterday"' },
      ],
      ...undeclared(4),
    });
    expect(heard.filter((e) => e.type === 'coupon_clicked').map((e) => e.idempotencyKey)).toEqual(['k1', 'k2', 'k5']);
    const single = await http().post('/api/events').send(ev('k9', 'nobody')).expect(400);
    expect(single.body.message).toEqual(['customerExternalId: unknown customer "nobody"']);
    await http().post('/api/events').send(Array.from({ length: 10_001 }, (_, i) => ev(`big${i}`))).expect(400);
  });

  it('search, recycle bin round trip and 404s', async () => {
    const s = await http().get('/api/customers?search=EXAMPLE.com&limit=2').expect(200);
    expect(s.body.total).toBe(3);
    expect(s.body.items).toHaveLength(2);
    await http().get('/api/customers?limit=0').expect(400);
    await http().get('/api/customers/none').expect(404);
    await http().delete('/api/customers/c001').expect(200);
    await http().get('/api/customers/c001').expect(404);
    expect((await http().get('/api/recycle-bin').expect(200)).body.items.map((c: { externalId: string }) => c.externalId)).toEqual(['c001']);
    await http().delete('/api/customers/c001').expect(404);
    await http().post('/api/recycle-bin/c001/restore').expect(200);
    await http().post('/api/recycle-bin/c001/restore').expect(404);
    expect((await http().get('/api/customers/c001').expect(200)).body.facts).toMatchObject({ orderCount: 1, totalSpent: 199.5 });
  });

  it('exports customers as CSV with fact columns at ?at=', async () => {
    const r = await http().get('/api/export/customers.csv?at=2026-03-01T00:00:00Z').expect(200);
    expect(r.headers['content-type']).toContain('text/csv');
    const rows = parse(r.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.externalId)).toEqual(['c001', 'c002', 'c005']);
    const c1 = rows[0];
    expect(c1).toMatchObject({ orderCount: '1', totalSpent: '199.5', lastOrderAt: '2025-11-11T09:05:00+08:00', recencyDays: '109', lifecycleStage: 'silent', double11Years: '2025', tags: 'vip|dress', consent_sms: 'true' });
    await http().get('/api/export/customers.csv?at=soon').expect(400);
    // ?excel=1: a UTF-8 byte order mark first, so Excel on Chinese Windows shows 王芳, not mojibake.
    const excel = (await http().get('/api/export/customers.csv?at=2026-03-01T00:00:00Z&excel=1').buffer(true).parse(rawBytes).expect(200)).body as Buffer;
    expect([...excel.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The Excel variant (core/text/excel-sheet.ts): Chinese headers, order times on the shop's clock as
    // Excel reads a date-time, ids that look numeric kept as text; the plain CSV above is unchanged.
    const sheet = parse(excel.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(sheet[0]).slice(0, 3)).toEqual(['顾客编号', '姓名', '手机号']);
    expect(sheet.map((x) => x['顾客编号'])).toEqual(['c001', 'c002', 'c005']);
    expect(sheet[0]).toMatchObject({ '订单数': '1', '累计消费(元)': '199.5', '最近下单时间': '2025-11-11 09:05:00', '双11下单年份': '="2025"', '同意短信营销': '是' });
    // Codes in the customer page's words (core/text/excel-words.ts); the plain CSV keeps silent and mobile.
    expect(sheet[0]).toMatchObject({ '手机号': '="13800000001"', '设备': '手机', '生命周期阶段': '沉默' });
    expect(sheet[1]).toMatchObject({ '设备': '电脑' });
    expect(rows[0]).toMatchObject({ device: 'mobile', lifecycleStage: 'silent', phone: '13800000001' });
    expect(r.text.charCodeAt(0)).not.toBe(0xfeff);
    await http().get('/api/export/customers.csv?excel=yes').expect(400);

    // The Excel file imported again, as an operator does after editing it (a tag added to 王芳): it
    // was refused (no externalId column); read by its Chinese headers, its phone numbers as the digits
    // (not the ="…" guard), its device by code, the fact columns ignored as in the plain file.
    const edited = excel.toString('utf8').replace('vip|dress', 'vip|dress|回购');
    const back = await http().post('/api/import/customers').set('Content-Type', 'text/csv').send(edited).expect(200);
    expect(back.body).toMatchObject({ created: 0, updated: 1, unchanged: 2, failed: 0 });
    const after = parse((await http().get('/api/export/customers.csv?at=2026-03-01T00:00:00Z').expect(200)).text, { columns: true }) as Record<string, string>[];
    expect(after).toEqual(rows.map((x) => (x.externalId === 'c001' ? { ...x, tags: 'vip|dress|回购' } : x)));
    await http().post('/api/import/customers').set('Content-Type', 'text/csv').send(`externalId,tags\nc001,vip|dress\n`).expect(200);
  });

  it('POST /api/orders and the REST orders import refuse an order paid before it was created, naming paidAt and both shop times', async () => {
    const order = { externalId: 'o-early', customerExternalId: 'c002', status: 'paid', amount: 12, createdAt: '2026-11-02T10:00:00Z', paidAt: '2026-11-01T09:00:00Z' };
    const bad = await http().post('/api/orders').send(order).expect(400);
    expect(bad.body.message).toEqual([expect.stringMatching(/^paidAt: 2026-11-01 17:00 \+08:00 is before createdAt 2026-11-02 18:00 \+08:00/)]);
    const csv = 'externalId,customerExternalId,status,amount,createdAt,paidAt\no-early,c002,paid,12,2026-11-02T10:00:00Z,2026-11-01T09:00:00Z\n';
    const r = await http().post('/api/import/orders').set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(r.body).toMatchObject({ created: 0, failed: 1, errors: [{ line: 2, field: 'paidAt', message: expect.stringContaining('is before createdAt') }] });
    expect(await queryRows(app.get(DataSource), "SELECT id FROM orders WHERE external_id = 'o-early'")).toEqual([]);
  });

  it('POST /api/orders and /api/events read a time without an offset as the shop\'s wall clock (Asia/Shanghai), a date alone as its midnight', async () => {
    heard.length = 0;
    const order = { externalId: 'o-local', customerExternalId: 'c002', status: 'created', amount: 50, createdAt: '2026-01-30 18:00:00' };
    await http().post('/api/orders').send(order).expect(200);
    await http().post('/api/events').send({ type: 'visit', customerExternalId: 'c002', occurredAt: '2026-01-31', idempotencyKey: 'local-day' }).expect(200);
    await http().post('/api/events').send({ type: 'visit', customerExternalId: 'c002', occurredAt: '2026-01-31T09:30:00+08:00', idempotencyKey: 'with-offset' }).expect(200);
    expect(heard.map((e) => [e.type, new Date(e.occurredAt).toISOString()])).toEqual([
      ['order_created', '2026-01-30T10:00:00.000Z'],
      ['visit', '2026-01-30T16:00:00.000Z'],
      ['visit', '2026-01-31T01:30:00.000Z'],
    ]);
    const bad = await http().post('/api/orders').send({ ...order, createdAt: '2026-02-30 10:00' }).expect(400);
    expect(bad.body.message).toEqual([expect.stringContaining('createdAt: not a date')]);
  });
});
