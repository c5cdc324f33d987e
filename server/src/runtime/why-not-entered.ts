import type { DataSource } from 'typeorm';
import { deriveFacts } from '../core/facts/derive.js';
import { computeStoredFacts } from '../core/facts/stored-facts.js';
import { entryReason } from '../core/flow/entry-reason.js';
import { EngineEvaluator } from '../core/rules/engine-evaluator.js';
import { RuleSet, segmentsDir } from '../core/rules/rule-set.js';
import { unmetConditions, type Unmet } from '../core/rules/unmet-conditions.js';
import type { Workspace } from '../config/workspace.js';
import { loadStoredFacts } from '../persistence/fact-store.js';
import { FlowRepository } from '../persistence/flow-repository.js';
import { findCustomer } from '../persistence/shop-repository.js';
import { liveFlows } from './live-version-problems.js';

/** A live journey a customer is not in, and whether its entry's segment would take them now. */
export interface NotEntered {
  flowId: string;
  status: string;
  version: number;
  /** The entry in words ("in segment 沉睡唤醒候选客户 (…) at the daily 10:00 run"). */
  entry: string | null;
  segment: string;
  /** In the segment by their facts now; null when the segment is not under rules/segments/ any more. */
  inSegment: boolean | null;
  /** What held them out of it: each condition with their own value (core/rules/unmet-conditions.ts). */
  unmet: Unmet[];
  /** A one-off audience: when it is (or was) drawn, epoch ms; null for a schedule. */
  audienceAt: number | null;
  /** A schedule: how often its segment is run, and at what time of day (shop time) when daily. */
  schedule: { every: 'day' | 'hour'; at: string } | null;
}

/** What of a customer's journey report (persistence/journey-report.ts customerJourney) decides which journeys to judge. */
export interface JourneysOf {
  customer: { id: number; externalId: unknown; erasedAt: unknown; inRecycleBin: boolean };
  journeys: readonly { flowId: unknown; simulated?: boolean }[];
}

/**
 * For `rekindle explain` and GET /api/customers/:id/journey: every live journey (active or paused)
 * whose entry checks a segment — on a schedule, or a one-off audience — that the customer has no
 * journey in, with the segment's verdict on the customer's facts now and the conditions that held
 * them out. Event-triggered journeys are answered from the events themselves (missed entries,
 * journey-report.ts), not here; a customer in the recycle bin or erased enters none (nothing said).
 * `rules`: the segments as rules/segments/ has them now (read there when not given).
 */
export async function whyNotEntered(ds: DataSource, workspace: Workspace, j: JourneysOf, now: number, rules: RuleSet = RuleSet.loadDir(segmentsDir(workspace.rulesDir))): Promise<NotEntered[]> {
  if (j.customer.erasedAt !== null || j.customer.inRecycleBin) return [];
  const entered = new Set(j.journeys.filter((e) => !e.simulated).map((e) => String(e.flowId)));
  const live = liveFlows(await new FlowRepository(ds).published()).filter((p) => !entered.has(p.flowId));
  const out: NotEntered[] = [];
  let facts: Record<string, unknown> | null = null;
  const evaluator = new EngineEvaluator(rules, { timezone: workspace.shop.timezone });
  for (const p of live) {
    const f = { flowId: p.flowId, status: p.status, version: p.version.version, flow: p.version.flow };
    const entryNode = f.flow.nodes.find((n) => n.type === 'entry');
    if (!entryNode || entryNode.type !== 'entry' || entryNode.trigger.type === 'event') continue;
    const segment = entryNode.trigger.segment;
    const entry = entryReason(f.flow, (name) => rules.get(name)?.title ?? null);
    const t = entryNode.trigger;
    const audienceAt = t.type === 'audience' ? Date.parse(t.startAt) : null;
    const schedule = t.type === 'schedule' ? { every: t.every ?? 'day', at: t.at ?? '09:00' } : null;
    if (!rules.get(segment)) {
      out.push({ flowId: f.flowId, status: f.status, version: f.version, entry, segment, inSegment: null, unmet: [], audienceAt, schedule });
      continue;
    }
    if (!facts) {
      const record = await findCustomer(ds.manager, String(j.customer.externalId));
      const stored = (await loadStoredFacts(ds, j.customer.id)) ?? computeStoredFacts(record!, [], workspace.shop.timezone);
      facts = deriveFacts(stored, { at: now, timezone: workspace.shop.timezone, lifecycle: workspace.shop.lifecycle });
    }
    const verdict = await evaluator.evaluate(segment, facts, now);
    out.push({ flowId: f.flowId, status: f.status, version: f.version, entry, segment, inSegment: verdict.matched, unmet: unmetConditions(verdict.conditions), audienceAt, schedule });
  }
  return out;
}
