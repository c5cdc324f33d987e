import { MS_PER_DAY } from '../clock.js';
import { parseDuration } from '../flow/duration.js';
import type { Flow } from '../flow/schema.js';
import type { ContactPolicy } from '../policy/schema.js';
import { DEFAULT_UNSUBSCRIBE_EVENT } from './system-events.js';

/**
 * The shortest event retention accepted. An event's idempotency key lives in its own row
 * (customer_events' unique client_id + idempotency_key): once the row is pruned, a repeated
 * delivery of that key is stored as a new event and the engine acts on it again. 30 days covers
 * any client's retry schedule and a feed re-sending the last month after an outage.
 */
export const MIN_EVENT_RETENTION_DAYS = 30;

/** A reader of stored events that looks back from now: events it may still read are never pruned. */
export interface RetentionNeed {
  /** Where the window is set, in the operator's words (`rules/policy.yaml giveUp.within 90d`). */
  what: string;
  windowMs: number;
}

/** An experiment report's responses: these event types of its customers, from their assignment on. */
export interface ExperimentResponses {
  flowId: string;
  nodeId: string;
  types: string[];
}

export interface RetentionPlan {
  now: number;
  /** Events received and occurred before this instant may be pruned; null: events are kept. */
  eventsBefore: number | null;
  /** What the configured retention alone would have cut at (differs from eventsBefore when clamped). */
  configuredEventsBefore: number | null;
  /** The reader that moved the cut-off back, or null. */
  clampedBy: RetentionNeed | null;
  /** `consumed_events` rows written before this instant may be pruned; null: kept (except those of pruned events). */
  consumedBefore: number | null;
  /** Event types never pruned, whatever their age (opt-outs: the policy reads them back without limit). */
  keepTypes: string[];
  experiments: ExperimentResponses[];
}

export interface RetentionInput {
  now: number;
  /** Days to keep events (null: forever). */
  eventDays: number | null;
  /** Days to keep consumed_events rows (null: as long as their events). */
  consumedDays: number | null;
  policy: ContactPolicy;
  /** The published versions of flows that are not stopped: their windows bound the cut-off. */
  liveFlows: readonly { flowId: string; flow: Flow }[];
  /** Every published version (stopped flows' too): their experiment reports stay as they were. */
  allFlows: readonly { flowId: string; flow: Flow }[];
}

/** The readers that look back from now, longest first. */
export function retentionNeeds(policy: ContactPolicy, liveFlows: readonly { flowId: string; flow: Flow }[]): RetentionNeed[] {
  const needs: RetentionNeed[] = [];
  // Give-up counts touches since the later of (now - within) and the customer's last answer: an
  // answer older than the window no longer matters, one inside it does.
  if (policy.giveUp) needs.push({ what: `rules/policy.yaml giveUp.within ${policy.giveUp.within} (customers' last answers)`, windowMs: parseDuration(policy.giveUp.within) });
  for (const { flowId, flow } of liveFlows) {
    for (const n of flow.nodes) if (n.type === 'waitForEvent') needs.push({ what: `flow ${flowId} node ${n.id} within ${n.within}`, windowMs: parseDuration(n.within) });
  }
  return needs.sort((a, b) => b.windowMs - a.windowMs);
}

export function experimentResponses(flows: readonly { flowId: string; flow: Flow }[]): ExperimentResponses[] {
  const byNode = new Map<string, ExperimentResponses>();
  for (const { flowId, flow } of flows) {
    for (const n of flow.nodes) {
      if (n.type !== 'split' || !n.experiment) continue;
      const key = `${flowId}\u0000${n.id}`;
      const x = byNode.get(key) ?? byNode.set(key, { flowId, nodeId: n.id, types: [] }).get(key)!;
      // The report also counts coupons redeemed (experiment-store.ts loadArmData).
      for (const t of [...n.experiment.responses.map((r) => r.event), 'coupon_redeemed']) if (!x.types.includes(t)) x.types.push(t);
    }
  }
  return [...byNode.values()].sort((a, b) => (a.flowId + a.nodeId < b.flowId + b.nodeId ? -1 : 1));
}

/**
 * What a prune may delete as of `now`: the configured cut-off, moved back to the longest window a
 * reader of the events still looks at (clamped, and said so), never forward.
 */
export function retentionPlan(input: RetentionInput): RetentionPlan {
  const { now } = input;
  const configured = input.eventDays === null ? null : now - input.eventDays * MS_PER_DAY;
  const longest = retentionNeeds(input.policy, input.liveFlows)[0] ?? null;
  let eventsBefore = configured;
  let clampedBy: RetentionNeed | null = null;
  if (configured !== null && longest && now - longest.windowMs < configured) {
    eventsBefore = now - longest.windowMs;
    clampedBy = longest;
  }
  const keepTypes = [...new Set([input.policy.suppression.unsubscribeEvent, DEFAULT_UNSUBSCRIBE_EVENT])];
  return {
    now,
    eventsBefore,
    configuredEventsBefore: configured,
    clampedBy,
    consumedBefore: input.consumedDays === null ? null : now - input.consumedDays * MS_PER_DAY,
    keepTypes,
    experiments: experimentResponses(input.allFlows),
  };
}

/** The clamp in words, for the log and the CLI (instants written by `at`, the shop's clock). */
export function clampWords(plan: RetentionPlan, at: (ms: number) => string): string | null {
  if (!plan.clampedBy || plan.eventsBefore === null || plan.configuredEventsBefore === null) return null;
  const days = Math.ceil(plan.clampedBy.windowMs / MS_PER_DAY);
  return `events are kept from ${at(plan.eventsBefore)}, not ${at(plan.configuredEventsBefore)}: ${plan.clampedBy.what} reads ${days} day(s) back, longer than the configured retention`;
}
