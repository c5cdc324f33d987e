import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { SingleFlightDrain, type IntakeReport } from '../../core/engine/event-intake.js';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import type { EngineThreadHost } from '../../runtime/engine-thread-host.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { ENGINE_THREAD } from './engine-thread.provider.js';

/**
 * Runs the event intake behind the requests: a stored event nudges it (in this process:
 * engine-event-listener.ts), and a short poll (engine-loops.ts) picks up events stored by other processes (`rekindle import`, other servers) and
 * anything a crash left pending. Correctness never depends on the nudge: the inbox is durable,
 * the nudge only makes the engine act within milliseconds instead of at the next poll.
 * One drain at a time; a nudge during a drain makes it go round once more.
 * With the engine thread (engine-thread.provider.ts) all of this happens there, on its own
 * connection and event loop: this runner only forwards nudges and explicit drains to it.
 * On a simulation's copy neither the nudges nor the poll are wired (api/simulation-copy/live-only.ts).
 */
@Injectable()
export class EventIntakeRunner implements OnModuleDestroy {
  private readonly log = new Logger('EventIntake');
  private readonly drain: SingleFlightDrain;
  private closed = false;

  constructor(
    @Inject(ENGINE_RUNTIME) runtime: EngineRuntime,
    @Inject(ENGINE_THREAD) private readonly host: EngineThreadHost | null,
  ) {
    this.drain = new SingleFlightDrain(runtime.intake, (e) => this.log.error(`event intake failed: ${e.message}`));
  }

  /** The engine thread while it runs; null: this thread drains. */
  get thread(): EngineThreadHost | null {
    return this.host?.usable ? this.host : null;
  }

  /** Something was stored: drain soon (returns at once). */
  nudge(): void {
    if (this.closed) return;
    const thread = this.thread;
    if (thread) return thread.nudge();
    this.drain.nudge();
  }

  /** The scheduled poll (engine-loops.ts). */
  poll(): void {
    if (this.thread) return; // the engine thread polls on its own
    this.nudge();
  }

  /** Drains now; waits for a drain already under way, then drains again (so it sees everything stored before the call). */
  async drainNow(): Promise<IntakeReport> {
    const thread = this.thread;
    if (thread && !this.closed) return thread.drain();
    return this.drain.drainNow();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    // Before the data source closes (onApplicationShutdown): the thread finishes its batch first.
    await this.host?.close();
    await this.drain.close();
  }
}
