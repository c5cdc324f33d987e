import { SingleFlightDrain, type IntakeReport } from '../core/engine/event-intake.js';
import type { EngineRuntime } from './engine-runtime.js';

export interface EngineLoopOptions {
  /** How often due entries run and due journeys step (REKINDLE_TICK_MS). */
  tickMs: number;
  /** How often the inbox is looked at for events stored elsewhere (REKINDLE_INTAKE_POLL_MS). */
  pollMs: number;
  /** false: a separate `rekindle scheduler` plans ticks (REKINDLE_PLANNER=off); intake still runs. */
  planner: boolean;
  log(level: 'log' | 'error', message: string): void;
}

export type TickResult = Awaited<ReturnType<EngineRuntime['engine']['tick']>>;

/**
 * The engine's own loop, framework-free (it runs in the engine thread, runtime/engine-thread.ts):
 * drains the durable event inbox when nudged and on a short poll, and ticks on an interval. One
 * drain at a time (a nudge during a drain makes it go round once more); ticks never overlap and
 * consume the events stored before them first, so their journeys exist before stepping.
 * The same contract as the in-process EventIntakeRunner and JourneyTicker (api/journeys).
 */
export class EngineLoop {
  private readonly drain: SingleFlightDrain;
  private ticking: Promise<TickResult> | null = null;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly runtime: EngineRuntime,
    private readonly opts: EngineLoopOptions,
  ) {
    this.drain = new SingleFlightDrain(runtime.intake, (e) => opts.log('error', `event intake failed: ${e.message}`));
  }

  start(): void {
    this.timers.push(setInterval(() => this.nudge(), this.opts.pollMs));
    this.timers.push(
      setInterval(() => {
        if (this.ticking || !this.opts.planner || this.closed) return;
        this.tickNow().catch((e) => this.opts.log('error', `tick failed: ${(e as Error).message}`));
      }, this.opts.tickMs),
    );
  }

  /** Something was stored: drain soon (returns at once). */
  nudge(): void {
    this.drain.nudge();
  }

  /** Drains now; waits for a drain already under way, then drains again (so it sees everything stored before the call). */
  drainNow(): Promise<IntakeReport> {
    return this.drain.drainNow();
  }

  /** One tick now; waits for a tick already under way. An intake failure leaves its events pending: stepping still runs. */
  async tickNow(): Promise<TickResult> {
    while (this.ticking) await this.ticking.catch(() => undefined);
    const run = this.drainNow()
      .catch((e) => this.opts.log('error', `event intake failed: ${(e as Error).message}`))
      .then(() => this.runtime.engine.tick());
    this.ticking = run;
    try {
      const result = await run;
      const enrolled = result.entries.reduce((s, e) => s + e.enrolled, 0);
      if (enrolled || result.steps.steps) this.opts.log('log', `entered ${enrolled}, stepped ${result.steps.steps}, queued ${result.steps.sends} message(s)`);
      return result;
    } finally {
      this.ticking = null;
    }
  }

  /** Stops the timers and waits for the drain and tick under way. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all([this.drain.close(), this.ticking?.catch(() => undefined)]);
  }
}
