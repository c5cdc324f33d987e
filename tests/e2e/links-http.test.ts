import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { createTestApp, rawBytes, type TestApp } from '../support/http-app.js';
import { CUSTOMER_EVENT_LISTENERS } from '../../server/src/api/events/event-listeners.token.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import type { StoredCustomerEvent } from '../../server/src/core/data/event-listener.js';
import { forDialect } from '../../server/src/persistence/outbox-sql.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { insertCustomer, insertSend, sendState } from '../support/outbox-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-10T08:00:30Z');

describe.each(DIALECTS)('tracked links, outbox and send log over HTTP on %s', (dialect) => {
  let app: NestExpressApplication;
  let api: TestApp;
  let ds: DataSource;
  let drop: () => Promise<void>;
  const clock = new VirtualClock(T0);
  const heard: StoredCustomerEvent[] = [];
  const http = () => api.http();
  const clicks = async () =>
    (await ds.query(forDialect(ds, `SELECT customer_id, properties, occurred_at, idempotency_key FROM customer_events WHERE type = 'click' ORDER BY id`), [])) as {
      customer_id: number;
      properties: string;
      idempotency_key: string;
    }[];

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    const rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    api = await createTestApp({ database: t.target, rulesDir, clock, schedulers: false });
    app = api.app;
    ds = app.get<DataSource>((await import('typeorm')).DataSource);
    app.get<{ push(l: unknown): void }>(CUSTOMER_EVENT_LISTENERS).push({ onEvents: async (e: StoredCustomerEvent[]) => void heard.push(...e) });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('records one click event for a double click, tells the listeners, and redirects to the link', async () => {
    const cust = await insertCustomer(ds, { externalId: 'tb_mei', phone: '13700000000' });
    const sendId = await insertSend(ds, { customerId: cust, channel: 'sms', status: 'sent', flowId: 'd11-wave1', nodeId: 'sms-coupon', linkToken: 'k3y9abcd', linkUrl: 'https://shop.example/d11?src=sms', sentAt: T0 - 60_000 });

    const first = await http().get('/r/k3y9abcd').expect(302);
    expect(first.headers.location).toBe('https://shop.example/d11?src=sms');
    expect(first.headers['cache-control']).toBe('no-store');
    clock.advance(20_000); // same minute
    await http().get('/r/k3y9abcd').expect(302);

    const rows = await clicks();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].customer_id)).toBe(cust);
    expect(JSON.parse(rows[0].properties)).toEqual({ sendId, flowId: 'd11-wave1', nodeId: 'sms-coupon', url: 'https://shop.example/d11?src=sms' });
    expect(rows[0].idempotency_key).toBe(`click:k3y9abcd:${Math.floor(T0 / 60_000)}`);
    expect(heard.filter((e) => e.type === 'click')).toHaveLength(1);
    expect(heard.find((e) => e.type === 'click')).toMatchObject({ customerId: cust, properties: { sendId, flowId: 'd11-wave1', nodeId: 'sms-coupon' } });

    clock.advance(3_600_000); // coming back an hour later is a new click
    await http().get('/r/k3y9abcd').expect(302);
    expect(await clicks()).toHaveLength(2);
    // The message keeps its first click (the funnel's "clicked" and the send log's clicked_at).
    const [s] = (await ds.query(forDialect(ds, 'SELECT clicked_at FROM sends WHERE id = ?'), [sendId])) as { clicked_at: number | string }[];
    expect(Number(s.clicked_at)).toBe(T0);
  });

  it('answers an unknown token, or the link of a never-delivered message, with a 404 page and records nothing', async () => {
    const before = (await clicks()).length;
    const r = await http().get('/r/nosuchtk').expect(404);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.text).toContain('Link not found');
    const cust = await insertCustomer(ds, { externalId: 'tb_blocked' });
    await insertSend(ds, { customerId: cust, status: 'blocked', reason: 'no-consent:sms', linkToken: 'blk00001', linkUrl: 'https://shop.example/x' });
    await http().get('/r/blk00001').expect(404);
    await http().get('/api/r/k3y9abcd').expect(404); // only outside the /api prefix
    expect((await clicks()).length).toBe(before);
  });

  it('POST /api/outbox/dispatch delivers due sends (outbox-only by default) and GET /api/outbox counts them', async () => {
    const cust = await insertCustomer(ds, { externalId: 'tb_zhao', email: 'zhao@example.com' });
    const id = await insertSend(ds, { customerId: cust, channel: 'email' });
    const r = await http().post('/api/outbox/dispatch').expect(200);
    expect(r.body).toMatchObject({ sent: 1, failed: 0 });
    expect(await sendState(ds, id)).toMatchObject({ status: 'sent', sent_at: clock.now(), provider_message_id: expect.stringMatching(/^outbox:/) });
    const c = await http().get('/api/outbox').expect(200);
    expect(c.body.byStatus).toMatchObject({ sent: 2, blocked: 1 });
  });

  it('exports the send log as CSV and NDJSON, filtered by flow, customer and status', async () => {
    const csv = await http().get('/api/sends?flowId=d11-wave1').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    // One flow's log is named for it (the designer's live view downloads it); the whole log is sends.csv.
    expect(csv.headers['content-disposition']).toBe('attachment; filename="d11-wave1-sends.csv"');
    expect((await http().get('/api/sends?status=blocked').expect(200)).headers['content-disposition']).toBe('attachment; filename="sends.csv"');
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['id', 'customer_external_id', 'flow', 'version', 'node', 'arm', 'group', 'group_label', 'campaign', 'journey_key', 'channel', 'category', 'status', 'reason', 'scheduled_at', 'sent_at', 'attempts', 'subject', 'body', 'link', 'coupon', 'coupon_amount', 'coupon_status', 'provider_message_id', 'last_error', 'clicked_at', 'coupon_used_at', 'cost']);
    expect(rows).toHaveLength(1);
    // The first click of its link (the test above), in shop time; no coupon, so none used.
    expect(rows[0]).toMatchObject({ clicked_at: '2026-11-10T16:00:30+08:00', coupon_used_at: '' });
    expect(rows[0]).toMatchObject({ customer_external_id: 'tb_mei', flow: 'd11-wave1', node: 'sms-coupon', channel: 'sms', status: 'sent', sent_at: '2026-11-10T15:59:30+08:00', link: 'https://shop.example/d11?src=sms' });
    // The shop's wall clock with its offset (default shop.yaml: Asia/Shanghai), the same instant.
    expect(Date.parse(rows[0].sent_at)).toBe(T0 - 60_000);
    expect(csv.text.charCodeAt(0)).not.toBe(0xfeff);
    const excel = await http().get('/api/sends?flowId=d11-wave1&excel=1').buffer(true).parse(rawBytes).expect(200);
    expect([...(excel.body as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The Excel variant: Chinese headers, times on the shop's clock as Excel reads a date-time, a numeric-looking id kept as text.
    const sheet = parse((excel.body as Buffer).subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(sheet[0]).slice(0, 4)).toEqual(['记录编号', '顾客编号', '旅程', '旅程版本']);
    expect(sheet[0]).toMatchObject({ '记录编号': `="${rows[0].id}"`, '顾客编号': 'tb_mei', '步骤': 'sms-coupon', '发送时间': '2026-11-10 15:59:30', '点击时间': '2026-11-10 16:00:30' });
    // The status, channel and category in the designer's words; the plain CSV above keeps sent and sms.
    expect(sheet[0]).toMatchObject({ '状态': '已发送', '渠道': '短信', '消息类别': '营销' });
    // The journey key is headed in the words the designer's entry uses (区分旅程), not 旅程批次 (walkthrough).
    expect(Object.keys(sheet[0])).toContain('区分旅程的值（订单号等）');
    await http().get('/api/sends?format=ndjson&excel=1').expect(400);
    await http().get('/api/sends?excel=maybe').expect(400);

    const nd = await http().get('/api/sends?format=ndjson&customerId=tb_zhao').expect(200);
    expect(nd.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = nd.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ customer_external_id: 'tb_zhao', channel: 'email', status: 'sent', attempts: 1, sent_at: new Date(clock.now()).toISOString(), reason: null });

    const blocked = await http().get('/api/sends?status=blocked&format=ndjson').expect(200);
    expect(blocked.text.trim().split('\n').map((l) => JSON.parse(l).reason)).toEqual(['no-consent:sms']);
    await http().get('/api/sends?status=lost').expect(400);
    await http().get('/api/sends?format=xml').expect(400);
  });
});
