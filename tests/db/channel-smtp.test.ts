import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import { buildProviders, closeProviders } from '../../server/src/core/channels/registry.js';
import { hmacOpaqueId } from '../../server/src/core/channels/opaque-id.js';
import { messageIdFor } from '../../server/src/core/channels/smtp.provider.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend, sendState } from '../support/outbox-fixtures.js';

const TEST_OPAQUE_ID = hmacOpaqueId('test server secret');

const T0 = Date.parse('2026-11-03T01:00:00Z');

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on 127.0.0.1:<free port> that keeps what it receives. */
async function startSmtpSink(opts: { rejectRcpt?: (rcpt: string) => boolean } = {}): Promise<{ port: number; mails: Received[]; close(): Promise<void> }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.rejectRcpt?.(address.address)) {
        const err = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(DIALECTS)('SMTP email provider on %s', (dialect) => {
  let db: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    smtp = await startSmtpSink({ rejectRcpt: (a) => a.startsWith('nobody@') });
  });
  afterAll(async () => {
    await smtp?.close();
    await db?.close();
  });

  function dispatcher(clock: VirtualClock) {
    const config = parseChannelsConfig({
      publicBaseUrl: 'https://crm.shop.example',
      channels: { email: { provider: 'smtp', host: '127.0.0.1', port: smtp.port, from: 'Demo Shop <care@shop.example>', timeout: '5s' } },
    });
    const providers = buildProviders(config, {}, TEST_OPAQUE_ID);
    return { d: new OutboxDispatcher(new SqlOutboxStore(db.dataSource), providers, clock, config), close: () => closeProviders(providers) };
  }

  it('delivers a queued email to the SMTP server with its subject, body, tracked link and a Message-ID derived from the idempotency key', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const cust = await insertCustomer(ds, { externalId: 'mail-1', email: 'lin@example.com' });
    const key = `${dialect}-77:send-email:3`;
    const id = await insertSend(ds, { customerId: cust, idempotencyKey: key, subject: 'We kept your size', body: 'Hello Lin, your size is back: /r/tok12345 see you', linkToken: 'tok12345', linkUrl: 'https://shop.example/p/1' });
    const { d, close } = dispatcher(clock);
    try {
      const report = await d.dispatch();
      expect(report).toMatchObject({ sent: 1, failed: 0, retried: 0 });
    } finally {
      await close();
    }
    const mail = smtp.mails.find((m) => m.to.includes('lin@example.com'))!;
    expect(mail).toBeDefined();
    expect(mail.from).toBe('care@shop.example');
    const messageId = messageIdFor(key, 'shop.example', TEST_OPAQUE_ID);
    expect(mail.raw).toMatch(/^Subject: We kept your size\r?$/m);
    expect(mail.raw).toContain(`Message-ID: ${messageId}`);
    expect(mail.raw).toContain('Hello Lin, your size is back: https://crm.shop.example/r/tok12345 see you');
    // The customer's mailbox learns no internal ids (enrollment, node, step).
    expect(mail.raw).not.toContain(key);
    expect(messageId).toMatch(/^<rk\.[0-9a-f]{32}@shop\.example>$/);
    expect(await sendState(ds, id)).toMatchObject({ status: 'sent', attempts: 1, sent_at: T0, provider_message_id: messageId });
  });

  it('marks a send failed without retrying when the server rejects the mailbox permanently (5xx)', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const cust = await insertCustomer(ds, { externalId: 'mail-2', email: 'nobody@example.com' });
    const id = await insertSend(ds, { customerId: cust });
    const { d, close } = dispatcher(clock);
    try {
      expect(await d.dispatch()).toMatchObject({ failed: 1, retried: 0 });
    } finally {
      await close();
    }
    const s = await sendState(ds, id);
    expect(s).toMatchObject({ status: 'failed', attempts: 1, sent_at: null });
    expect(s.last_error).toMatch(/attempt 1: smtp 550.*not retryable/);
  });

  it('schedules a retry when the SMTP server cannot be reached', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const cust = await insertCustomer(ds, { externalId: 'mail-3', email: 'x@example.com' });
    const id = await insertSend(ds, { customerId: cust });
    const down = await startSmtpSink();
    await down.close(); // a port nobody listens on any more
    const config = parseChannelsConfig({ channels: { email: { provider: 'smtp', host: '127.0.0.1', port: down.port, from: 'care@shop.example', timeout: '2s' } } });
    const providers = buildProviders(config, {}, TEST_OPAQUE_ID);
    try {
      expect(await new OutboxDispatcher(new SqlOutboxStore(ds), providers, clock, config).dispatch()).toMatchObject({ retried: 1 });
    } finally {
      await closeProviders(providers);
    }
    const s = await sendState(ds, id);
    expect(s).toMatchObject({ status: 'queued', attempts: 1, next_attempt_at: T0 + 60_000 });
    expect(s.last_error).toMatch(/ECONNREFUSED|ECONNECTION/);
  });
});
