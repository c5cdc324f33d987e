import type { Customer } from '../data/model.js';
import type { SendRequest } from '../engine/model.js';
import type { BatchTransaction } from '../engine/ports.js';
import type { Facts } from '../facts/derive.js';
import type { PolicyRequest, Verdict } from './review.js';

/**
 * The engine asks this port, at the moment of sending, whether a batch of sends may go out. The
 * implementation (persistence/policy-store.ts) reserves the slots atomically: it locks the
 * customers involved, counts their touches across all flows, and writes the `sends` rows of
 * every final verdict (queued, blocked, skipped) keyed by the idempotency key, so a retried step
 * finds its own reservation and two workers cannot both take a customer's last slot.
 * Deferred sends write nothing; the journey log says why they wait.
 */
export interface SendPolicy {
  review(items: { request: PolicyRequest; send: SendRequest }[], now: number): Promise<Map<string, Verdict>>;
  /**
   * The policy bound to one stepping batch's transaction: it reads the batch's customers' touches
   * and standing ONCE (for all of the batch's send nodes), decides in memory, and leaves the
   * writes (sends rows come from the stepper's commit; shared counters) to the batch's commit.
   * `reads` are the batch's own reads of its customers and facts: the policy takes the customers'
   * external ids (block lists) and last orders (give-up) from them instead of reading them again.
   */
  within?(tx: BatchTransaction, customerIds: number[], reads?: BatchReads): SendPolicy;
  /**
   * True when review() neither reads nor writes a send's subject and body (a stepping batch's
   * policy: the rows are written by the batch's commit). The send executor then renders a
   * message's text once its verdict is known (a held-back one with its stand-ins, a deferred one
   * not at all) and hands review() the request without it. Otherwise the text is rendered first.
   */
  readonly textAfterVerdict?: boolean;
}

/**
 * What a stepping batch reads of its customers anyway (core/engine/stepper.ts), handed to the
 * batch's policy: a send node has read the customers before it asks for a review, and a node that
 * names facts (a switch, a condition, a template with `{{facts.…}}`) has read their facts. Both
 * come from the same rows, in the same transaction, as the policy's own reads would.
 */
export interface BatchReads {
  /** The batch's live customers (read once per batch; deleted ones are absent, as they send nothing). */
  customers(): Promise<Map<number, Customer>>;
  /** The batch's facts if something in the batch has read them already, else null (nothing is read). */
  factsIfRead(): Promise<Map<number, Facts>> | null;
}

/** Records the group label of new enrollments (group-size limits split an audience into groups). */
export interface GroupLabels {
  label(flowId: string, entries: { entryKey: string; label: string }[]): Promise<void>;
  /** Facts used to order candidates of a limited entry (e.g. totalSpent). */
  factValues(customerIds: number[], fact: string, at: number): Promise<Map<number, number | null>>;
}
