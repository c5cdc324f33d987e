import type { Clock } from '../clock.js';
import type { Customer } from '../data/model.js';
import type { Facts } from '../facts/derive.js';
import type { Effect, Enrollment, FlowVersion, StepLog } from './model.js';
import type { SendPolicy } from '../policy/ports.js';
import type { WakeTarget } from './event-reactions.js';

export interface EnrollmentCursor {
  customerId: number;
  id: number;
}

/** An enrollment as a planner hands it to workers that re-read it: its id and its customer's. */
export interface EnrollmentRef {
  id: number;
  customerId: number;
}

/** A customer event as the engine reads it (persisted in customer_events). */
export interface JourneyEvent {
  id: number;
  customerId: number;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: number;
}

/** The result of evaluating a rule for one customer, with the "why". */
export interface RuleDecision {
  /**
   * A number no other decision of this process has, when the evaluator shares decision objects
   * (one per distinct answer): a switch finds the detail of a combination of answers by these.
   */
  id?: number;
  matched: boolean;
  /** The facts the rule read and each condition's result, kept in the journey log. */
  explanation: Record<string, unknown>;
}

/** Evaluates a named rule or inline conditions. Built once per flow version, not per customer. */
export interface RuleEvaluator {
  evaluate(ref: { rule?: string; conditions?: Record<string, unknown> }, facts: Facts, at: number): Promise<RuleDecision>;
  /**
   * The decision `evaluate` would give, if it is already known (the same rule answered at `at` for
   * facts alike in what it reads), without waiting; else undefined. Optional: a switch asks every
   * case for every customer, and most answers are known, so it asks here first.
   */
  known?(ref: { rule?: string; conditions?: Record<string, unknown> }, facts: Facts, at: number): RuleDecision | undefined;
  /**
   * The facts `evaluate` reads for this rule or these inline conditions (through the rules they
   * reference too), or null when that is not known (an unknown rule, conditions that do not check):
   * a stepping batch then reads only these (core/engine/flow-fact-needs.ts). Optional: without it,
   * a flow with a condition or a switch reads all facts.
   */
  factsRead?(ref: { rule?: string; conditions?: Record<string, unknown> }): readonly string[] | null;
}

/** The new state of an enrollment after a batch step. */
export interface EnrollmentUpdate {
  id: number;
  nodeId: string;
  status: Enrollment['status'];
  nodeEnteredAt: number;
  wakeAt: number | null;
  stepCount: number;
  arm: string | null;
  waitingFor: string[] | null;
  exitReason: string | null;
  /** Set when a group-size limit put the enrollment in a group (undefined: unchanged). */
  groupLabel?: string;
}

/** A batch's transaction, opaque to the engine: stores bound to it read and write inside it. */
export interface BatchTransaction {
  readonly kind: 'batch-transaction';
}

export interface NewEnrollment {
  flowId: string;
  versionId: number;
  customerId: number;
  journeyKey: string;
  nodeId: string;
  enteredAt: number;
  /** Unique per flow: the same entry (event id, schedule run) never enrolls twice. */
  entryKey: string;
  /** When it is first due; absent: at once (`enteredAt`). Set when its first step is decided at entry (first-wait.ts). */
  wakeAt?: number;
}

/**
 * Everything the engine reads and writes, behind one port. The TypeORM implementation batches
 * each call into set-based statements ordered by customer id (see persistence/journey-store.ts).
 */
export interface JourneyStore {
  /**
   * Active enrollments due at `now` of flows that are running, in (customer id, id) order after
   * the cursor: set-based batches in key order keep SQLite's page writes local (~7x faster).
   */
  dueEnrollments(now: number, limit: number, after: EnrollmentCursor | null): Promise<Enrollment[]>;
  /**
   * The same batches as `dueEnrollments`, ids only: for a queue whose workers re-read and lock
   * the rows themselves (StepQueue.idsOnly). Optional: without it the planner reads whole rows.
   */
  dueRefs?(now: number, limit: number, after: EnrollmentCursor | null): Promise<EnrollmentRef[]>;
  flowVersion(id: number): Promise<FlowVersion>;
  /**
   * The customers (deleted ones left out): every field, or (`fields`) at least those — a stepping
   * batch names what its send nodes read (flow-customer-needs.ts); the others may be left empty.
   */
  customers(ids: number[], fields?: readonly (keyof Customer)[] | null): Promise<Map<number, Customer>>;
  /**
   * The customers' facts at `at`: all of them, or (`names`) at least the named ones — a stepping
   * batch names what its flows read (flow-fact-needs.ts), so a store may derive only those.
   */
  facts(ids: number[], at: number, names?: readonly string[] | null): Promise<Map<number, Facts>>;
  /** Events of these customers of the given types that occurred at or after `since`, oldest first. */
  events(customerIds: number[], types: string[], since: number): Promise<JourneyEvent[]>;
  /**
   * How many enrollments a limit node has let through in the window starting at `windowStart`
   * (0: ever). Inside a batch the counter row is locked until the batch commits, so two workers
   * never hand out the same place.
   */
  limitCount(flowId: string, nodeId: string, windowStart: number): Promise<number>;
  /** Adds to that counter, written with the batch. */
  addToLimit(flowId: string, nodeId: string, windowStart: number, n: number): void;
  /**
   * Re-reads a batch's enrollments inside its transaction (locked on PostgreSQL) and keeps those
   * still due at `now`: a job that was retried after its batch committed finds nothing to do.
   */
  reloadDue(ids: number[], now: number): Promise<Enrollment[]>;
  /**
   * Runs one batch as ONE transaction: `work` reads and writes through the store it is given
   * (and through `transaction`, which the contact policy binds to), and everything commits when
   * `work` resolves — or nothing, when it throws.
   */
  inBatch<T>(lock: { customerIds: number[]; enrollmentIds: number[] }, work: (tx: { store: JourneyStore; transaction: BatchTransaction }) => Promise<T>): Promise<T>;
  /** Existing split assignments (sticky arms) for a flow node. */
  assignments(flowId: string, nodeId: string, customerIds: number[]): Promise<Map<number, string>>;
  /** Writes one batch's outcome atomically: enrollment updates, effects, log lines. */
  commitStep(updates: EnrollmentUpdate[], effects: Effect[], logs: StepLog[]): Promise<void>;
  /** Inserts enrollments, skipping any whose entry key already exists; returns how many were new. */
  enroll(entries: NewEnrollment[], now: number, logs: (e: NewEnrollment) => Omit<StepLog, 'enrollmentId'>): Promise<number>;
}

export interface EngineContext {
  clock: Clock;
  store: JourneyStore;
  /** Builds (and caches) the rule evaluator of a flow version. */
  rules(version: FlowVersion): RuleEvaluator;
  /** Contact policy (caps, quiet hours, suppression) reviewed by the send executor. */
  policy?: SendPolicy;
}

/** A running (or paused) flow and the version new customers enter. */
export interface PublishedFlow {
  flowId: string;
  status: 'active' | 'paused' | 'stopped';
  version: FlowVersion;
  lastRunAt: number | null;
}

/** Flows as the engine sees them (published versions live in the database). */
export interface FlowCatalog {
  published(): Promise<PublishedFlow[]>;
  /** Every published version of every flow, old ones included: enrollments finish on the version they entered. */
  versions(): Promise<FlowVersion[]>;
  /** Records that a schedule/audience entry ran at `at` (so it does not run twice). */
  markRun(flowId: string, at: number): Promise<void>;
}

/** Customers matching a named rule at an instant (SQL path or engine, see core/segment). */
export interface SegmentPort {
  customerIds(ruleName: string, at: number): Promise<number[]>;
}

/** What entry needs beyond stepping. */
export interface EntryStore {
  /**
   * Past entries of a flow for re-entry (entry-policy.ts mayEnter), by customer. For a candidate
   * with a journey key only that customer's entries with the same key (mayEnter looks at no
   * other); for one without a key ('') all of the customer's entries of the flow.
   */
  entryHistory(flowId: string, candidates: { customerId: number; journeyKey: string }[]): Promise<Map<number, { journeyKey: string; enteredAt: number; active: boolean }[]>>;
  /** Wakes, at `now`, the sleeping enrollments these targets name (event-reactions.ts); returns how many. */
  wake(targets: WakeTarget[], now: number): Promise<number>;
}
