/**
 * What the journey engine tells whoever watches it (metrics, readiness). A port, not a
 * dependency: the engine runs the same with nobody watching (`NO_ENGINE_OBSERVER`), and the
 * runtime (server/src/runtime) is the one place that hands a real observer in.
 */
export interface EngineTickReport {
  /** Instant of the tick (the engine's clock, epoch ms). */
  at: number;
  /** Customers enrolled by due entries. */
  enrolled: number;
  steps: number;
  /** Messages queued to the outbox. */
  sends: number;
  exited: number;
}

export interface EngineObserver {
  /** A tick finished (due entries ran and due journeys stepped). */
  ticked(report: EngineTickReport): void;
  /** A tick threw; the ticker carries on. */
  tickFailed(at: number, error: Error): void;
  /** Events were handed to the engine at `at`; `since` is when each reached Rekindle (epoch ms). */
  eventsHandled(at: number, since: number[]): void;
}

export const NO_ENGINE_OBSERVER: EngineObserver = {
  ticked() {},
  tickFailed() {},
  eventsHandled() {},
};
