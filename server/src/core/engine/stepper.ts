import type { Customer } from '../data/model.js';
import type { Facts } from '../facts/derive.js';
import type { FlowNode } from '../flow/schema.js';
import { byCustomer, eventMatches } from './event-match.js';
import { factsReadByAll } from './flow-fact-needs.js';
import { customerFieldsReadByAll } from './flow-customer-needs.js';
import type { BatchContext, ExecutorRegistry } from './executor.js';
import type { Effect, Enrollment, FlowVersion, StepLog, StepResult } from './model.js';
import type { BatchTransaction, EngineContext, EnrollmentCursor, EnrollmentRef, EnrollmentUpdate, JourneyEvent, JourneyStore } from './ports.js';
import { InProcessStepQueue, type StepJobResult, type StepQueue } from './step-queue.js';
import type { BatchReads, SendPolicy } from '../policy/ports.js';

export interface StepperOptions {
  /** Enrollments per transaction. Batches are read in customer-id order (see JourneyStore). */
  batchSize?: number;
  /** Steps one enrollment may take in one tick before it must wait (validate forbids loops without waits). */
  maxHopsPerTick?: number;
  timezone: string;
  /** Where batches go (default: run in this process). */
  queue?: (stepper: Stepper) => StepQueue;
}

export interface TickReport {
  batches: number;
  enrollments: number;
  steps: number;
  sends: number;
  exited: number;
}

interface Working {
  e: Enrollment;
  update: EnrollmentUpdate;
  touched: boolean;
}

/**
 * The stepper's own copy of an enrollment, every field written out, `groupLabel` too (undefined
 * when none). The hop loop reads and writes these copies several times a step and hands them to
 * every executor. A spread copy (`{ ...e }`) kept the hidden class of whatever made the enrollment
 * (a stored row with or without a group label) and gained `groupLabel` at the limit node, so the
 * same property accesses met several classes: in a CPU profile of bench/engine (100,000
 * customers) the loop's stores and the log line were ~6% of the stepping, ~0.8% with one class
 * (bench/README.md, twelfth wave).
 */
function workingCopy(e: Enrollment): Enrollment {
  return {
    id: e.id,
    flowId: e.flowId,
    versionId: e.versionId,
    customerId: e.customerId,
    journeyKey: e.journeyKey,
    nodeId: e.nodeId,
    status: e.status,
    enteredAt: e.enteredAt,
    nodeEnteredAt: e.nodeEnteredAt,
    wakeAt: e.wakeAt,
    stepCount: e.stepCount,
    arm: e.arm,
    groupLabel: e.groupLabel,
  };
}

/** An enrollment's update before any step, every field present from the start (one hidden class, as workingCopy). */
function firstUpdate(e: Enrollment): EnrollmentUpdate {
  return { id: e.id, nodeId: e.nodeId, status: e.status, nodeEnteredAt: e.nodeEnteredAt, wakeAt: e.wakeAt, stepCount: e.stepCount, arm: e.arm, waitingFor: null, exitReason: null, groupLabel: undefined };
}

/**
 * Advances due enrollments. It reads a batch, lets each node's executor decide for every
 * enrollment standing at that node, follows immediate transitions in memory (condition → send
 * → wait) and commits the batch's new states, sends and log lines in ONE store transaction.
 * A crash before the commit loses nothing and repeats nothing: the batch is simply read again.
 */
export class Stepper {
  private readonly batchSize: number;
  private readonly maxHops: number;
  readonly queue: StepQueue;

  constructor(
    private readonly ctx: EngineContext,
    private readonly executors: ExecutorRegistry,
    private readonly opts: StepperOptions,
  ) {
    this.batchSize = opts.batchSize ?? 1000;
    this.maxHops = opts.maxHopsPerTick ?? 100;
    this.queue = opts.queue ? opts.queue(this) : new InProcessStepQueue((job) => this.stepBatch(job.enrollments, job.now));
  }

  /** Steps everything due at the clock's current time; returns what it did. */
  async tick(): Promise<TickReport> {
    const report: TickReport = { batches: 0, enrollments: 0, steps: 0, sends: 0, exited: 0 };
    const now = this.ctx.clock.now();
    let cursor: EnrollmentCursor | null = null;
    for (;;) {
      // Ids only for a queue whose workers re-read the rows (a planner's 1,000 rows of 13 columns a
      // batch were parsed only to take two of them: ~30% of bench/workers' planner CPU in its profile).
      const due: EnrollmentRef[] =
        this.queue.readAhead?.(now, cursor) ??
        (this.queue.idsOnly && this.ctx.store.dueRefs ? await this.ctx.store.dueRefs(now, this.batchSize, cursor) : await this.ctx.store.dueEnrollments(now, this.batchSize, cursor));
      if (due.length === 0) break;
      const last = due[due.length - 1];
      cursor = { customerId: last.customerId, id: last.id };
      const r = await this.queue.submit({ now, enrollments: due });
      report.batches++;
      report.enrollments += due.length;
      report.steps += r?.steps ?? 0;
      report.sends += r?.sends ?? 0;
      report.exited += r?.exited ?? 0;
      // Let other work (HTTP requests) run between batches: better-sqlite3 is synchronous.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const rest = await this.queue.drain();
    if (rest) {
      report.steps += rest.steps;
      report.sends += rest.sends;
      report.exited += rest.exited;
    }
    return report;
  }

  /**
   * Steps a batch of enrollments as read by `tick` (in this process), in ONE store transaction:
   * the reads, the contact policy's decisions and every write of the batch commit together.
   */
  async stepBatch(batch: Enrollment[], now: number): Promise<StepJobResult> {
    return this.ctx.store.inBatch({ customerIds: batch.map((e) => e.customerId), enrollmentIds: batch.map((e) => e.id) }, ({ store, transaction }) =>
      this.stepIn(store, transaction, batch, now),
    );
  }

  /**
   * Steps a batch a worker took from the queue: its enrollments are re-read (and locked) inside the
   * batch's transaction, and only those still due are stepped, so a job that runs twice (a worker
   * died after the commit, before BullMQ heard of it) repeats nothing.
   */
  async stepStored(now: number, refs: { id: number; customerId: number }[]): Promise<StepJobResult> {
    // The enrollments are locked by reloadDue itself (the read that the batch needs anyway), after
    // the customers: asking inBatch to lock them first would read the same rows twice.
    return this.ctx.store.inBatch({ customerIds: refs.map((r) => r.customerId), enrollmentIds: [] }, async ({ store, transaction }) => {
      const batch = await store.reloadDue(refs.map((r) => r.id), now);
      if (batch.length === 0) return { steps: 0, sends: 0, exited: 0 };
      return this.stepIn(store, transaction, batch, now);
    });
  }

  private async stepIn(store: JourneyStore, transaction: BatchTransaction, batch: Enrollment[], now: number): Promise<StepJobResult> {
    // By id (an enrollment listed twice is stepped once, as its last listing), built without an [id, working] pair each.
    const byId = new Map<number, Working>();
    for (const e of batch) byId.set(e.id, { e: workingCopy(e), touched: false, update: firstUpdate(e) });
    const working = [...byId.values()];
    const effects: Effect[] = [];
    const logs: StepLog[] = [];
    const versions = new Map<number, FlowVersion>();
    for (const e of batch) if (!versions.has(e.versionId)) versions.set(e.versionId, await store.flowVersion(e.versionId));

    const ids = batch.map((e) => e.customerId);
    let factsCache: Promise<Map<number, Facts>> | null = null;
    let customersCache: Promise<Map<number, Customer>> | null = null;
    const customers = () => (customersCache ??= store.customers(ids, customerFieldsReadByAll(versions.values())));
    // The batch's policy takes the customers and facts the batch reads anyway (external ids for block
    // lists, last orders for give-up) instead of reading them again for every batch.
    const reads: BatchReads = { customers, factsIfRead: () => factsCache };
    const policy: SendPolicy | undefined = this.ctx.policy?.within ? this.ctx.policy.within(transaction, ids, reads) : this.ctx.policy;
    const batchCtx = (version: FlowVersion): BatchContext => ({
      now,
      timezone: this.opts.timezone,
      version,
      rules: this.ctx.rules(version),
      facts: () => (factsCache ??= store.facts(ids, now, factsReadByAll(versions.values(), (v) => this.ctx.rules(v)))),
      customers,
      events: (types, since) => store.events(ids, types, since),
      assignments: (nodeId) => store.assignments(version.flowId, nodeId, ids),
      limitCount: (nodeId, windowStart) => store.limitCount(version.flowId, nodeId, windowStart),
      addToLimit: (nodeId, windowStart, n) => store.addToLimit(version.flowId, nodeId, windowStart, n),
      policy,
    });

    const log = (w: Working, outcome: string, detail?: Record<string, unknown>) =>
      logs.push({ enrollmentId: w.e.id, customerId: w.e.customerId, flowId: w.e.flowId, versionId: w.e.versionId, nodeId: w.e.nodeId, at: now, outcome, detail: detail ?? null });
    const finish = (w: Working, reason: string, goal: boolean, detail?: Record<string, unknown>) => {
      log(w, goal ? `completed:${reason}` : `exited:${reason}`, detail);
      Object.assign(w.update, { status: goal ? 'completed' : 'exited', wakeAt: null, exitReason: reason, waitingFor: null });
      w.e.status = w.update.status;
      w.touched = true;
    };

    // Exit-on events (order paid, order cancelled…) end a journey wherever it stands, before any
    // node runs: a payment reminder never goes out after the order was paid.
    const exitSoon = await this.applyExitOn(store, working, versions, now, finish);

    let pending = working.filter((w) => w.e.status === 'active');
    let steps = 0;
    for (let hop = 0; pending.length > 0; hop++) {
      if (hop >= this.maxHops) {
        for (const w of pending) finish(w, 'too-many-steps', false, { hint: 'a loop without a wait: run rekindle validate' });
        break;
      }
      const next: Working[] = [];
      // Send nodes of higher priority are decided first, so when two flows compete for a customer's
      // last cap slot within a batch the more important message wins (docs/policy.md).
      const groups = byNode(pending).map((group) => {
        const node = findNode(versions.get(group[0].e.versionId)!, group[0].e.nodeId);
        return { group, node, priority: node.type === 'send' ? node.priority : Infinity };
      });
      groups.sort((a, b) => b.priority - a.priority);
      for (const { group, node } of groups) {
        const version = versions.get(group[0].e.versionId)!;
        const results = await this.executors.get(node.type).execute(node as never, group.map((w) => w.e), batchCtx(version));
        group.forEach((w, i) => {
          const r: StepResult = results[i];
          if (r.kind === 'sleep') {
            // Never past an exit event already stored (see applyExitOn); never due again in this same tick.
            const until = Math.max(Math.min(r.until, exitSoon.get(w.e.id) ?? Infinity), now + 1);
            if (w.update.wakeAt !== until) w.touched = true;
            w.update.wakeAt = until;
            w.update.waitingFor = r.waitingFor ?? null;
            if (r.log) log(w, r.log.outcome, r.log.detail); // a deferred send says why it waits
            return;
          }
          steps++;
          if (r.kind === 'exit') return finish(w, r.reason, r.goal, r.detail);
          log(w, r.outcome, r.detail);
          if (r.effects) for (const x of r.effects) effects.push(x);
          if (r.arm) w.e.arm = w.update.arm = r.arm;
          if (r.group) w.e.groupLabel = w.update.groupLabel = r.group;
          w.e.nodeId = w.update.nodeId = r.next;
          w.e.nodeEnteredAt = w.update.nodeEnteredAt = now;
          w.e.stepCount = w.update.stepCount = w.e.stepCount + 1;
          w.update.waitingFor = null;
          w.touched = true;
          next.push(w);
        });
      }
      pending = next;
    }

    const updates: EnrollmentUpdate[] = [];
    for (const w of working) if (w.touched) updates.push(w.update);
    await store.commitStep(updates, effects, logs);
    return { steps, sends: effects.filter((x) => x.kind === 'send' && x.send.status === 'queued').length, exited: updates.filter((u) => u.status !== 'active').length };
  }

  /**
   * Ends the journeys whose exit event happened by `now`. Returns, per journey that goes on, the
   * earliest matching exit event already stored but stamped after `now` (the tick's instant, taken
   * before its batches run): such a journey must not sleep past it. Its intake wake-up found the
   * journey due (not asleep) and left it alone, so a payment stamped a moment after the tick began
   * was only acted on at the journey's next timer — a paid order's reminder journey stayed active
   * for up to the 2-hour wait (seen in an HTTP burst of order_created + order_paid).
   */
  private async applyExitOn(
    store: JourneyStore,
    ws: Working[],
    versions: Map<number, FlowVersion>,
    now: number,
    finish: (w: Working, reason: string, goal: boolean, detail?: Record<string, unknown>) => void,
  ): Promise<Map<number, number>> {
    const soon = new Map<number, number>();
    const types = new Set<string>();
    for (const v of versions.values()) for (const x of v.flow.exitOn) types.add(x.event);
    if (types.size === 0) return soon;
    const since = Math.min(...ws.map((w) => w.e.enteredAt));
    const events = byCustomer(await store.events(ws.map((w) => w.e.customerId), [...types], since));
    for (const w of ws) {
      const mine = events.get(w.e.customerId);
      if (!mine) continue;
      for (const rule of versions.get(w.e.versionId)!.flow.exitOn) {
        const hit = mine.find((ev: JourneyEvent) => ev.type === rule.event && ev.occurredAt >= w.e.enteredAt && ev.occurredAt <= now && eventMatches(ev, rule.match, w.e.journeyKey));
        if (hit) {
          finish(w, rule.event, rule.goal, { event: hit.type, eventId: hit.id });
          break;
        }
        const later = mine.find((ev: JourneyEvent) => ev.type === rule.event && ev.occurredAt > now && eventMatches(ev, rule.match, w.e.journeyKey));
        if (later && later.occurredAt < (soon.get(w.e.id) ?? Infinity)) soon.set(w.e.id, later.occurredAt);
      }
    }
    return soon;
  }
}

function findNode(version: FlowVersion, nodeId: string): FlowNode {
  const node = version.flow.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`flow ${version.flowId} v${version.version} has no node "${nodeId}" (${version.id}\u0000${nodeId})`);
  return node;
}

/**
 * The pending enrollments grouped by where they stand (version and node), groups in the order of
 * their first member, members in batch order. Found through a map per version keyed by node id,
 * and the previous member's group first (a batch's enrollments mostly stand together): a key
 * string composed per enrollment and hop (`version\0node`) was made, hashed and thrown away.
 */
function byNode(pending: Working[]): Working[][] {
  const groups: Working[][] = [];
  const byVersion = new Map<number, Map<string, Working[]>>();
  let last: Working[] | null = null;
  for (const w of pending) {
    if (last !== null && last[0].e.versionId === w.e.versionId && last[0].e.nodeId === w.e.nodeId) {
      last.push(w);
      continue;
    }
    let nodes = byVersion.get(w.e.versionId);
    if (!nodes) byVersion.set(w.e.versionId, (nodes = new Map()));
    last = nodes.get(w.e.nodeId) ?? null;
    if (last) last.push(w);
    else {
      nodes.set(w.e.nodeId, (last = [w]));
      groups.push(last);
    }
  }
  return groups;
}
