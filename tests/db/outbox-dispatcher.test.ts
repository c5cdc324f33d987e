import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import { OutboxOnlyProvider } from '../../server/src/core/channels/outbox-only.provider.js';
import type { ChannelProvider, OutboundMessage } from '../../server/src/core/channels/provider.js';
import { buildProviders, type ChannelProviders } from '../../server/src/core/channels/registry.js';
import { hmacOpaqueId } from '../../server/src/core/channels/opaque-id.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { CHANNELS } from '../../server/src/core/data/model.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend, sendState } from '../support/outbox-fixtures.js';

const TEST_OPAQUE_ID = hmacOpaqueId('test server secret');

const T0 = Date.parse('2026-11-01T02:00:00Z');
const config = parseChannelsConfig({});

function allChannels(p: ChannelProvider): ChannelProviders {
  return Object.fromEntries(CHANNELS.map((c) => [c, p])) as ChannelProviders;
}

/** Counts deliveries per idempotency key, slowly enough that two dispatchers overlap. */
class CountingProvider implements ChannelProvider {
  readonly kind = 'counting';
  readonly delivered = new Map<string, number>();
  async deliver(m: OutboundMessage) {
    await new Promise((r) => setTimeout(r, 1));
    this.delivered.set(m.idempotencyKey, (this.delivered.get(m.idempotencyKey) ?? 0) + 1);
    return { providerMessageId: `c:${m.idempotencyKey}` };
  }
}

describe.each(DIALECTS)('outbox dispatcher on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('delivers due queued sends (not those retrying or scheduled later) through the default outbox-only provider and records them as sent', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const alice = await insertCustomer(ds, { externalId: 'alice-1', email: 'alice@example.com', phone: '13800000001' });
    const due = await insertSend(ds, { customerId: alice, idempotencyKey: 'e1:send-1:2' });
    const later = await insertSend(ds, { customerId: alice, nextAttemptAt: T0 + 60_000 });
    const scheduledLater = await insertSend(ds, { customerId: alice, scheduledAt: T0 + 1 });
    const blocked = await insertSend(ds, { customerId: alice, status: 'blocked', reason: 'no-consent:sms' });
    const skipped = await insertSend(ds, { customerId: alice, status: 'skipped', reason: 'frequency-cap' });

    const report = await new OutboxDispatcher(new SqlOutboxStore(ds), buildProviders(config, {}, TEST_OPAQUE_ID), clock, config).dispatch();

    expect(report).toMatchObject({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    expect(await sendState(ds, due)).toMatchObject({ status: 'sent', attempts: 1, sent_at: T0, provider_message_id: expect.stringMatching(/^outbox:[0-9a-f]{32}$/), next_attempt_at: null });
    expect(await sendState(ds, later)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await sendState(ds, scheduledLater)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await sendState(ds, blocked)).toMatchObject({ status: 'blocked', attempts: 0, sent_at: null });
    expect(await sendState(ds, skipped)).toMatchObject({ status: 'skipped', attempts: 0, sent_at: null });
  });

  it('blocks at delivery a send whose customer was deleted or withdrew consent since it was queued', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const gone = await insertCustomer(ds, { externalId: 'gone-1', email: 'gone@example.com', deletedAt: T0 - 1 });
    const optedOut = await insertCustomer(ds, { externalId: 'optout-1', email: 'o@example.com', consent: { email: false } });
    const a = await insertSend(ds, { customerId: gone });
    const b = await insertSend(ds, { customerId: optedOut, category: 'marketing' });
    const c = await insertSend(ds, { customerId: optedOut, category: 'transactional' });

    await new OutboxDispatcher(new SqlOutboxStore(ds), allChannels(new OutboxOnlyProvider()), clock, config).dispatch();

    expect(await sendState(ds, a)).toMatchObject({ status: 'blocked', reason: 'customer-removed', sent_at: null });
    expect(await sendState(ds, b)).toMatchObject({ status: 'blocked', reason: 'no-consent:email', sent_at: null });
    expect(await sendState(ds, c)).toMatchObject({ status: 'sent' });
  });

  it('two dispatchers claiming at the same time deliver every send exactly once', async () => {
    // A second connection (pool) to the same database, as a second server process would have.
    const other = await openDatabase(db.target);
    try {
      const ds = db.dataSource;
      const clock = new VirtualClock(T0);
      const bob = await insertCustomer(ds, { externalId: 'bob-2', email: 'bob@example.com' });
      const ids: number[] = [];
      for (let i = 0; i < 120; i++) ids.push(await insertSend(ds, { customerId: bob, idempotencyKey: `race-${dialect}-${i}` }));
      const provider = new CountingProvider();
      const small = { ...config, outbox: { ...config.outbox, batchSize: 7, concurrency: 2 } };
      const d1 = new OutboxDispatcher(new SqlOutboxStore(ds), allChannels(provider), clock, small);
      const d2 = new OutboxDispatcher(new SqlOutboxStore(other), allChannels(provider), clock, small);
      const [r1, r2] = await Promise.all([d1.dispatch(), d2.dispatch()]);

      expect(r1.sent + r2.sent).toBe(120);
      // Both really took part (otherwise the test proves nothing about concurrent claims).
      expect(Math.min(r1.sent, r2.sent)).toBeGreaterThan(0);
      expect(r1.lost + r2.lost).toBe(0);
      expect(provider.delivered.size).toBe(120);
      expect([...provider.delivered.values()].every((n) => n === 1)).toBe(true);
      for (const id of ids) expect((await sendState(ds, id)).status).toBe('sent');
    } finally {
      await other.destroy();
    }
  });

  it('puts a send stuck in sending after a crash back in the queue once its lease expired, and resends it', async () => {
    const ds = db.dataSource;
    const clock = new VirtualClock(T0);
    const carol = await insertCustomer(ds, { externalId: 'carol-3', email: 'carol@example.com' });
    // Claimed 6 minutes ago by a dispatcher that died (lease 5 min): next_attempt_at is the lease end.
    const stuck = await insertSend(ds, { customerId: carol, idempotencyKey: 'stuck:1:1', status: 'sending', attempts: 1, nextAttemptAt: T0 - 60_000 });
    // Claimed a minute ago by a dispatcher still working on it: left alone.
    const busy = await insertSend(ds, { customerId: carol, status: 'sending', attempts: 1, nextAttemptAt: T0 + 240_000 });
    // Out of attempts: given up instead of resent forever.
    const spent = await insertSend(ds, { customerId: carol, status: 'sending', attempts: 5, nextAttemptAt: T0 - 1 });
    const provider = new CountingProvider();

    const report = await new OutboxDispatcher(new SqlOutboxStore(ds), allChannels(provider), clock, config).dispatch();

    expect(report.recovered).toBe(2);
    expect(provider.delivered.get('stuck:1:1')).toBe(1);
    expect(await sendState(ds, stuck)).toMatchObject({ status: 'sent', attempts: 2, provider_message_id: 'c:stuck:1:1' });
    expect((await sendState(ds, stuck)).last_error).toMatch(/attempt 1: lease expired/);
    expect(await sendState(ds, busy)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await sendState(ds, spent)).toMatchObject({ status: 'failed', attempts: 5 });
    expect((await sendState(ds, spent)).last_error).toMatch(/delivery outcome unknown/);
  });

  it('claims at most the batch size, oldest first, and counts the attempt', async () => {
    const ds = db.dataSource;
    const store = new SqlOutboxStore(ds);
    await store.claim(T0 + 2, T0 + 3, 1000); // clear whatever earlier tests left queued
    const erin = await insertCustomer(ds, { externalId: 'erin-5', email: 'erin@example.com' });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertSend(ds, { customerId: erin }));
    const claimed = await store.claim(T0 + 2, T0 + 300_000, 3);
    expect(claimed.map((s) => s.id)).toEqual(ids.slice(0, 3));
    expect(claimed.every((s) => s.attempts === 1 && s.customer?.externalId === 'erin-5')).toBe(true);
    expect(await sendState(ds, ids[0])).toMatchObject({ status: 'sending', next_attempt_at: T0 + 300_000 });
    expect(await sendState(ds, ids[3])).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('ignores the late answer of a dispatcher whose lease expired and whose send was re-claimed', async () => {
    const ds = db.dataSource;
    const store = new SqlOutboxStore(ds);
    const dave = await insertCustomer(ds, { externalId: 'dave-4', email: 'dave@example.com' });
    const id = await insertSend(ds, { customerId: dave, idempotencyKey: 'fence:1:1' });
    const [first] = (await store.claim(T0, T0 + 1000, 100)).filter((s) => s.id === id);
    await store.recoverExpired(T0 + 2000, 5);
    const [second] = (await store.claim(T0 + 2000, T0 + 3000, 100)).filter((s) => s.id === id);
    expect([first.attempts, second.attempts]).toEqual([1, 2]);
    expect(await store.markFailed(id, first.attempts, 'late')).toBe(false);
    expect(await store.markSent(id, second.attempts, T0 + 2500, 'p-2')).toBe(true);
    expect(await sendState(ds, id)).toMatchObject({ status: 'sent', provider_message_id: 'p-2' });
  });
});
