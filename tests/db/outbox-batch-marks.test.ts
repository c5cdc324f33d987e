import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import type { OutboxStore, SendOutcome } from '../../server/src/core/channels/outbox-store.js';
import type { ChannelProvider, OutboundMessage } from '../../server/src/core/channels/provider.js';
import type { ChannelProviders } from '../../server/src/core/channels/registry.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { CHANNELS } from '../../server/src/core/data/model.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend, sendState } from '../support/outbox-fixtures.js';

const T0 = Date.parse('2026-11-11T02:00:00Z');
const config = parseChannelsConfig({});

/** Counts deliveries per idempotency key; answers after 0–2 ms, so dispatchers overlap. */
class CountingProvider implements ChannelProvider {
  readonly kind = 'counting';
  readonly delivered = new Map<string, number>();
  constructor(private readonly who = 'p') {}
  async deliver(m: OutboundMessage) {
    await new Promise((r) => setTimeout(r, m.sendId % 3));
    this.delivered.set(m.idempotencyKey, (this.delivered.get(m.idempotencyKey) ?? 0) + 1);
    return { providerMessageId: `${this.who}:${m.idempotencyKey}:${m.attempt}` };
  }
}
const allChannels = (p: ChannelProvider) => Object.fromEntries(CHANNELS.map((c) => [c, p])) as ChannelProviders;

/** The one statement that records a PostgreSQL batch's outcomes (outbox-store.ts, PG_MARK_ALL). */
const isBatchMark = (sql: unknown) => typeof sql === 'string' && /^UPDATE sends AS s SET\s+status = v\.status/.test(sql);

describe.each(DIALECTS)('the outbox records a batch’s outcomes at once, on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('two dispatchers on one database deliver 1,500 sends exactly once each, lose none, and mark each batch in one statement', async () => {
    // A second pool on the same database, as a second server process has.
    const other = await openDatabase(db.target);
    try {
      const ds = db.dataSource;
      const clock = new VirtualClock(T0);
      const customer = await insertCustomer(ds, { externalId: `two-${dialect}`, email: 'two@example.com' });
      await ds.transaction(async (m) => {
        for (let i = 0; i < 1500; i++) await insertSend(ds, { customerId: customer, idempotencyKey: `two-${dialect}-${i}`, scheduledAt: T0 - 1500 + i }, m);
      });
      const provider = new CountingProvider();
      const statements = [jest.spyOn(ds.manager, 'query'), jest.spyOn(other.manager, 'query')];
      // Every claim's size: under contention a claim can come back short (below), and each claimed batch is marked once.
      const claims: number[] = [];
      const counted = (store: SqlOutboxStore) => {
        const claim = store.claim.bind(store);
        store.claim = async (now, lease, limit) => {
          const got = await claim(now, lease, limit);
          claims.push(got.length);
          return got;
        };
        return store;
      };
      const d1 = new OutboxDispatcher(counted(new SqlOutboxStore(ds)), allChannels(provider), clock, config);
      const d2 = new OutboxDispatcher(counted(new SqlOutboxStore(other)), allChannels(provider), clock, config);
      const [r1, r2] = await Promise.all([d1.dispatch(), d2.dispatch()]);

      expect(r1.sent + r2.sent).toBe(1500);
      expect(Math.min(r1.sent, r2.sent)).toBeGreaterThan(0); // both took part
      expect(r1.lost + r2.lost).toBe(0);
      expect(provider.delivered.size).toBe(1500);
      expect([...provider.delivered.values()].every((n) => n === 1)).toBe(true);
      const counts = (await ds.query(`SELECT status, COUNT(*) AS n FROM sends WHERE idempotency_key LIKE 'two-%' GROUP BY status`)) as { status: string; n: number | string }[];
      expect(counts.map((c) => [c.status, Number(c.n)])).toEqual([['sent', 1500]]);
      const batches = claims.filter((n) => n > 0);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(1500);
      expect(Math.max(...batches)).toBeLessThanOrEqual(config.outbox.batchSize);
      if (dialect === 'postgres') {
        // One mark statement per claimed batch, not one per send. Not always 15: a claim's
        // `ORDER BY … LIMIT 100 FOR UPDATE SKIP LOCKED` can return fewer than 100 rows when the
        // other dispatcher's claim commits while this one reads (PostgreSQL locks a row its snapshot
        // saw queued, re-checks it, finds it 'sending' and drops it after LIMIT was applied; the
        // SELECT docs say so). No row is claimed twice (each key delivered once, above); the short
        // batch is marked on its own and its dispatcher stops, the other takes the rest — 16 marks
        // for 15 full batches' worth, as once seen in CI.
        const marks = statements.flatMap((s) => s.mock.calls.map((c) => c[0])).filter(isBatchMark);
        expect(marks).toHaveLength(batches.length);
        expect(batches.length).toBeGreaterThanOrEqual(15);
      }
      statements.forEach((s) => s.mockRestore());
    } finally {
      await other.destroy();
    }
  });

  it('after a dispatcher dies between its claim and its mark, the batch stays claimed until the lease ends, then is delivered again and recorded; the dead one’s late mark changes nothing', async () => {
    const ds = db.dataSource;
    const customer = await insertCustomer(ds, { externalId: `crash-${dialect}`, email: 'crash@example.com' });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await insertSend(ds, { customerId: customer, idempotencyKey: `crash-${dialect}-${i}`, scheduledAt: T0 - 100 + i }));
    const real = new SqlOutboxStore(ds);
    // The first dispatcher delivers its batch, then its process dies before the mark is written.
    let lateOutcomes: readonly SendOutcome[] = [];
    const dying: OutboxStore = {
      recoverExpired: (now, max) => real.recoverExpired(now, max),
      claim: (now, lease, limit) => real.claim(now, lease, limit),
      markAll: async (outcomes) => {
        lateOutcomes = outcomes;
        throw new Error('process killed');
      },
    };
    const first = new CountingProvider('first');
    await expect(new OutboxDispatcher(dying, allChannels(first), new VirtualClock(T0), config).dispatch()).rejects.toThrow('process killed');
    expect(first.delivered.size).toBe(30);
    for (const id of ids) expect(await sendState(ds, id)).toMatchObject({ status: 'sending', attempts: 1, next_attempt_at: T0 + config.outbox.lease });

    // Another process before the lease ends: the claimed batch is not touched (no double send).
    const second = new CountingProvider('second');
    const early = await new OutboxDispatcher(real, allChannels(second), new VirtualClock(T0 + config.outbox.lease - 1), config).dispatch();
    expect(early).toMatchObject({ recovered: 0, sent: 0 });
    expect(second.delivered.size).toBe(0);

    // Once it has ended: back in the queue, delivered again with the same keys, recorded.
    const after = await new OutboxDispatcher(real, allChannels(second), new VirtualClock(T0 + config.outbox.lease + 1), config).dispatch();
    expect(after).toMatchObject({ recovered: 30, sent: 30, lost: 0 });
    for (const [i, id] of ids.entries()) {
      const s = await sendState(ds, id);
      expect(s).toMatchObject({ status: 'sent', attempts: 2, provider_message_id: `second:crash-${dialect}-${i}:2` });
      expect(s.last_error).toMatch(/attempt 1: lease expired/);
    }
    // At least once: the keys the dead process had delivered went out once more, each with its own key.
    expect([...second.delivered.keys()].sort()).toEqual([...first.delivered.keys()].sort());

    // The dead dispatcher's outcomes, should they arrive late, are fenced off by the attempt count.
    expect(lateOutcomes).toHaveLength(30);
    expect(await real.markAll(lateOutcomes)).toEqual(lateOutcomes.map(() => false));
    expect(await sendState(ds, ids[0])).toMatchObject({ status: 'sent', provider_message_id: `second:crash-${dialect}-0:2` });
  });

  it('records sent, retried, failed and blocked outcomes of one batch each as its single mark did', async () => {
    const ds = db.dataSource;
    const store = new SqlOutboxStore(ds);
    const customer = await insertCustomer(ds, { externalId: `kinds-${dialect}`, email: 'k@example.com' });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await insertSend(ds, { customerId: customer, idempotencyKey: `kinds-${dialect}-${i}`, scheduledAt: T0 + 10_000 + i }));
    const claimed = (await store.claim(T0 + 20_000, T0 + 320_000, 100)).filter((s) => ids.includes(s.id));
    expect(claimed).toHaveLength(4);
    const [a, b, c, d] = ids;
    const ok = await store.markAll([
      { kind: 'sent', id: a, attempt: 1, at: T0 + 20_001, providerMessageId: 'pm-1' },
      { kind: 'retry', id: b, attempt: 1, nextAttemptAt: T0 + 80_000, error: 'attempt 1: 503' },
      { kind: 'failed', id: c, attempt: 1, error: 'attempt 1: 550 (not retryable)' },
      { kind: 'blocked', id: d, attempt: 1, reason: 'no-consent:email' },
      { kind: 'sent', id: d, attempt: 7, at: T0, providerMessageId: 'not ours' },
    ]);
    expect(ok).toEqual([true, true, true, true, false]);
    expect(await sendState(ds, a)).toMatchObject({ status: 'sent', sent_at: T0 + 20_001, provider_message_id: 'pm-1', next_attempt_at: null, last_error: null, reason: null });
    expect(await sendState(ds, b)).toMatchObject({ status: 'queued', next_attempt_at: T0 + 80_000, last_error: 'attempt 1: 503', sent_at: null, provider_message_id: null });
    expect(await sendState(ds, c)).toMatchObject({ status: 'failed', next_attempt_at: null, last_error: 'attempt 1: 550 (not retryable)', sent_at: null });
    expect(await sendState(ds, d)).toMatchObject({ status: 'blocked', next_attempt_at: null, reason: 'no-consent:email', last_error: null, sent_at: null });
  });
});
