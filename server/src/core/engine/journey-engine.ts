import type { Clock } from '../clock.js';
import type { Flow, NodeOfType } from '../flow/schema.js';
import { parseDuration } from '../flow/duration.js';
import { mayEnter } from './entry-policy.js';
import { eventMatches } from './event-match.js';
import { eventReactions, wakeTargets, type EventReactions, type WakeTarget } from './event-reactions.js';
import type { ExecutorRegistry } from './executor.js';
import { defaultExecutors } from './executors/index.js';
import type { FlowVersion, StepLog } from './model.js';
import type { EntryStore, FlowCatalog, JourneyEvent, JourneyStore, NewEnrollment, RuleEvaluator, SegmentPort } from './ports.js';
import { nextEntryRun } from './schedule.js';
import type { GroupLabels, SendPolicy } from '../policy/ports.js';
import { applyGroupLimit } from '../policy/group-limit.js';
import { InProcessStepQueue, type StepJobResult, type StepQueue } from './step-queue.js';
import { Stepper, type EnteringEnrollment, type TickReport } from './stepper.js';

export interface JourneyEngineDeps {
  clock: Clock;
  store: JourneyStore & EntryStore;
  flows: FlowCatalog;
  segments: SegmentPort;
  /** Builds the rule evaluator of a flow version (called once per version). */
  rulesFor(version: FlowVersion): RuleEvaluator;
  timezone: string;
  executors?: ExecutorRegistry;
  batchSize?: number;
  /** Where stepping batches go (default: in this process; see step-queue.ts). */
  queue?: (stepper: Stepper) => StepQueue;
  /** Contact policy reviewed at the moment of sending (caps, quiet hours, suppression). */
  policy?: SendPolicy;
  /** Group labels and ordering facts for entry group-size limits. */
  groups?: GroupLabels;
}

export interface EntryReport {
  flowId: string;
  trigger: string;
  candidates: number;
  enrolled: number;
  refused: Record<string, number>;
  /** Group-size limit of the entry: how many it cut, deferred to later days, and group sizes. */
  limited?: { cut: number; deferred: number; groups: Record<string, number> };
}

const ENROLL_CHUNK = 5000;

/**
 * The journey engine, free of any framework: the server drives it from @nestjs/schedule, the
 * CLI's `simulate` from a virtual clock, tests directly. Entry, stepping and event handling only
 * meet through the store, so a queue adapter can later hand batches to other workers.
 */
export class JourneyEngine {
  readonly stepper: Stepper;
  private readonly evaluators = new Map<number, RuleEvaluator>();
  /** The event reactions of the versions last seen: versions are only ever added, so their count and last id name the set. */
  private reactions: { key: string; reactions: EventReactions } | null = null;

  constructor(private readonly deps: JourneyEngineDeps) {
    this.stepper = new Stepper({ clock: deps.clock, store: deps.store, rules: (v) => this.rules(v), policy: deps.policy }, deps.executors ?? defaultExecutors(), {
      timezone: deps.timezone,
      batchSize: deps.batchSize,
      queue: deps.queue,
    });
  }

  /** One rule engine per flow version, built on first use (never per customer). */
  rules(version: FlowVersion): RuleEvaluator {
    let r = this.evaluators.get(version.id);
    if (!r) this.evaluators.set(version.id, (r = this.deps.rulesFor(version)));
    return r;
  }

  /**
   * Runs due schedule/audience entries, then steps everything due. When batches run in this
   * process and the store can reserve ids, a new enrollment's first batch runs at its entry, in
   * the same transaction (enterAndStep); the tick's report counts those steps with the others.
   */
  async tick(): Promise<{ entries: EntryReport[]; steps: TickReport }> {
    const first: TickReport = { batches: 0, enrollments: 0, steps: 0, sends: 0, exited: 0 };
    const entries = await this.runEntries(this.stepsAtEntry() ? first : null);
    const steps = await this.stepper.tick();
    for (const k of ['batches', 'enrollments', 'steps', 'sends', 'exited'] as const) steps[k] += first[k];
    return { entries, steps };
  }

  /** Runs due schedule/audience entries, writing the enrollments only (the tick's batches step them). */
  async runDueEntries(): Promise<EntryReport[]> {
    return this.runEntries(null);
  }

  /**
   * Whether entries may take their first steps as they are written: only when the batches run in
   * this process (a worker's queue steps enrollments it reads back from the store by id).
   */
  private stepsAtEntry(): boolean {
    return this.stepper.queue instanceof InProcessStepQueue && typeof this.deps.store.reserveEnrollmentIds === 'function';
  }

  /** `firstSteps`: when given, fresh entries are stepped at once (enterAndStep) and their batches counted there. */
  private async runEntries(firstSteps: TickReport | null): Promise<EntryReport[]> {
    const now = this.deps.clock.now();
    const reports: EntryReport[] = [];
    for (const f of await this.deps.flows.published()) {
      if (f.status !== 'active') continue;
      const entry = entryNode(f.version.flow);
      const trigger = entry.trigger;
      if (trigger.type === 'event') continue;
      const due = nextEntryRun(trigger, f.lastRunAt, f.version.publishedAt, this.deps.timezone);
      if (due === null || due > now) continue;
      const plan = await this.planRun(f.version, trigger.segment, trigger.type === 'audience' ? 'audience' : `run-${due}`, now, `${trigger.type}:${trigger.segment}`);
      plan.report.enrolled = firstSteps ? await this.enterAndStep(plan, firstSteps) : await this.writeEnrollment(plan);
      const report = plan.report;
      await this.deps.flows.markRun(f.flowId, now);
      reports.push(report);
    }
    return reports;
  }

  /**
   * New customer events: start event-triggered journeys and wake the journeys of these
   * customers that can react to them (exitOn, waitForEvent: event-reactions.ts), so a payment or
   * a click is acted on at once rather than at the next wake-up.
   * Writes each flow's enrollments, then the wake-ups, one after the other: for `simulate` and
   * tests. The server consumes events through the durable inbox instead (`planEvents` +
   * event-intake.ts), which commits all of it together with the events' consumption.
   */
  async onEvents(events: JourneyEvent[]): Promise<EntryReport[]> {
    if (events.length === 0) return [];
    const plan = await this.planEvents(events);
    for (const p of plan.enrollments) p.report.enrolled = await this.writeEnrollment(p);
    await this.deps.store.wake(plan.wake, plan.now);
    return plan.enrollments.map((p) => p.report);
  }

  /**
   * What a batch of events causes, without writing anything: the enrollments of every active
   * event-triggered flow whose trigger matches, and the journeys to wake: per event type, its
   * customers' journeys on a version whose exitOn names it or waiting for it (not the others:
   * a timer woken by an unrelated event only goes back to sleep).
   * A trigger's segment filter is evaluated for these events' customers only, never the shop.
   */
  async planEvents(events: JourneyEvent[]): Promise<EventPlan> {
    const now = this.deps.clock.now();
    const enrollments: EnrollmentPlan[] = [];
    const matched = new Map<string, JourneyEvent[]>();
    for (const f of await this.deps.flows.published()) {
      if (f.status !== 'active') continue;
      const entry = entryNode(f.version.flow);
      const t = entry.trigger;
      if (t.type !== 'event') continue;
      let matching = events.filter((e) => e.type === t.event && eventMatches(e, t.match, ''));
      if (matching.length === 0) continue;
      // Too old to act on (an import of history, a backlog after an outage): no journey starts.
      let stale = 0;
      if (t.maxAge) {
        const oldest = now - parseDuration(t.maxAge);
        const fresh = matching.filter((e) => e.occurredAt >= oldest);
        stale = matching.length - fresh.length;
        matching = fresh;
      }
      if (t.segment) {
        const allowed = await this.inSegment(f.version, t.segment, matching.map((e) => e.customerId), now);
        matching = matching.filter((e) => allowed.has(e.customerId));
      }
      matched.set(f.flowId, matching);
      if (matching.length === 0 && stale === 0) continue;
      // A journey starts when its event happened, not when the engine heard of it: the 2-hour wait
      // counts from the order's creation, and a payment that followed the order within the same
      // tick (or a late import) still ends the journey.
      const candidates = matching.map((e) => ({ customerId: e.customerId, journeyKey: t.key ? String(e.properties[t.key] ?? '') : '', entryKey: `event-${e.id}`, enteredAt: Math.min(e.occurredAt, now) }));
      const plan = await this.planEnrollment(f.version, candidates, now, `event:${t.event}`);
      if (stale > 0) {
        plan.report.candidates += stale;
        plan.report.refused['event-too-old'] = stale;
      }
      enrollments.push(plan);
    }
    return { now, enrollments, matched, wake: wakeTargets(events, this.reactionsOf(await this.deps.flows.versions())) };
  }

  private reactionsOf(versions: FlowVersion[]): EventReactions {
    const key = `${versions.length}:${versions.at(-1)?.id ?? 0}`;
    if (this.reactions?.key !== key) this.reactions = { key, reactions: eventReactions(versions) };
    return this.reactions.reactions;
  }

  /** Which of these customers are in the segment now: their stored facts through the flow's rule engine. */
  private async inSegment(version: FlowVersion, rule: string, customerIds: number[], now: number): Promise<Set<number>> {
    const facts = await this.deps.store.facts([...new Set(customerIds)], now);
    const evaluator = this.rules(version);
    const inside = new Set<number>();
    for (const [id, f] of facts) if ((await evaluator.evaluate({ rule }, f, now)).matched) inside.add(id);
    return inside;
  }

  /** Enrolls candidates into a version, applying the re-entry policy, in customer-id order. */
  async enrollCustomers(version: FlowVersion, candidates: { customerId: number; journeyKey: string; entryKey: string; enteredAt?: number }[], now: number, trigger: string): Promise<EntryReport> {
    const plan = await this.planEnrollment(version, candidates, now, trigger);
    plan.report.enrolled = await this.writeEnrollment(plan);
    return plan.report;
  }

  /** Writes a plan's enrollments (chunked) and group labels; returns how many were new. */
  private async writeEnrollment(plan: EnrollmentPlan): Promise<number> {
    let enrolled = 0;
    for (let i = 0; i < plan.entries.length; i += ENROLL_CHUNK) enrolled += await this.deps.store.enroll(plan.entries.slice(i, i + ENROLL_CHUNK), plan.now, plan.log);
    if (plan.labels.length > 0) await this.deps.groups!.label(plan.version.flowId, plan.labels);
    return enrolled;
  }

  /**
   * The plan of a schedule/audience run. Its own function so that the segment's ids and the
   * candidates (two objects and a key string a customer: ~900,000 at the Double-11 entry) are
   * garbage once it returns, not held by the caller while the entry's batches step.
   */
  private async planRun(version: FlowVersion, segment: string, runKey: string, now: number, trigger: string): Promise<EnrollmentPlan> {
    const ids = await this.deps.segments.customerIds(segment, now);
    return this.planEnrollment(version, ids.map((customerId) => ({ customerId, journeyKey: '', entryKey: `${runKey}:${customerId}` })), now, trigger);
  }

  /**
   * Writes a plan's enrollments, those that are fresh (see EnrollmentPlan.fresh) each with its
   * first batch in one transaction (Stepper.stepEntered): inserted where that batch leaves them,
   * not at the entry node to be read back as due and updated a moment later. The rest (a customer
   * who was in the journey before, an entry a group limit put off to a later day) are written as
   * writeEnrollment writes them, and the tick's batches step them. Returns how many entered.
   */
  private async enterAndStep(plan: EnrollmentPlan, counts: TickReport): Promise<number> {
    const labels = new Map(plan.labels.map((l) => [l.entryKey, l.label]));
    const fresh: (NewEnrollment | null)[] = [];
    const rest: NewEnrollment[] = [];
    plan.entries.forEach((e, i) => (plan.fresh[i] === 1 && e.enteredAt <= plan.now ? fresh : rest).push(e));
    // The plan's entries are let go batch by batch as they are written (below), not held until
    // the last batch: at 1,000,000 customers they are ~900,000 objects the entry's garbage
    // collections would otherwise mark again and again while the batches step.
    plan.entries = [];
    const size = this.stepper.batchSize;
    let enrolled = 0;
    for (let i = 0; i < fresh.length; i += size) {
      const ids = await this.deps.store.reserveEnrollmentIds!(Math.min(size, fresh.length - i));
      // New objects of one shape (not the plan's entries given an id: ~2% of the entry tick's
      // instructions went to V8 moving each object to a new hidden class).
      const chunk = ids.map((id, j): EnteringEnrollment => {
        const e = fresh[i + j]!;
        fresh[i + j] = null;
        return { flowId: e.flowId, versionId: e.versionId, customerId: e.customerId, journeyKey: e.journeyKey, nodeId: e.nodeId, enteredAt: e.enteredAt, entryKey: e.entryKey, id, groupLabel: labels.get(e.entryKey) };
      });
      let r: StepJobResult;
      try {
        r = await this.stepper.stepEntered(chunk, plan.now, plan.log);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // An entry key taken since the plan read the history (another process entered the same
        // run): nothing of the batch was written, so these go in as any entry does, the taken
        // ones skipped, and the tick's batches step the others.
        rest.push(...chunk.map(({ id: _id, groupLabel: _label, ...e }) => e));
        continue;
      }
      enrolled += chunk.length;
      counts.batches++;
      counts.enrollments += chunk.length;
      counts.steps += r.steps;
      counts.sends += r.sends;
      counts.exited += r.exited;
    }
    if (rest.length === 0) return enrolled;
    rest.sort((a, b) => a.customerId - b.customerId);
    const restKeys = new Set(rest.map((e) => e.entryKey));
    return enrolled + (await this.writeEnrollment({ ...plan, entries: rest, labels: plan.labels.filter((l) => restKeys.has(l.entryKey)) }));
  }

  /** Who of the candidates may enter (re-entry policy, group-size limit), without writing. */
  async planEnrollment(version: FlowVersion, candidates: { customerId: number; journeyKey: string; entryKey: string; enteredAt?: number }[], now: number, trigger: string): Promise<EnrollmentPlan> {
    const entry = entryNode(version.flow);
    const report: EntryReport = { flowId: version.flowId, trigger, candidates: candidates.length, enrolled: 0, refused: {} };
    let sorted = [...candidates].sort((a, b) => a.customerId - b.customerId);
    const labels = new Map<string, string>();
    if (entry.limit) {
      // Group-size limit (contact policy): split, cut or spread the audience before anyone enters.
      const groups = this.deps.groups;
      if (!groups) throw new Error(`flow ${version.flowId}: entry node "${entry.id}" has a limit, but this engine has no group store`);
      const values = entry.limit.by ? await groups.factValues(sorted.map((c) => c.customerId), entry.limit.by, now) : null;
      const limited = applyGroupLimit(entry.limit, sorted, values, `${version.flowId}:${entry.id}`, now, entry.id);
      report.limited = { cut: limited.cut, deferred: limited.deferred, groups: limited.groups };
      if (limited.cut > 0) report.refused['group-full'] = limited.cut;
      sorted = limited.admitted.map((a) => ({ ...a.candidate, enteredAt: Math.max(a.enteredAt, a.candidate.enteredAt ?? a.enteredAt) })).sort((a, b) => a.customerId - b.customerId);
      for (const a of limited.admitted) labels.set(a.candidate.entryKey, a.label);
    }
    const entries: NewEnrollment[] = [];
    // A customer's candidates are next to each other (sorted by customer id), so a repeated
    // (customer, journey key) is found among the current customer's keys: no key string and no
    // set entry for every candidate of the run (~900,000 in the Double-11 entry at 1,000,000 customers).
    let customer = NaN;
    const keys = new Set<string>();
    const noHistory: { journeyKey: string; enteredAt: number; active: boolean }[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < sorted.length; i += ENROLL_CHUNK) {
      const chunk = sorted.slice(i, i + ENROLL_CHUNK);
      const history = await this.deps.store.entryHistory(version.flowId, chunk);
      for (const c of chunk) {
        const verdict = mayEnter(entry.reentry, history.get(c.customerId) ?? noHistory, c.journeyKey, now);
        if (c.customerId !== customer) {
          customer = c.customerId;
          keys.clear();
        }
        if (!verdict.ok || keys.has(c.journeyKey)) {
          const reason = verdict.reason ?? 'already-in-journey';
          report.refused[reason] = (report.refused[reason] ?? 0) + 1;
          continue;
        }
        keys.add(c.journeyKey);
        // Fresh: no entry of this customer in this flow at all (a key-less candidate's history is
        // every entry of the customer), so no entry key of the flow can clash with this one.
        fresh.push(c.journeyKey === '' && !history.has(c.customerId) ? 1 : 0);
        entries.push({ flowId: version.flowId, versionId: version.id, customerId: c.customerId, journeyKey: c.journeyKey, nodeId: entry.next, enteredAt: c.enteredAt ?? now, entryKey: c.entryKey });
      }
    }
    // One detail object for every key-less entry: the store serialises a repeated object once.
    const keyless = { trigger };
    const log = (e: NewEnrollment): Omit<StepLog, 'enrollmentId'> => ({
      customerId: e.customerId,
      flowId: e.flowId,
      versionId: e.versionId,
      nodeId: entry.id,
      at: e.enteredAt,
      outcome: 'entered',
      detail: e.journeyKey ? { trigger, key: e.journeyKey } : keyless,
    });
    return { version, now, entries, fresh: Uint8Array.from(fresh), log, labels: entries.filter((e) => labels.has(e.entryKey)).map((e) => ({ entryKey: e.entryKey, label: labels.get(e.entryKey)! })), report };
  }
}

/** The enrollments one flow would get, decided but not written. */
export interface EnrollmentPlan {
  version: FlowVersion;
  now: number;
  entries: NewEnrollment[];
  /**
   * 1 for an entry of a customer with no enrollment in the flow before (read with the plan), by
   * index of `entries`: its entry key cannot be taken but by a concurrent entry (see enterAndStep).
   */
  fresh: Uint8Array;
  /** The entry log line of each enrollment. */
  log: (e: NewEnrollment) => Omit<StepLog, 'enrollmentId'>;
  /** Group labels of a group-size-limited entry. */
  labels: { entryKey: string; label: string }[];
  /** `enrolled` is filled in once the plan is written. */
  report: EntryReport;
}

/** What a batch of events causes (see JourneyEngine.planEvents). */
export interface EventPlan {
  now: number;
  enrollments: EnrollmentPlan[];
  /** Per event-triggered flow, the events that matched its trigger (and segment). */
  matched: Map<string, JourneyEvent[]>;
  /** The sleeping journeys these events wake now (per event type that some journey can react to). */
  wake: WakeTarget[];
}

/** A unique-constraint violation of either dialect (better-sqlite3's code, PostgreSQL's SQLSTATE through TypeORM). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

export function entryNode(flow: Flow): NodeOfType<'entry'> {
  const e = flow.nodes.find((n) => n.type === 'entry');
  if (!e) throw new Error(`flow ${flow.id} has no entry node`);
  return e as NodeOfType<'entry'>;
}
