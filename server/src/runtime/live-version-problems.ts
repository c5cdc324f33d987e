import { join } from 'node:path';
import type { PublishedFlow } from '../core/engine/ports.js';
import { FLOW_FILE_SUFFIX } from '../core/flow/flow-file.js';
import type { FlowProblem } from '../core/flow/problems.js';
import { ruleCatalogOfSet } from '../core/flow/rule-references.js';
import { validateFlowText } from '../core/flow/validate-flow.js';
import { RuleSet } from '../core/rules/rule-set.js';
import { couponCatalogOf } from './coupon-catalog.js';
import { knownEventsOf } from './declared-events.js';
import { shopCapsOf } from './shop-cap-ids.js';
import { isSimulatedFlowId } from './simulated-flow.js';

/** A live journey's published version and what in rules/ it names that is not there (or not usable) now. */
export interface LiveVersionProblems {
  flowId: string;
  version: number;
  status: string;
  /** Errors only, each with its node and field (a version has no file, so no line). */
  problems: Pick<FlowProblem, 'nodeId' | 'path' | 'message'>[];
}

/** The journeys running or paused among the published ones (FlowRepository.published()), a simulation's own left out. */
export const liveFlows = (published: readonly PublishedFlow[]): PublishedFlow[] => published.filter((p) => (p.status === 'active' || p.status === 'paused') && !isSimulatedFlowId(p.flowId));

/**
 * The journeys running (or paused), checked against a rules folder as the files of a flow are: a
 * published version is frozen, but the segments, coupon templates, contact-policy caps and declared
 * events it names live in rules/ and change in git. A segment renamed or deleted there stops the
 * journey's entry (the server warns, core/engine/unusable-segment.ts); a coupon template gone fails
 * its sends. `rekindle validate --live` and the journeys home say it. Warnings are left out (the
 * flow's own file gives them); dates are not judged (a running journey's are past). `seenEvents`:
 * the event types of the shop's log (persistence/event-types.ts), known as for a draft's check.
 */
export function liveVersionProblems(published: readonly PublishedFlow[], rulesDir: string, seenEvents: readonly string[]): LiveVersionProblems[] {
  const rules = ruleCatalogOfSet(RuleSet.loadDir(join(rulesDir, 'segments'), 'rules/segments'));
  const coupons = couponCatalogOf(rulesDir);
  const events = knownEventsOf(rulesDir, seenEvents);
  const caps = shopCapsOf(rulesDir);
  return liveFlows(published).map((p) => {
    // JSON is YAML: the version is checked by the very code that checks a flow file (named as its file would be).
    const checked = validateFlowText(JSON.stringify(p.version.flow, null, 2), `${p.flowId}${FLOW_FILE_SUFFIX}`, rules, coupons, events, null, caps);
    const problems = checked.problems.filter((x) => x.severity === 'error').map((x) => ({ nodeId: x.nodeId, path: x.path, message: x.message }));
    return { flowId: p.flowId, version: p.version.version, status: p.status, problems };
  });
}
