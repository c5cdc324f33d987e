import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { actedOnTypes, flowEventTypes } from '../../core/engine/flow-event-types.js';
import { dueByFlow } from '../../persistence/due-by-flow.js';
import { intakeStatus, LAG_WINDOW_MINUTES, pendingByType } from '../../persistence/event-inbox.js';
import type { SqlReader } from '../../persistence/segment-store.js';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import { CLOCK, SQL_READER, WORKSPACE } from '../tokens.js';
import type { Workspace } from '../../config/workspace.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import { eventTypeCheckOf } from '../../runtime/declared-events.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { Allow } from '../auth/allow.decorator.js';

/**
 * `GET /api/events/intake`: how far behind the journey engine is with the stored events —
 * events waiting in the inbox (and the age of the oldest), and per flow that acts on events (its
 * trigger, its exit events, the events its waits wait for: core/engine/flow-event-types.ts) the
 * events of those types still waiting in the inbox (`pending`, by type in `pendingByType`: a
 * payment not yet consumed is work the payment reminder still has to do, not only new orders), how
 * many matched its trigger and entered, its journeys due and not yet stepped (`dueJourneys`: an
 * exit or an answer consumed has woken them; they end or move on at the next tick), and the lag between an event being stored and acted on:
 * the last batch, the longest within the last LAG_WINDOW_MINUTES minutes (`recentMaxLagMs`, from
 * `windowSince` on; it falls back once a backlog has recovered) and the worst ever (`maxLagMs`).
 * `skippedWhilePaused`: its trigger's events that arrived while it was paused and started no
 * journey (a paused flow does not catch up; `lastSkippedAt` when the newest of them was stored).
 * `undeclaredTypes`: the types in the newest part of the event log (persistence/event-types.ts)
 * that neither the system records nor rules/shop.yaml declares, each with the known type it is one
 * slip from — a feed's typo, or an event to declare (POST /api/events names them in its answer too).
 */
@Controller('events/intake')
@Allow('analyst')
export class IntakeStatusController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(ENGINE_RUNTIME) private readonly runtime: EngineRuntime,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SQL_READER) private readonly reader: SqlReader | null,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
  ) {}

  @Get()
  async status() {
    const now = this.clock.now();
    const [s, published, byType, seen, due] = await Promise.all([
      // The backlog counts read the whole backlog: in the SQL reader thread on a SQLite file.
      intakeStatus(this.ds, this.reader, now),
      this.runtime.flows.published(),
      pendingByType(this.ds, this.reader),
      // The newest 50,000 events read for their types: in the reader thread too.
      seenEventTypes(this.ds, this.reader),
      // Journeys woken (or due by their timer) and not yet stepped: capped, in the reader thread too.
      dueByFlow(this.ds, this.reader, now),
    ]);
    const undeclaredTypes = eventTypeCheckOf(this.workspace.rulesDir)
      .unknownOf(seen, seen.map(() => 0))
      .map((u) => (u.didYouMean ? { type: u.type, didYouMean: u.didYouMean } : { type: u.type }));
    const pending = new Map(byType.map((r) => [String(r.type), { n: Number(r.n), oldest: Number(r.oldest) }]));
    const figures = new Map(s.flows.map((f) => [f.flowId, f]));
    const flows = published.flatMap((f) => {
      const types = flowEventTypes(f.version.flow);
      const actsOn = actedOnTypes(types);
      if (actsOn.size === 0) return [];
      let waiting = 0;
      let oldest: number | null = null;
      const pendingOfType: Record<string, number> = {};
      for (const type of actsOn) {
        const p = pending.get(type);
        if (!p) continue;
        pendingOfType[type] = p.n;
        waiting += p.n;
        oldest = oldest === null ? p.oldest : Math.min(oldest, p.oldest);
      }
      const fig = figures.get(f.flowId);
      const recent = s.recent.get(f.flowId);
      return [
        {
          flowId: f.flowId,
          status: f.status,
          /** The trigger's event, null for a flow started by a segment or schedule (it is listed for its exit or awaited events). */
          event: types.trigger,
          exitEvents: types.exit,
          awaitedEvents: types.awaited,
          pending: waiting,
          pendingByType: pendingOfType,
          oldestPendingAgeMs: oldest === null ? null : Math.max(0, now - oldest),
          /** Its active journeys whose wake-up time has passed (an exit or answer consumed, or a timer due), not yet stepped. */
          dueJourneys: due.due.get(f.flowId) ?? 0,
          matched: fig?.matched ?? 0,
          enrolled: fig?.enrolled ?? 0,
          lastLagMs: fig?.lastLagMs ?? null,
          recentMaxLagMs: recent?.maxLagMs ?? null,
          recentEvents: recent?.events ?? 0,
          maxLagMs: fig?.maxLagMs ?? null,
          lastConsumedAt: fig?.lastConsumedAt ? new Date(fig.lastConsumedAt).toISOString() : null,
          /** Its trigger's events that arrived while it was paused: consumed without a journey, not caught up on resume (docs/engine.md, "Pausing"). */
          skippedWhilePaused: fig?.skippedWhilePaused ?? 0,
          lastSkippedAt: fig?.lastSkippedAt ? new Date(fig.lastSkippedAt).toISOString() : null,
        },
      ];
    });
    const recent = s.recent.get('');
    return {
      pending: s.pending,
      oldestPendingAgeMs: s.oldestPendingAt === null ? null : Math.max(0, now - s.oldestPendingAt),
      consumed: s.consumed,
      lastLagMs: s.lastLagMs,
      window: { minutes: LAG_WINDOW_MINUTES, since: new Date(s.windowSince).toISOString() },
      recentMaxLagMs: recent?.maxLagMs ?? null,
      recentEvents: recent?.events ?? 0,
      /** True when there were more due journeys than were counted (persistence/due-by-flow.ts): each flow's figure is then "at least". */
      dueCapped: due.capped,
      flows,
      undeclaredTypes,
    };
  }
}
