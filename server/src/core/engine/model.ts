import type { IssuedCoupon } from '../coupons/schema.js';
import type { Channel } from '../data/model.js';
import type { Flow } from '../flow/schema.js';

/** A published, immutable version of a flow: customers finish on the version they entered. */
export interface FlowVersion {
  id: number;
  flowId: string;
  version: number;
  hash: string;
  flow: Flow;
  publishedAt: number;
  author: string;
}

export type EnrollmentStatus = 'active' | 'completed' | 'exited';

/**
 * A customer's journey through one flow version. The engine is stateless between steps: all it
 * needs to resume after a restart is here (current node, when it entered it, when to wake).
 */
export interface Enrollment {
  id: number;
  flowId: string;
  versionId: number;
  customerId: number;
  /** Journey key (e.g. the order id of a payment reminder); '' for one journey per customer. */
  journeyKey: string;
  nodeId: string;
  status: EnrollmentStatus;
  enteredAt: number;
  nodeEnteredAt: number;
  /** When the stepper should look at it next; null when finished. */
  wakeAt: number | null;
  /** Steps taken so far: part of every send's idempotency key. */
  stepCount: number;
  /** Experiment arm, once a split assigned one. */
  arm: string | null;
  /** Group set by a limit node during this batch (the stored label is read by the send log). */
  groupLabel?: string;
}

/** A message the stepper hands to the outbox (delivered later, with retries). */
export interface SendRequest {
  idempotencyKey: string;
  enrollmentId: number;
  customerId: number;
  flowId: string;
  versionId: number;
  nodeId: string;
  arm: string | null;
  /** Group a limit node put this journey in during the same batch (else the stored one applies). */
  groupLabel?: string;
  channel: Channel;
  category: 'marketing' | 'care' | 'transactional';
  priority: number;
  subject: string | null;
  body: string;
  linkToken: string | null;
  linkUrl: string | null;
  couponCode: string | null;
  couponValue: number | null;
  /** A coupon this message issues (written to the coupons ledger when the message is queued). */
  coupon?: (IssuedCoupon & { journeyKey: string }) | null;
  /** Subject and body rendered without the coupon drawn: stored instead if the message is held back (held-back-coupon.ts). */
  withoutCoupon?: { subject: string | null; body: string };
  cost: number | null;
  /** queued: to deliver; blocked/skipped: recorded with a reason, never delivered. */
  status: 'queued' | 'blocked' | 'skipped';
  reason: string | null;
  scheduledAt: number;
  /** The flow's campaign tag (campaign caps count by it). */
  campaign?: string | null;
}

export type Effect =
  | { kind: 'send'; send: SendRequest }
  | { kind: 'addTag'; customerId: number; tag: string }
  | { kind: 'removeTag'; customerId: number; tag: string }
  | { kind: 'setAttribute'; customerId: number; name: string; value: string | number | boolean | null }
  | { kind: 'assign'; flowId: string; nodeId: string; customerId: number; enrollmentId: number; arm: string; at: number };

/** What an executor decides for one enrollment at its node. */
export type StepResult =
  /** Move along the named edge; `outcome` is logged (yes/no, arm, responded…). */
  | { kind: 'goto'; edge: string; next: string; outcome: string; detail?: Record<string, unknown>; effects?: Effect[]; arm?: string; group?: string }
  /** Stay at this node until `until` (a wait, or a response window still open). */
  | { kind: 'sleep'; until: number; waitingFor?: string[]; log?: { outcome: string; detail?: Record<string, unknown> } }
  /** End the journey here. */
  | { kind: 'exit'; reason: string; goal: boolean; detail?: Record<string, unknown> };

/**
 * Marks a log detail that many log lines share and nobody changes (a rule's explanation, handed
 * out once per distinct answer): the store may serialise it once for all of them. Set with
 * `shareDetail`; symbol keys never reach the stored JSON.
 */
export const SHARED_DETAIL: unique symbol = Symbol('shared log detail');

export function shareDetail<T extends Record<string, unknown>>(detail: T): T {
  Object.defineProperty(detail, SHARED_DETAIL, { value: true });
  return detail;
}

export function isSharedDetail(detail: Record<string, unknown>): boolean {
  return (detail as { [SHARED_DETAIL]?: boolean })[SHARED_DETAIL] === true;
}

/**
 * An entry of a shared detail made of a few fields of its own (`head`) followed by every field of
 * another shared detail (`part`): a switch's case is its label and verdict, then the rule's
 * explanation. The entry reads as `{ ...head, ...part }`; the store may keep the part once, by
 * itself, and the entry as its head and a reference to it, since many details repeat the same
 * explanations in different combinations (a Double-11 customer's switch detail is unique to the
 * combination of its eight answers, while each answer is shared by many customers).
 */
export const SHARED_PART: unique symbol = Symbol('shared part of a log detail entry');

export function entryWithPart(head: Record<string, unknown>, part: Record<string, unknown>): Record<string, unknown> {
  const entry = { ...head, ...part };
  if (isSharedDetail(part)) Object.defineProperty(entry, SHARED_PART, { value: { head, part } });
  return entry;
}

export function sharedPartOf(entry: unknown): { head: Record<string, unknown>; part: Record<string, unknown> } | undefined {
  return entry !== null && typeof entry === 'object' ? (entry as { [SHARED_PART]?: { head: Record<string, unknown>; part: Record<string, unknown> } })[SHARED_PART] : undefined;
}

/** One line of the journey log: what happened to an enrollment at a node, and why. */
export interface StepLog {
  enrollmentId: number;
  customerId: number;
  flowId: string;
  versionId: number;
  nodeId: string;
  at: number;
  outcome: string;
  detail: Record<string, unknown> | null;
}
