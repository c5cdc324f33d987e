import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CHANNELS_CONFIG } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import type { ClaimedSend, OutboxStore, SendOutcome } from '../../server/src/core/channels/outbox-store.js';
import type { ChannelProviders } from '../../server/src/core/channels/registry.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { yieldingOutboxStore } from '../../server/src/runtime/yielding-outbox-store.js';

/** An outbox of `n` sends whose customers are gone (each is marked blocked), every call answered at once, as SQLite's synchronous writes are. */
function instantOutbox(n: number): OutboxStore & { marked: number } {
  let next = 1;
  const store = {
    marked: 0,
    recoverExpired: async () => ({ requeued: 0, failed: 0 }),
    claim: async (_now: number, _lease: number, limit: number): Promise<ClaimedSend[]> => {
      const out: ClaimedSend[] = [];
      for (; out.length < limit && next <= n; next++)
        out.push({ id: next, idempotencyKey: `k${next}`, attempts: 1, channel: 'email', category: 'transactional', subject: null, body: '', linkToken: null, couponCode: null, flowId: 'f', nodeId: 'n', customer: null });
      return out;
    },
    markAll: async (outcomes: readonly SendOutcome[]) => {
      store.marked += outcomes.length;
      // Some synchronous work a write takes (a statement a send on the raw connection).
      const until = performance.now() + 0.05 * outcomes.length;
      while (performance.now() < until);
      return outcomes.map(() => true);
    },
  };
  return store;
}

/** How many event-loop turns (setImmediate callbacks) ran while `work` did. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return turns;
}

/**
 * The outbox dispatcher runs on the server's request thread. With stores and providers that
 * answer at once, a dispatch never gave the event loop a turn: no request was served until the
 * outbox was empty (0.7–1.4 s under the events bench's "reminders already due").
 */
describe('the server’s outbox dispatch lets the event loop take turns', () => {
  const dispatch = (store: OutboxStore) => new OutboxDispatcher(store, {} as ChannelProviders, fixedClock(0), DEFAULT_CHANNELS_CONFIG).dispatch();

  it('takes none without the yielding store (what the request thread saw before)', async () => {
    const store = instantOutbox(2_000);
    expect(await turnsDuring(() => dispatch(store))).toBe(0);
    expect(store.marked).toBe(2_000);
  });

  it('takes one at least every few milliseconds with it, and still marks every send', async () => {
    const store = instantOutbox(2_000);
    const report = await (async () => {
      let r!: Awaited<ReturnType<OutboxDispatcher['dispatch']>>;
      const turns = await turnsDuring(async () => (r = await dispatch(yieldingOutboxStore(store, 2))));
      // 2,000 × 0.05 ms of synchronous work: ~100 ms, so ~50 turns at one per 2 ms (fewer on a
      // busy machine, where each turn also waits for a CPU); none at all without it.
      expect(turns).toBeGreaterThanOrEqual(10);
      return r;
    })();
    expect(report.blocked).toBe(2_000);
    expect(store.marked).toBe(2_000);
  });
});
