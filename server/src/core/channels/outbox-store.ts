import type { Channel, Customer } from '../data/model.js';

/** A send the dispatcher has claimed (status `sending`), with its customer as of the claim. */
export interface ClaimedSend {
  id: number;
  idempotencyKey: string;
  /** Attempts including this one; also the fencing token of the claim (see OutboxStore). */
  attempts: number;
  channel: Channel;
  category: 'marketing' | 'care' | 'transactional';
  subject: string | null;
  body: string;
  linkToken: string | null;
  couponCode: string | null;
  flowId: string;
  nodeId: string;
  /** null when the customer row is gone or in the recycle bin. */
  customer: Customer | null;
}

/**
 * The outbox as the dispatcher sees it (`persistence/outbox-store.ts` implements it on `sends`).
 * Every mark is conditional on the row still being `sending` with the attempt count of the claim:
 * if the lease ran out and another dispatcher re-claimed the row, a late answer of the first one
 * changes nothing.
 */
export interface OutboxStore {
  /** `sending` rows whose lease ended before `now`: back to `queued`, or `failed` when out of attempts. */
  recoverExpired(now: number, maxAttempts: number): Promise<{ requeued: number; failed: number }>;
  /**
   * Atomically moves up to `limit` due `queued` rows (next_attempt_at null or ≤ now) to `sending`,
   * counts the attempt and sets the lease (next_attempt_at = leaseUntil). Safe with several
   * dispatchers: a row is claimed by one of them only.
   */
  claim(now: number, leaseUntil: number, limit: number): Promise<ClaimedSend[]>;
  /**
   * Records the outcomes of a claimed batch's deliveries, all at once (PostgreSQL: one statement
   * for the batch, so one commit instead of one per message). Each is applied only if its row is
   * still `sending` with that attempt count; the answer says, per outcome in the same order,
   * whether it was. A failed or blocked send's coupon is voided.
   */
  markAll(outcomes: readonly SendOutcome[]): Promise<boolean[]>;
}

/** What became of one attempt at a claimed send (`attempt`: the claim's attempt count, its fencing token). */
export type SendOutcome =
  | { kind: 'sent'; id: number; attempt: number; at: number; providerMessageId: string }
  /** Back in the queue until `nextAttemptAt`. */
  | { kind: 'retry'; id: number; attempt: number; nextAttemptAt: number; error: string }
  | { kind: 'failed'; id: number; attempt: number; error: string }
  /** Never delivered, with a reason (customer removed, address or consent gone since queueing). */
  | { kind: 'blocked'; id: number; attempt: number; reason: string };
