import type { VirtualClock } from '../clock.js';
import type { EntryReport, JourneyEngine } from './journey-engine.js';
import type { JourneyEvent } from './ports.js';

/** Stored events in time order, for replay in virtual time. */
export interface EventReplay {
  eventsBetween(fromExclusive: number, toInclusive: number): Promise<JourneyEvent[]>;
}

export interface SimulationOptions {
  from: number;
  to: number;
  /** Virtual time between ticks (ms). Waits shorter than this resolve at the next tick. */
  step: number;
  /** Called after each tick (e.g. to deliver the outbox). */
  afterTick?: (now: number) => Promise<void>;
  onProgress?: (now: number) => void;
  /** Stops the run between ticks (a user cancelled it, or its time budget ran out). */
  signal?: AbortSignal;
  /**
   * The last instant anyone enters (JourneyEngine.closeEntries after it): the designer simulates
   * the customers who entered in the shop's last days and runs on past them so that they finish.
   */
  entriesUntil?: number;
}

/** Thrown between ticks when `signal` aborts; carries the abort reason. */
export class SimulationCancelled extends Error {
  constructor(readonly reason: string, readonly ticks: number) {
    super(`simulation cancelled after ${ticks} tick(s): ${reason}`);
  }
}

export interface SimulationSummary {
  ticks: number;
  eventsReplayed: number;
  enrolled: number;
  steps: number;
  queued: number;
  /** Customers kept out at entry, by reason (group-full, reentry-never, already-in-journey…), every flow together. */
  refused: Record<string, number>;
  /**
   * The same per flow, with the entry runs that had candidates: a schedule's segment is checked again
   * at every run, so one customer kept out at each of 384 hourly runs counts 384 times — a count of
   * refusals, not of customers (`simulate` says it so).
   */
  refusedByFlow: Record<string, { runs: number; trigger: string; refused: Record<string, number> }>;
  /** Entry groups made by a group-size limit, with their sizes. */
  groups: Record<string, number>;
  /** Customers whose entry a group limit spread to later days. */
  deferredEntries: number;
}

function addEntries(s: SimulationSummary, reports: EntryReport[]): void {
  for (const r of reports) {
    s.enrolled += r.enrolled;
    for (const [reason, n] of Object.entries(r.refused)) s.refused[reason] = (s.refused[reason] ?? 0) + n;
    if (r.candidates > 0) {
      const f = (s.refusedByFlow[r.flowId] ??= { runs: 0, trigger: r.trigger, refused: {} });
      f.runs++;
      for (const [reason, n] of Object.entries(r.refused)) f.refused[reason] = (f.refused[reason] ?? 0) + n;
    }
    if (r.limited) {
      s.deferredEntries += r.limited.deferred;
      for (const [g, n] of Object.entries(r.limited.groups)) s.groups[g] = (s.groups[g] ?? 0) + n;
    }
  }
}

/**
 * Runs the engine over a span of virtual time: at each step the clock moves on, the shop's
 * events that happened meanwhile are replayed (orders created and paid, clicks…), and the engine
 * ticks. Deterministic: the same data, flow and options always give the same journeys.
 */
export async function simulate(engine: JourneyEngine, clock: VirtualClock, replay: EventReplay, o: SimulationOptions): Promise<SimulationSummary> {
  const s: SimulationSummary = { ticks: 0, eventsReplayed: 0, enrolled: 0, steps: 0, queued: 0, refused: {}, refusedByFlow: {}, groups: {}, deferredEntries: 0 };
  let last = o.from - 1;
  clock.set(Math.max(clock.now(), o.from));
  let yielded = Date.now();
  for (let t = o.from; t <= o.to; t += o.step) {
    // SQLite answers synchronously, so a long run would never let the server's other requests
    // (or a cancel) in: give the event loop a turn every 20 ms of work.
    if (Date.now() - yielded > 20) {
      await new Promise((r) => setImmediate(r));
      yielded = Date.now();
    }
    if (o.signal?.aborted) throw new SimulationCancelled(String(o.signal.reason ?? 'cancelled'), s.ticks);
    clock.set(t);
    if (o.entriesUntil !== undefined && t > o.entriesUntil) engine.closeEntries();
    const events = await replay.eventsBetween(last, t);
    last = t;
    s.eventsReplayed += events.length;
    addEntries(s, await engine.onEvents(events));
    const { entries, steps } = await engine.tick();
    addEntries(s, entries);
    s.steps += steps.steps;
    s.queued += steps.sends;
    s.ticks++;
    if (o.afterTick) await o.afterTick(t);
    o.onProgress?.(t);
  }
  return s;
}
