import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { entryNode } from '../../core/engine/journey-engine.js';
import { intakeStatus, pendingByType } from '../../persistence/event-inbox.js';
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
 * events waiting in the inbox (and the age of the oldest), and per event-triggered flow the
 * events waiting for it, how many it matched and enrolled, and the lag between an event being
 * stored and acted on (last batch and the worst seen). `undeclaredTypes`: the types in the newest
 * part of the event log (persistence/event-types.ts) that neither the system records nor
 * rules/shop.yaml declares, each with the known type it is one slip from — a feed's typo, or an
 * event to declare (POST /api/events names them in its answer too).
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
    const [s, published, byType, seen] = await Promise.all([
      // The backlog counts read the whole backlog: in the SQL reader thread on a SQLite file.
      intakeStatus(this.ds, this.reader),
      this.runtime.flows.published(),
      pendingByType(this.ds, this.reader),
      // The newest 50,000 events read for their types: in the reader thread too.
      seenEventTypes(this.ds, this.reader),
    ]);
    const undeclaredTypes = eventTypeCheckOf(this.workspace.rulesDir)
      .unknownOf(seen, seen.map(() => 0))
      .map((u) => (u.didYouMean ? { type: u.type, didYouMean: u.didYouMean } : { type: u.type }));
    const pending = new Map(byType.map((r) => [String(r.type), { n: Number(r.n), oldest: Number(r.oldest) }]));
    const figures = new Map(s.flows.map((f) => [f.flowId, f]));
    const flows = published.flatMap((f) => {
      const t = entryNode(f.version.flow).trigger;
      if (t.type !== 'event') return [];
      const p = pending.get(t.event);
      const fig = figures.get(f.flowId);
      return [
        {
          flowId: f.flowId,
          status: f.status,
          event: t.event,
          pending: p?.n ?? 0,
          oldestPendingAgeMs: p ? Math.max(0, now - p.oldest) : null,
          matched: fig?.matched ?? 0,
          enrolled: fig?.enrolled ?? 0,
          lastLagMs: fig?.lastLagMs ?? null,
          maxLagMs: fig?.maxLagMs ?? null,
          lastConsumedAt: fig?.lastConsumedAt ? new Date(fig.lastConsumedAt).toISOString() : null,
        },
      ];
    });
    return {
      pending: s.pending,
      oldestPendingAgeMs: s.oldestPendingAt === null ? null : Math.max(0, now - s.oldestPendingAt),
      consumed: s.consumed,
      lastLagMs: s.lastLagMs,
      flows,
      undeclaredTypes,
    };
  }
}
