import type { DataSource } from 'typeorm';
import type { Clock } from '../core/clock.js';
import { clampWords, retentionPlan, type RetentionPlan } from '../core/data/event-retention.js';
import { formatShopTime } from '../core/engine/local-time.js';
import type { Flow } from '../core/flow/schema.js';
import type { Workspace } from '../config/workspace.js';
import { AuditLog } from '../persistence/audit-log.js';
import { pruneEvents, type PruneCounts } from '../persistence/event-retention.js';
import { PolicyFile } from '../persistence/policy-file.js';
import { queryRows } from '../persistence/sql-batch.js';

export interface RetentionSettings {
  /** Days to keep events; null: forever. */
  eventDays: number | null;
  /** Days to keep consumed_events rows; null: as long as their events. */
  consumedDays: number | null;
  batch: number;
}

export interface RetentionRun {
  plan: RetentionPlan;
  counts: PruneCounts;
  dryRun: boolean;
  /** The clamp in words (a reader needs older events than the retention keeps), or null. */
  clamped: string | null;
  /** The cut-offs on the shop's clock (null: that table is not pruned). */
  eventsBefore: string | null;
  consumedBefore: string | null;
  tookMs: number;
}

/** Let other writers in between two batches (the request thread's imports, the engine's turns). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One prune as of the clock's now, for the server's schedule, `rekindle scheduler` and `rekindle
 * prune`: the plan from the settings, the shop's contact policy (read from rules/ now, as the engine
 * reads it) and the published flows in the database, then the batched delete (or count, dryRun).
 * A prune that deleted anything is in the audit log under `auditAs` before the run is returned, so
 * whoever reads what the caller then says of it finds the audit row already there.
 */
export async function runEventRetention(ds: DataSource, workspace: Workspace, clock: Clock, settings: RetentionSettings, dryRun: boolean, auditAs?: string): Promise<RetentionRun> {
  const started = performance.now();
  const rows = await queryRows(ds, 'SELECT v.flow_id, v.content, f.status FROM flow_versions v JOIN flows f ON f.id = v.flow_id ORDER BY v.flow_id, v.version');
  const all = rows.map((r) => ({ flowId: String(r.flow_id), flow: JSON.parse(String(r.content)) as Flow, live: r.status !== 'stopped' }));
  const plan = retentionPlan({
    now: clock.now(),
    eventDays: settings.eventDays,
    consumedDays: settings.consumedDays,
    policy: new PolicyFile(workspace.rulesDir).policy(),
    liveFlows: all.filter((f) => f.live),
    allFlows: all,
  });
  const counts = await pruneEvents(ds, plan, { dryRun, batch: settings.batch, afterBatch: breathe });
  const at = (ms: number) => formatShopTime(ms, workspace.shop.timezone);
  const run: RetentionRun = {
    plan,
    counts,
    dryRun,
    clamped: clampWords(plan, at),
    eventsBefore: plan.eventsBefore === null ? null : at(plan.eventsBefore),
    consumedBefore: plan.consumedBefore === null ? null : at(plan.consumedBefore),
    tookMs: Math.round(performance.now() - started),
  };
  if (auditAs !== undefined && prunedAnything(run))
    await new AuditLog(ds).record({ actor: auditAs, action: 'events-pruned', target: 'retention:events', detail: retentionAuditDetail(run, settings.eventDays), at: plan.now });
  return run;
}

/** What the audit log keeps of a prune that deleted something (the designer's audit-words.ts has labels for each key). */
function retentionAuditDetail(r: RetentionRun, eventDays: number | null): Record<string, unknown> {
  return { eventDays, eventsBefore: r.plan.eventsBefore, consumedBefore: r.plan.consumedBefore, events: r.counts.events, consumedEvents: r.counts.consumedEvents };
}

/** Whether a prune changed anything (only those are audited: an hourly entry saying "nothing" would bury the others). */
const prunedAnything = (r: RetentionRun) => !r.dryRun && r.counts.events + r.counts.consumedEvents > 0;

/** One line for the log and the CLI. */
export function retentionRunText(r: RetentionRun): string {
  const done = r.dryRun ? 'to delete' : 'deleted';
  const parts = [
    r.eventsBefore === null ? 'customer_events: kept (no retention set)' : `customer_events: ${r.counts.events} ${done} (received and happened before ${r.eventsBefore})`,
    `consumed_events: ${r.counts.consumedEvents} ${done} (${r.consumedBefore === null ? 'those of the pruned events' : `acted on before ${r.consumedBefore}, or of pruned events`})`,
  ];
  return `${parts.join('; ')}${r.clamped ? `; ${r.clamped}` : ''}`;
}
