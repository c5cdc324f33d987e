import type { Clock } from '../clock.js';
import type { Flow, NodeOfType } from '../flow/schema.js';
import { parseDuration } from '../flow/duration.js';
import { mayEnter } from './entry-policy.js';
import { byCustomer, eventMatches } from './event-match.js';
import { exitTypes, firstWaitNode, firstWake } from './first-wait.js';
import { flowEventTypes } from './flow-event-types.js';
import { eventReactions, wakeTargets, type EventReactions, type WakeTarget } from './event-reactions.js';
import type { ExecutorRegistry } from './executor.js';
import { defaultExecutors } from './executors/index.js';
import type { FlowVersion, StepLog } from './model.js';
import type { EntryStore, FlowCatalog, JourneyEvent, JourneyStore, NewEnrollment, RuleEvaluator, SegmentPort } from './ports.js';
import { nextEntryRun } from './schedule.js';
import type { GroupLabels, SendPolicy } from '../policy/ports.js';
import { applyGroupLimit } from '../policy/group-limit.js';
import type { StepQueue } from './step-queue.js';
import { Stepper, type TickReport } from './stepper.js';
import { EntryProblems, isUnusableSegment } from './unusable-segment.js';
import { journeyKeyOf, missingKeyWords, triggerJourneyKey } from './trigger-journey-key.js';

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
  /**
   * Where the engine says what an operator must fix and no caller is there to be told: a running
   * flow whose entry segment cannot be used (each said once). Default: nowhere.
   */
  warn?: (message: string) => void;
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
  private readonly entryProblems: EntryProblems;
  /** Flow versions whose trigger events came without their key, said once each (a feed sends thousands). */
  private readonly keylessSaid = new Set<string>();
  /** No one enters any flow any more; journeys under way go on (closeEntries). */
  private entriesClosed = false;

  constructor(private readonly deps: JourneyEngineDeps) {
    this.entryProblems = new EntryProblems(deps.warn ?? (() => {}));
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
   * From now on no one enters any flow: schedules and audiences do not run, trigger events start
   * no journey; journeys under way still step and still react to their exit and awaited events.
   * A simulation's run-out: the designer simulates the customers who entered in the shop's last
   * days, then runs on so that they finish; its daily audience went on drawing new customers for
   * the whole run (963 entered where the panel said the last 7 days' 230, 664 still under way).
   */
  closeEntries(): void {
    this.entriesClosed = true;
  }

  /** Runs due schedule/audience entries, then steps everything due. */
  async tick(): Promise<{ entries: EntryReport[]; steps: TickReport }> {
    const entries = await this.runDueEntries();
    const steps = await this.stepper.tick();
    return { entries, steps };
  }

  async runDueEntries(): Promise<EntryReport[]> {
    if (this.entriesClosed) return [];
    const now = this.deps.clock.now();
    const reports: EntryReport[] = [];
    for (const f of await this.deps.flows.published()) {
      if (f.status !== 'active') continue;
      const entry = entryNode(f.version.flow);
      const trigger = entry.trigger;
      if (trigger.type === 'event') continue;
      const due = nextEntryRun(trigger, f.lastRunAt, f.version.publishedAt, this.deps.timezone);
      if (due === null || due > now) continue;
      let ids: number[];
      try {
        ids = await this.deps.segments.customerIds(trigger.segment, now);
        this.entryProblems.cleared(f.flowId);
      } catch (e) {
        // One flow's segment renamed or deleted in git threw out of the whole tick: no flow stepped.
        // Now only this run waits (not marked run: it runs at the first tick the segment can be used).
        if (!isUnusableSegment(e)) throw e;
        this.entryProblems.report(f.flowId, unusableEntryWords(f.flowId, f.version.version, `its ${trigger.type} entry does not run`, trigger.segment, e));
        continue;
      }
      const runKey = trigger.type === 'audience' ? 'audience' : `run-${due}`;
      const report = await this.enrollCustomers(f.version, ids.map((customerId) => ({ customerId, journeyKey: '', entryKey: `${runKey}:${customerId}` })), now, `${trigger.type}:${trigger.segment}`);
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
    const reacting = new Map<string, JourneyEvent[]>();
    const skippedWhilePaused = new Map<string, JourneyEvent[]>();
    for (const f of await this.deps.flows.published()) {
      if (f.status === 'paused') {
        // A paused flow lets nobody in and does not catch up on resume (a payment reminder sent
        // hours late, a welcome a day late, is worse than none): its trigger's events are consumed
        // without a journey, and counted so the intake view and `flows list` say how many.
        // Its exit and awaited events are not lost: they wake its journeys, stepped on resume.
        const t = entryNode(f.version.flow).trigger;
        if (t.type === 'event') {
          const skipped = events.filter((e) => e.type === t.event && eventMatches(e, t.match, ''));
          if (skipped.length > 0) skippedWhilePaused.set(f.flowId, skipped);
        }
        continue;
      }
      if (f.status !== 'active') continue;
      // The events this flow's journeys react to (exit, awaited answers): for its intake lag.
      const types = flowEventTypes(f.version.flow);
      if (types.exit.length + types.awaited.length > 0) {
        const reacts = new Set([...types.exit, ...types.awaited]);
        const mine = events.filter((e) => reacts.has(e.type));
        if (mine.length > 0) reacting.set(f.flowId, mine);
      }
      const entry = entryNode(f.version.flow);
      const t = entry.trigger;
      if (t.type !== 'event' || this.entriesClosed) continue;
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
      // A keyed trigger's event without its key starts no journey (trigger-journey-key.ts): one keyed ''
      // could never be ended by its order's payment, and would keep the customer's next orders out.
      let keyless = 0;
      if (t.key) {
        const keyed = matching.filter((e) => triggerJourneyKey(e.properties, t.key).ok);
        keyless = matching.length - keyed.length;
        if (keyless > 0) this.warnKeyless(f.flowId, f.version.version, t.event, t.key, matching.find((e) => !triggerJourneyKey(e.properties, t.key).ok)!);
        matching = keyed;
      }
      let unusable = 0;
      if (t.segment) {
        try {
          const allowed = await this.inSegment(f.version, t.segment, matching.map((e) => e.customerId), now);
          matching = matching.filter((e) => allowed.has(e.customerId));
          this.entryProblems.cleared(f.flowId);
        } catch (e) {
          // The segment of this flow's trigger was renamed or deleted in git while this version runs:
          // the error failed the whole batch, so every flow's events stayed pending (payment
          // reminders too), retried forever. Now only this flow's entries are refused, counted
          // (segment-unusable) and said; the other flows take the batch as usual.
          if (!isUnusableSegment(e)) throw e;
          this.entryProblems.report(f.flowId, unusableEntryWords(f.flowId, f.version.version, `${t.event} events start no journey`, t.segment, e));
          unusable = matching.length;
          matching = [];
        }
      }
      matched.set(f.flowId, matching);
      if (matching.length === 0 && stale === 0 && unusable === 0 && keyless === 0) continue;
      // A journey starts when its event happened, not when the engine heard of it: the 2-hour wait
      // counts from the order's creation, and a payment that followed the order within the same
      // tick (or a late import) still ends the journey.
      const candidates = matching.map((e) => ({ customerId: e.customerId, journeyKey: journeyKeyOf(e.properties, t.key), entryKey: `event-${e.id}`, enteredAt: Math.min(e.occurredAt, now) }));
      const plan = await this.planEnrollment(f.version, candidates, now, `event:${t.event}`);
      plan.entries = await this.asleepFromEntry(f.version, plan.entries, now);
      if (stale > 0) {
        plan.report.candidates += stale;
        plan.report.refused['event-too-old'] = stale;
      }
      if (keyless > 0) {
        plan.report.candidates += keyless;
        plan.report.refused['key-missing'] = keyless;
      }
      if (unusable > 0) {
        plan.report.candidates += unusable;
        plan.report.refused['segment-unusable'] = unusable;
      }
      enrollments.push(plan);
    }
    return { now, enrollments, matched, reacting, skippedWhilePaused, wake: wakeTargets(events, this.reactionsOf(await this.deps.flows.versions())) };
  }

  /**
   * The entries whose first step would only put them to sleep, with the wake time that step would
   * give them (first-wait.ts); the others as they were. Reads the customers' exit events once.
   */
  private async asleepFromEntry(version: FlowVersion, entries: NewEnrollment[], now: number): Promise<NewEnrollment[]> {
    const wait = firstWaitNode(version.flow);
    if (!wait || entries.length === 0) return entries;
    const types = exitTypes(version.flow);
    let since = Infinity;
    for (const e of entries) since = Math.min(since, e.enteredAt);
    const events = types.length > 0 ? byCustomer(await this.deps.store.events([...new Set(entries.map((e) => e.customerId))], types, since)) : new Map<number, JourneyEvent[]>();
    return entries.map((e) => {
      const wakeAt = firstWake(version.flow, wait, e.enteredAt, e.journeyKey, events.get(e.customerId), now, this.deps.timezone);
      return wakeAt === null ? e : { ...e, wakeAt };
    });
  }

  /** Says once per flow version that its trigger events come without the key, naming what came instead. */
  private warnKeyless(flowId: string, version: number, event: string, key: string, example: JourneyEvent): void {
    const id = `${flowId}:${version}`;
    if (this.keylessSaid.has(id) || this.keylessSaid.size >= 1000) return;
    this.keylessSaid.add(id);
    const got = triggerJourneyKey(example.properties, key);
    const what = got.ok ? '' : missingKeyWords(key, got.got);
    const carried = Object.keys(example.properties).slice(0, 10).join(', ') || 'no properties';
    (this.deps.warn ?? (() => {}))(
      `flow ${flowId} v${version}: ${event} events without ${key} start no journey (the journey is keyed by ${key}; one without it could not be ended by its own exit events): event ${example.id} has ${what} (it carries ${carried}); send ${key} in the event's properties`,
    );
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
        entries.push({ flowId: version.flowId, versionId: version.id, customerId: c.customerId, journeyKey: c.journeyKey, nodeId: entry.next, enteredAt: c.enteredAt ?? now, entryKey: c.entryKey });
      }
    }
    const log = (e: NewEnrollment): Omit<StepLog, 'enrollmentId'> => ({
      customerId: e.customerId,
      flowId: e.flowId,
      versionId: e.versionId,
      nodeId: entry.id,
      at: e.enteredAt,
      outcome: 'entered',
      detail: { trigger, ...(e.journeyKey ? { key: e.journeyKey } : {}) },
    });
    return { version, now, entries, log, labels: entries.filter((e) => labels.has(e.entryKey)).map((e) => ({ entryKey: e.entryKey, label: labels.get(e.entryKey)! })), report };
  }
}

/** The enrollments one flow would get, decided but not written. */
export interface EnrollmentPlan {
  version: FlowVersion;
  now: number;
  entries: NewEnrollment[];
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
  /** Per active flow, the events of its exit or awaited types (what they wake is in `wake`). */
  reacting: Map<string, JourneyEvent[]>;
  /** Per paused event-triggered flow, the events that matched its trigger and started nothing (no catch-up on resume). */
  skippedWhilePaused?: Map<string, JourneyEvent[]>;
  /** The sleeping journeys these events wake now (per event type that some journey can react to). */
  wake: WakeTarget[];
}

/** What a flow whose entry segment cannot be used misses, and what to do, for the operator's log. */
function unusableEntryWords(flowId: string, version: number, what: string, segment: string, e: Error): string {
  return `flow ${flowId} v${version}: ${what}: its segment "${segment}" cannot be used (${e.message.split('\n')[0]}); restore rules/segments/${segment}.yaml or publish a version of the flow that names an existing segment (validate checks files, not the published version)`;
}

export function entryNode(flow: Flow): NodeOfType<'entry'> {
  const e = flow.nodes.find((n) => n.type === 'entry');
  if (!e) throw new Error(`flow ${flow.id} has no entry node`);
  return e as NodeOfType<'entry'>;
}
