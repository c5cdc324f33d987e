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
  markSent(id: number, attempt: number, at: number, providerMessageId: string): Promise<boolean>;
  markRetry(id: number, attempt: number, nextAttemptAt: number, error: string): Promise<boolean>;
  markFailed(id: number, attempt: number, error: string): Promise<boolean>;
  /** Never delivered, with a reason (customer removed, address or consent gone since queueing). */
  markBlocked(id: number, attempt: number, reason: string): Promise<boolean>;
}
