import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseChannelsConfig, type ChannelsConfig } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import { buildProviders } from '../../server/src/core/channels/registry.js';
import { hmacOpaqueId } from '../../server/src/core/channels/opaque-id.js';
import { verifySignature } from '../../server/src/core/channels/signature.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend, sendState } from '../support/outbox-fixtures.js';

const TEST_OPAQUE_ID = hmacOpaqueId('test server secret');

const T0 = Date.parse('2026-11-05T12:00:00Z');
const SECRET = 'test-hmac-secret';
const MIN = 60_000;

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A gateway on 127.0.0.1:<free port>; the answer per request is chosen by `reply`. */
async function startGateway(): Promise<{ url: string; hits: Hit[]; reply: (h: Hit) => { status: number; body?: string; delayMs?: number }; close(): Promise<void> }> {
  const gw = {
    url: '',
    hits: [] as Hit[],
    reply: (_h: Hit) => ({ status: 200, body: '{"messageId":"gw-1"}' }) as { status: number; body?: string; delayMs?: number },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit = { path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
      gw.hits.push(hit);
      const r = gw.reply(hit);
      setTimeout(() => res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body ?? ''), r.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gw.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return gw;
}

describe.each(DIALECTS)('webhook provider on %s', (dialect) => {
  let db: TestDatabase;
  let gw: Awaited<ReturnType<typeof startGateway>>;
  let config: ChannelsConfig;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    gw = await startGateway();
    config = parseChannelsConfig({
      channels: {
        sms: { provider: 'webhook', url: `${gw.url}/sms`, secretEnv: 'TEST_SMS_SECRET', timeout: '1s' },
        wechat: { provider: 'webhook', url: `${gw.url}/wechat`, secretEnv: 'TEST_SMS_SECRET', timeout: '1s' },
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await db?.close();
  });

  const dispatcherAt = (clock: VirtualClock) => new OutboxDispatcher(new SqlOutboxStore(db.dataSource), buildProviders(config, { TEST_SMS_SECRET: SECRET }, TEST_OPAQUE_ID), clock, config);

  it('POSTs the message as JSON with a verifiable HMAC signature and the idempotency key', async () => {
    const ds = db.dataSource;
    const cust = await insertCustomer(ds, { externalId: 'tb_nick_1', phone: '13900000001' });
    const key = `${dialect}-sig:send-sms:1`;
    const id = await insertSend(ds, { customerId: cust, idempotencyKey: key, channel: 'sms', subject: null, body: '亲，您的购物车还在哦 /r/sms00001', linkToken: 'sms00001', couponCode: 'C0UPON' });
    gw.hits.length = 0;
    gw.reply = () => ({ status: 202, body: '{"messageId":"gw-42"}' });

    expect(await dispatcherAt(new VirtualClock(T0)).dispatch()).toMatchObject({ sent: 1 });

    expect(gw.hits).toHaveLength(1);
    const [hit] = gw.hits;
    expect(hit.path).toBe('/sms');
    expect(hit.headers['idempotency-key']).toBe(key);
    expect(hit.headers['content-type']).toMatch(/^application\/json/);
    expect(verifySignature(SECRET, hit.raw, hit.headers['x-rekindle-signature'] as string)).toBe(true);
    expect(verifySignature('wrong-secret', hit.raw, hit.headers['x-rekindle-signature'] as string)).toBe(false);
    expect(JSON.parse(hit.raw)).toEqual({
      id: key,
      channel: 'sms',
      category: 'marketing',
      to: '13900000001',
      customer: 'tb_nick_1',
      subject: null,
      body: '亲，您的购物车还在哦 /r/sms00001',
      link: '/r/sms00001',
      coupon: 'C0UPON',
      flow: 'winback',
      node: 'send-1',
    });
    expect(await sendState(ds, id)).toMatchObject({ status: 'sent', provider_message_id: 'gw-42', sent_at: T0 });
  });

  it('retries a 500 with back-off (1m, 5m, 30m, 2h) and gives up after 5 attempts as failed with the error', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const cust = await insertCustomer(ds, { externalId: 'tb_nick_2', phone: '13900000002' });
    const key = `${dialect}-retry:send-sms:1`;
    const id = await insertSend(ds, { customerId: cust, idempotencyKey: key, channel: 'sms' });
    gw.hits.length = 0;
    gw.reply = () => ({ status: 500, body: 'gateway overloaded' });
    const d = dispatcherAt(clock);

    const waits = [MIN, 5 * MIN, 30 * MIN, 120 * MIN];
    for (const [i, wait] of waits.entries()) {
      await d.dispatch();
      const s = await sendState(ds, id);
      expect(s).toMatchObject({ status: 'queued', attempts: i + 1, next_attempt_at: clock.now() + wait });
      expect(s.last_error).toBe(`attempt ${i + 1}: webhook ${gw.url}/sms: HTTP 500 gateway overloaded`);
      // Not due one millisecond early…
      clock.advance(wait - 1);
      expect((await d.dispatch()).claimed).toBe(0);
      // …but due on time.
      clock.advance(1);
    }
    await d.dispatch();
    const s = await sendState(ds, id);
    expect(s).toMatchObject({ status: 'failed', attempts: 5, next_attempt_at: null, sent_at: null });
    expect(s.last_error).toBe(`attempt 5: webhook ${gw.url}/sms: HTTP 500 gateway overloaded`);
    // Every attempt carried the same key and the same signed body, so the gateway can deduplicate.
    expect(gw.hits).toHaveLength(5);
    expect(new Set(gw.hits.map((h) => `${h.headers['idempotency-key']}|${h.raw}`)).size).toBe(1);
    expect(gw.hits.map((h) => h.headers['x-rekindle-attempt'])).toEqual(['1', '2', '3', '4', '5']);
    clock.advance(24 * 60 * MIN);
    expect((await d.dispatch()).claimed).toBe(0);
  });

  it('does not retry a 4xx: the send fails at once', async () => {
    const ds = db.dataSource;
    const cust = await insertCustomer(ds, { externalId: 'tb_nick_3', wechatId: 'wx_3' });
    const id = await insertSend(ds, { customerId: cust, channel: 'wechat' });
    gw.hits.length = 0;
    gw.reply = () => ({ status: 422, body: '{"error":"unknown openid"}' });

    expect(await dispatcherAt(new VirtualClock(T0)).dispatch()).toMatchObject({ failed: 1, retried: 0 });
    const s = await sendState(ds, id);
    expect(s).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect(s.last_error).toBe(`attempt 1: webhook ${gw.url}/wechat: HTTP 422 {"error":"unknown openid"} (not retryable)`);
    expect(gw.hits).toHaveLength(1);
  });

  it('treats a gateway that does not answer within the timeout as retryable', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const cust = await insertCustomer(ds, { externalId: 'tb_nick_4', phone: '13900000004' });
    const id = await insertSend(ds, { customerId: cust, channel: 'sms' });
    gw.reply = () => ({ status: 200, delayMs: 1500 });

    expect(await dispatcherAt(clock).dispatch()).toMatchObject({ retried: 1 });
    const s = await sendState(ds, id);
    expect(s).toMatchObject({ status: 'queued', attempts: 1, next_attempt_at: T0 + MIN });
    expect(s.last_error).toMatch(/no answer within 1000 ms/);
  });
});
