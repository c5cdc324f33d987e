import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { EventIntakeRunner } from './event-intake.runner.js';
import type { Settings } from '../../config/settings.js';
import { SETTINGS } from '../tokens.js';
import { AnotherPlannerPlans, type PlannerTurn } from '../../runtime/planner-turn.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { PLANNER_TURN } from './planner-turn.provider.js';

/**
 * Drives the engine: every few seconds (engine-loops.ts, on a live database only) due entries run
 * and due enrollments step. Ticks never overlap; the engine itself keeps no timers, so the same
 * code is driven by a virtual clock in `simulate` and in tests.
 */
@Injectable()
export class JourneyTicker {
  private readonly log = new Logger('JourneyTicker');
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(ENGINE_RUNTIME) private readonly runtime: EngineRuntime,
    @Inject(EventIntakeRunner) private readonly intake: EventIntakeRunner,
    @Inject(PLANNER_TURN) private readonly turn: PlannerTurn | null,
    @Inject(RekindleMetrics) private readonly metrics: RekindleMetrics,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** The scheduled tick (engine-loops.ts). */
  async onSchedule(): Promise<void> {
    // REKINDLE_PLANNER=off: a separate `rekindle scheduler` plans the batches (docs/scale-out.md).
    // With the engine thread, it ticks on its own interval.
    if (this.running || this.settings.REKINDLE_PLANNER === 'off' || this.intake.thread) return;
    try {
      // On PostgreSQL only the shop's one planner ticks; the others stand by (readiness and /metrics say so).
      if (this.turn) {
        const lease = await this.turn.take();
        this.metrics.plannerStandingBy = lease.held ? null : lease.holder;
        if (!lease.held) return;
      }
      await this.tickNow();
    } catch (e) {
      this.log.error(`tick failed: ${(e as Error).message}`);
    }
  }

  /**
   * An admin's tick by hand (`POST /api/engine/tick`). On PostgreSQL it needs the shop's planner
   * lease like any tick: a server that plans takes it as its ticker does (and keeps it); one that
   * does not (REKINDLE_PLANNER=off) borrows it for the tick if no scheduler holds it. While
   * another process holds it, AnotherPlannerPlans: two planners would queue and read every due
   * batch twice.
   */
  async tickByHand() {
    if (!this.turn) return this.tickNow();
    const planner = this.settings.REKINDLE_PLANNER !== 'off';
    const lease = planner ? await this.turn.take() : await this.turn.borrow();
    if (planner) this.metrics.plannerStandingBy = lease.held ? null : lease.holder;
    if (!lease.held) throw new AnotherPlannerPlans(lease.holder);
    try {
      return await this.tickNow();
    } finally {
      if (!planner) await this.turn.release();
    }
  }

  /**
   * One tick now; waits for a tick already under way. Events
   * stored before the tick are consumed first, so their journeys exist before stepping.
   */
  async tickNow() {
    const thread = this.intake.thread;
    if (thread) return thread.tick();
    while (this.running) await this.running.catch(() => undefined);
    // An intake failure (a deadlock on PostgreSQL, say) leaves its events pending for the next drain: stepping still runs.
    const run = this.intake
      .drainNow()
      .catch((e) => this.log.error(`event intake failed: ${(e as Error).message}`))
      .then(() => this.runtime.engine.tick());
    this.running = run;
    try {
      const result = await run;
      const enrolled = result.entries.reduce((s, e) => s + e.enrolled, 0);
      if (enrolled || result.steps.steps) this.log.log(`entered ${enrolled}, stepped ${result.steps.steps}, queued ${result.steps.sends} message(s)`);
      return result;
    } finally {
      this.running = null;
    }
  }
}
