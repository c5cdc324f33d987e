import type { EventPlan, JourneyEngine } from './journey-engine.js';
import type { JourneyEvent } from './ports.js';

/** A stored event the engine has not acted on yet, as the inbox hands it over. */
export interface InboxEvent extends JourneyEvent {
  /** When it was stored (the start of its intake lag). */
  receivedAt: number;
}

/** Per flow, what one consumed batch meant to it (for the intake status). */
export interface FlowIntake {
  flowId: string;
  /** Events that matched its trigger (and segment). */
  matched: number;
  /** Events it acted on: the matched ones and those of its exit or awaited types (flow-event-types.ts). */
  actedOn: number;
  lastEventId: number;
  lastReceivedAt: number;
  /** Longest stored-to-acted-on time among the events it acted on. */
  lagMs: number;
}

/**
 * The engine's durable inbox: every newly stored customer event has an inbox entry until the
 * engine has acted on it. `consume` holds the consumer lock (one consumer at a time, across
 * processes), reads the oldest pending events, lets `plan` decide what they cause, and commits
 * that plan (enrollments, entry log, wake-ups, group labels) together with the removal of the
 * events from the inbox, in ONE transaction. A crash before the commit leaves the events pending;
 * after it, they are gone and their effects are stored: nothing lost, nothing done twice.
 */
export interface EventInbox {
  /** null: another consumer holds the lock. `events` 0: nothing pending. */
  consume(limit: number, plan: (events: InboxEvent[]) => Promise<EventPlan>): Promise<{ events: number; enrolled: number; flows: FlowIntake[] } | null>;
}

export interface IntakeReport {
  batches: number;
  events: number;
  enrolled: number;
  /** True when another process held the consumer lock. */
  busy: boolean;
}

export const INTAKE_BATCH = 2000;

/**
 * Per flow: how many events matched its trigger, how many it acted on in all (an exit or an
 * awaited answer wakes its journeys) and the longest lag among those. A flow that acted on
 * nothing in the batch has no line.
 */
export function flowIntake(plan: EventPlan, events: InboxEvent[]): FlowIntake[] {
  const received = new Map(events.map((e) => [e.id, e.receivedAt]));
  const out: FlowIntake[] = [];
  for (const flowId of new Set([...plan.matched.keys(), ...plan.reacting.keys()])) {
    const matching = plan.matched.get(flowId) ?? [];
    const all = [...matching, ...(plan.reacting.get(flowId) ?? [])];
    if (all.length === 0) continue;
    let lag = 0;
    let last = all[0];
    for (const e of all) {
      lag = Math.max(lag, plan.now - (received.get(e.id) ?? plan.now));
      if (e.id > last.id) last = e;
    }
    out.push({ flowId, matched: matching.length, actedOn: all.length, lastEventId: last.id, lastReceivedAt: received.get(last.id) ?? plan.now, lagMs: lag });
  }
  return out;
}

/** Per paused flow, the trigger events of one batch that started no journey because it was paused. */
export interface PausedSkip {
  flowId: string;
  events: number;
  /** When the newest of them was stored. */
  lastReceivedAt: number;
}

/** The batch's trigger events that paused flows did not act on (journey-engine.ts planEvents), per flow. */
export function pausedSkips(plan: EventPlan, events: InboxEvent[]): PausedSkip[] {
  const received = new Map(events.map((e) => [e.id, e.receivedAt]));
  return [...(plan.skippedWhilePaused ?? new Map<string, JourneyEvent[]>())].map(([flowId, skipped]) => ({
    flowId,
    events: skipped.length,
    lastReceivedAt: skipped.reduce((m, e) => Math.max(m, received.get(e.id) ?? plan.now), 0),
  }));
}

/**
 * Drains the inbox into the journey engine, batch after batch, until nothing is pending. The
 * server calls it when events are stored (a nudge) and on a short poll (events stored by other
 * processes: `rekindle import`, other servers); tests and `POST /api/engine/tick` call it directly.
 */
export class EventIntake {
  constructor(
    private readonly engine: JourneyEngine,
    private readonly inbox: EventInbox,
    private readonly batchSize = INTAKE_BATCH,
  ) {}

  async drain(maxBatches = Infinity): Promise<IntakeReport> {
    const report: IntakeReport = { batches: 0, events: 0, enrolled: 0, busy: false };
    while (report.batches < maxBatches) {
      const r = await this.inbox.consume(this.batchSize, (events) => this.engine.planEvents(events));
      if (r === null) {
        report.busy = true;
        break;
      }
      if (r.events === 0) break;
      report.batches++;
      report.events += r.events;
      report.enrolled += r.enrolled;
    }
    return report;
  }
}

const NOTHING: IntakeReport = { batches: 0, events: 0, enrolled: 0, busy: false };

/**
 * One drain at a time, for whoever runs the intake (the server's in-process runner, the engine
 * thread's loop): a nudge during a drain makes it go round once more, `drainNow` waits for a drain
 * under way and then drains again (so it sees everything stored before the call), and after
 * `close` nothing starts.
 */
export class SingleFlightDrain {
  private running: Promise<IntakeReport> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly intake: Pick<EventIntake, 'drain'>,
    private readonly onError: (e: Error) => void,
  ) {}

  /** Something was stored: drain soon (returns at once). */
  nudge(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drainNow().catch((e) => this.onError(e as Error));
  }

  async drainNow(): Promise<IntakeReport> {
    while (this.running) await this.running.catch(() => NOTHING);
    if (this.closed) return { ...NOTHING };
    const run = (async () => {
      const total = { ...NOTHING };
      do {
        this.again = false;
        const r = await this.intake.drain();
        total.batches += r.batches;
        total.events += r.events;
        total.enrolled += r.enrolled;
        total.busy ||= r.busy;
      } while (this.again && !this.closed);
      return total;
    })();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  /** No drain starts after this; waits for the one under way. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running?.catch(() => undefined);
  }
}
