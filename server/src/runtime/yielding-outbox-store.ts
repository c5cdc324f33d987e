import type { ClaimedSend, OutboxStore } from '../core/channels/outbox-store.js';

/**
 * How long the outbox dispatcher may keep the event loop to itself (ms) before a store call first
 * lets it take a turn.
 */
export const OUTBOX_TURN_MS = 2;

/**
 * The outbox store as the server uses it (runtime/channel-runtime.ts): once the dispatcher has run
 * OUTBOX_TURN_MS without the event loop taking a turn, its next store call waits for one
 * (setImmediate: after the sockets are polled).
 *
 * Why: on SQLite each of the store's writes is synchronous, and taking the process write lock when
 * it is free resolves in a microtask; with providers that answer at once (outbox-only), a whole
 * dispatch — claim a batch, mark its sends, claim the next — ran as one chain of microtasks on the
 * server's request thread, and no request was served until the outbox was empty. Under the events
 * bench's "reminders already due" figure (every event queues a reminder) the event loop stalled
 * 0.7–1.4 s at each dispatch (every 5 s), and every request in flight waited that long.
 */
export function yieldingOutboxStore(store: OutboxStore, turnMs = OUTBOX_TURN_MS): OutboxStore {
  let since = performance.now();
  const turn = async (): Promise<void> => {
    if (performance.now() - since < turnMs) return;
    await new Promise((r) => setImmediate(r));
    since = performance.now();
  };
  return {
    recoverExpired: async (now, maxAttempts) => (await turn(), store.recoverExpired(now, maxAttempts)),
    claim: async (now, leaseUntil, limit): Promise<ClaimedSend[]> => (await turn(), store.claim(now, leaseUntil, limit)),
    markAll: async (outcomes) => (await turn(), store.markAll(outcomes)),
  };
}
