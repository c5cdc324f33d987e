import { locate, parseFlowFile, type FlowFileResult } from './flow-file.js';
import { checkCoupons, type CouponCatalog } from '../coupons/flow-checks.js';
import { checkUnsentCoupons } from '../coupons/unsent-coupons.js';
import { checkEmailBeforeSms } from '../channels/email-before-sms.js';
import { checkDates, type FlowDates } from './date-checks.js';
import { checkEvents, eventCatalog, type EventCatalog } from './event-checks.js';
import { checkShadowedWaits } from './exit-shadow-checks.js';
import { checkReminderStops } from './reminder-stop-checks.js';
import { checkUnclickableWaits } from './click-wait-checks.js';
import { checkMissedResponses } from './missed-response-checks.js';
import { checkTriggerKeys } from './trigger-key-checks.js';
import { checkGraph } from './graph-checks.js';
import { checkMessages } from './message-checks.js';
import type { FlowProblem } from './problems.js';
import { checkRuleReferences, type RuleCatalog } from './rule-references.js';
import { checkWaitLengths } from './wait-length-checks.js';
import { checkSendKinds } from './send-kind-checks.js';
import { checkReentry } from './reentry-checks.js';
import { checkFlowCapIds } from '../policy/flow-cap-ids.js';
import { checkConversionGoal } from './goal-checks.js';
import { checkSmsText } from '../channels/sms-text-checks.js';
import { checkUntrackedSplits } from '../experiment/untracked-split-checks.js';
import { checkJourneySplitExperiments } from '../experiment/journey-split-checks.js';
import { checkPathCaps } from '../policy/path-cap-checks.js';
import type { Cap } from '../policy/schema.js';

/**
 * Everything `rekindle validate` says about one flow file: syntax and schema (flow-file.ts),
 * the graph (graph-checks.ts), rule references (rule-references.ts) and coupons
 * (core/coupons/flow-checks.ts: templates exist, messages name only coupons the customer holds;
 * core/coupons/unsent-coupons.ts: a coupon printed on a channel the send that issues it does not use),
 * a marketing SMS before its email, or less than 2 days after it (core/channels/email-before-sms.ts),
 * message placeholders (message-checks.ts: variables that exist, {{link}} with a link target) and
 * event names (event-checks.ts: known to the system or seen in the shop's log), an event trigger's
 * key against the event's fields (trigger-key-checks.ts), waits that exitOn
 * answers first (exit-shadow-checks.ts), send categories against what the step is
 * (send-kind-checks.ts), re-entry on a one-off audience (reentry-checks.ts), waits longer than a year (wait-length-checks.ts) and dates already past
 * (date-checks.ts; only given `dates`, the caller's clock and shop time zone: a simulation replays
 * its own time, so its dates are not "past") and the flow's own cap ids against the shop's
 * (core/policy/flow-cap-ids.ts; given `shopCaps`, rules/policy.yaml's), sends a cap holds back on a
 * path of the journey itself (core/policy/path-cap-checks.ts, the shop's caps and the flow's own), and three warnings a marketer
 * would otherwise learn of after publishing: no conversion goal (goal-checks.ts), an SMS without its
 * 【签名】 or a marketing SMS without 回T退订 (core/channels/sms-text-checks.ts) and a split that is no
 * experiment (core/experiment/untracked-split-checks.ts), each with its line
 * and node id, sorted by line. Graph and rule checks run even when the schema fails, on the raw
 * nodes, so one typo does not hide the other problems.
 */
export function validateFlowText(text: string, fileName: string, rules: RuleCatalog, coupons: CouponCatalog | null = null, events: EventCatalog = eventCatalog(), dates: FlowDates | null = null, shopCaps: readonly Cap[] = []): FlowFileResult {
  const parsed = parseFlowFile(text, fileName);
  const { source } = parsed;
  const raw = source?.value as { nodes?: unknown } | undefined;
  if (!source || !raw || typeof raw !== 'object') return parsed;
  const nodes = Array.isArray(raw.nodes) ? raw.nodes : [];
  // Without a list of nodes the schema says what nodes: should be (or that it is missing); "no entry
  // node" at the same path would replace it with a consequence.
  const graph = Array.isArray(raw.nodes) ? locate(source, checkGraph(nodes)) : [];
  const more = [...graph, ...locate(source, checkRuleReferences(nodes, rules)), ...locate(source, checkCoupons(nodes, coupons)), ...locate(source, checkUnsentCoupons(nodes)), ...locate(source, checkEmailBeforeSms(nodes)), ...locate(source, checkMessages(nodes)), ...locate(source, checkEvents(raw, events)), ...locate(source, checkTriggerKeys(nodes, (e) => events.fields?.(e) ?? null)), ...locate(source, checkShadowedWaits(raw)), ...locate(source, checkReminderStops(raw)), ...locate(source, checkUnclickableWaits(nodes)), ...locate(source, checkMissedResponses(raw)), ...locate(source, checkWaitLengths(nodes)), ...locate(source, checkSendKinds(nodes)), ...locate(source, checkReentry(nodes)), ...(dates ? locate(source, checkDates(raw, dates)) : []), ...locate(source, checkFlowCapIds(raw, shopCaps.map((c) => c.id))), ...locate(source, checkConversionGoal(raw)), ...locate(source, checkSmsText(nodes)), ...locate(source, checkUntrackedSplits(nodes)), ...locate(source, checkJourneySplitExperiments(nodes)), ...(parsed.flow ? locate(source, checkPathCaps(parsed.flow, [...shopCaps, ...(parsed.flow.caps ?? [])])) : [])];
  // A missing edge is reported by the schema ("missing required") and the graph ("branch not
  // connected"); the graph's words are the clearer ones, so keep one problem per path.
  const graphPaths = new Set(graph.map((p) => p.path));
  const schema = parsed.problems.filter((p) => !graphPaths.has(p.path));
  const problems = [...schema, ...more].sort((a, b) => a.line - b.line);
  return { ...parsed, problems };
}

export function hasErrors(problems: readonly FlowProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
