import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { Settings } from '../../config/settings.js';
import { dialectOf, sqliteFileOf, type DatabaseTarget } from '../../persistence/data-source.js';
import { oldestOutboxDueAt } from '../../persistence/operations-snapshot.js';
import { plannerOf } from '../../persistence/planner-lease.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { CLOCK, SETTINGS, SIMULATION_COPY } from '../tokens.js';
import type { SimulationCopyHold } from '../../runtime/simulation-copy-hold.js';

export const HEALTH_OPTIONS = Symbol('HealthOptions');
export interface HealthOptions {
  database: DatabaseTarget;
  /** Whether this server runs the engine on a schedule (otherwise nobody expects it to tick). */
  schedulers: boolean;
}

/**
 * What readiness checks, each a @nestjs/terminus indicator. Messages say what is wrong in the
 * operator's terms and never include a file path or a stack.
 */
@Injectable()
export class ReadinessIndicators {
  private readonly startedAt: number;
  /** The SQLite file as opened: removed or replaced underneath the server means not ready. */
  private readonly sqlite: { file: string; ino: number } | null;

  constructor(
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
    @Inject(TypeOrmHealthIndicator) private readonly typeorm: TypeOrmHealthIndicator,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(RekindleMetrics) private readonly metrics: RekindleMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(HEALTH_OPTIONS) private readonly opts: HealthOptions,
    @Inject(SIMULATION_COPY) private readonly simulationCopy: SimulationCopyHold | null,
  ) {
    this.startedAt = clock.now();
    const file = sqliteFileOf(opts.database);
    this.sqlite = file !== null && existsSync(file) ? { file: resolve(file), ino: statSync(file).ino } : null;
  }

  /** The database answers a query (and, on SQLite, its file is still the one the server opened). */
  async database() {
    if (this.sqlite) {
      const ino = existsSync(this.sqlite.file) ? statSync(this.sqlite.file).ino : null;
      if (ino === null) return this.health.check('database').down({ message: 'the SQLite database file has been removed' });
      if (ino !== this.sqlite.ino) return this.health.check('database').down({ message: 'the SQLite database file was replaced while the server had it open; restart the server' });
    }
    return this.typeorm.pingCheck('database', { connection: this.ds, timeout: 2000 });
  }

  /** The engine finished a tick recently (only when this server runs the schedulers). */
  async engine() {
    const check = this.health.check('engine');
    if (!this.opts.schedulers) return check.up({ message: 'not scheduled in this process' });
    // On purpose: nothing ticks there (api/simulation-copy/live-only.ts).
    if (this.simulationCopy) return check.up({ message: this.simulationCopy.line });
    if (this.settings.REKINDLE_PLANNER === 'off') {
      // Not this server's to plan, so it stays ready either way; but say whether anything plans the shop.
      const planner = dialectOf(this.opts.database) === 'postgres' ? await plannerOf((sql, params) => this.ds.query(sql, params)) : undefined;
      const now = planner === undefined ? '' : planner === null ? ': no process plans this shop now (start `rekindle scheduler`)' : `: ${planner} plans it`;
      return check.up({ message: `planned by a separate rekindle scheduler (REKINDLE_PLANNER=off)${now}` });
    }
    // A standby does not tick, by design: it is ready, and takes over when the planner stops.
    if (this.metrics.plannerStandingBy !== null) return check.up({ message: `standing by: ${this.metrics.plannerStandingBy} plans this shop` });
    const maxMs = this.settings.REKINDLE_READY_TICK_MAX_S * 1000;
    const last = this.metrics.lastTickAt;
    const since = this.clock.now() - (last ?? this.startedAt);
    if (since <= maxMs) return check.up({ lastTickSecondsAgo: last === null ? null : Math.round(since / 1000) });
    const why = this.metrics.lastTickError ? `; last error: ${this.metrics.lastTickError}` : '';
    return check.down({ message: `the engine has not finished a tick for ${Math.round(since / 1000)} s (limit ${this.settings.REKINDLE_READY_TICK_MAX_S} s)${why}` });
  }

  /** No message has been due in the outbox for longer than the limit. */
  async outbox() {
    const check = this.health.check('outbox');
    // Its queued messages are never sent, by design: due ones are not a stuck outbox.
    if (this.simulationCopy) return check.up({ message: this.simulationCopy.line });
    const oldest = await oldestOutboxDueAt(this.ds, this.clock.now());
    const ageS = oldest === null ? 0 : Math.max(0, Math.round((this.clock.now() - oldest) / 1000));
    if (ageS <= this.settings.REKINDLE_READY_OUTBOX_MAX_S) return check.up({ oldestDueSeconds: ageS });
    return check.down({ message: `a message has been due in the outbox for ${ageS} s (limit ${this.settings.REKINDLE_READY_OUTBOX_MAX_S} s): the outbox is not draining` });
  }
}
