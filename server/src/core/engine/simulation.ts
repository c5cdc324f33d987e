import type { VirtualClock } from '../clock.js';
import type { JourneyEngine } from './journey-engine.js';
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
}

export interface SimulationSummary {
  ticks: number;
  eventsReplayed: number;
  enrolled: number;
  steps: number;
  queued: number;
}

/**
 * Runs the engine over a span of virtual time: at each step the clock moves on, the shop's
 * events that happened meanwhile are replayed (orders created and paid, clicks…), and the engine
 * ticks. Deterministic: the same data, flow and options always give the same journeys.
 */
export async function simulate(engine: JourneyEngine, clock: VirtualClock, replay: EventReplay, o: SimulationOptions): Promise<SimulationSummary> {
  const s: SimulationSummary = { ticks: 0, eventsReplayed: 0, enrolled: 0, steps: 0, queued: 0 };
  let last = o.from - 1;
  clock.set(Math.max(clock.now(), o.from));
  for (let t = o.from; t <= o.to; t += o.step) {
    clock.set(t);
    const events = await replay.eventsBetween(last, t);
    last = t;
    s.eventsReplayed += events.length;
    for (const r of await engine.onEvents(events)) s.enrolled += r.enrolled;
    const { entries, steps } = await engine.tick();
    s.enrolled += entries.reduce((a, e) => a + e.enrolled, 0);
    s.steps += steps.steps;
    s.queued += steps.sends;
    s.ticks++;
    if (o.afterTick) await o.afterTick(t);
    o.onProgress?.(t);
  }
  return s;
}
