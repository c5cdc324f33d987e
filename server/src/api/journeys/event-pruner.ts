import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { setting, type Settings } from '../../config/settings.js';
import type { Workspace } from '../../config/workspace.js';
import { runEventRetention, retentionRunText, type RetentionRun } from '../../runtime/event-retention-run.js';
import type { PlannerTurn } from '../../runtime/planner-turn.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { CLOCK, SETTINGS, WORKSPACE } from '../tokens.js';
import { PLANNER_TURN } from './planner-turn.provider.js';

/**
 * The scheduled retention prune (REKINDLE_EVENT_RETENTION_DAYS, REKINDLE_CONSUMED_EVENT_RETENTION_DAYS):
 * every REKINDLE_PRUNE_MS, in the process that plans the shop. On PostgreSQL that is whoever holds
 * the planner lease (persistence/planner-lease.ts): of several servers one prunes, the others
 * stand by; a server with REKINDLE_PLANNER=off leaves it to the planner. Runs never overlap.
 */
@Injectable()
export class EventPruner {
  private readonly log = new Logger('Retention');
  private running: Promise<RetentionRun | null> | null = null;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PLANNER_TURN) private readonly turn: PlannerTurn | null,
    @Inject(RekindleMetrics) private readonly metrics: RekindleMetrics,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Interval('event-prune', setting('REKINDLE_PRUNE_MS'))
  async onInterval(): Promise<void> {
    if (this.running || this.settings.REKINDLE_PLANNER === 'off') return;
    try {
      this.running = this.pruneNow();
      await this.running;
    } finally {
      this.running = null;
    }
  }

  /** One prune now, if a retention is set and this process plans the shop; null when it did not run. */
  async pruneNow(): Promise<RetentionRun | null> {
    const eventDays = this.settings.REKINDLE_EVENT_RETENTION_DAYS ?? null;
    const consumedDays = this.settings.REKINDLE_CONSUMED_EVENT_RETENTION_DAYS ?? null;
    if (eventDays === null && consumedDays === null) return null;
    try {
      if (this.turn && !(await this.turn.take()).held) return null;
      const run = await runEventRetention(this.ds, this.workspace, this.clock, { eventDays, consumedDays, batch: this.settings.REKINDLE_PRUNE_BATCH }, false, 'rekindle');
      this.metrics.pruneFinished(run.counts);
      this.log.log(`retention prune: ${retentionRunText(run)} (${run.tookMs} ms)`);
      return run;
    } catch (e) {
      this.metrics.pruneFailed();
      this.log.error(`retention prune failed: ${(e as Error).message}; what it deleted so far stays deleted, the rest waits for the next run`);
      return null;
    }
  }
}
