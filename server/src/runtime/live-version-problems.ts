import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { FLOW_FILE_SUFFIX } from '../core/flow/flow-file.js';
import type { FlowProblem } from '../core/flow/problems.js';
import { ruleCatalogOfSet } from '../core/flow/rule-references.js';
import { validateFlowText } from '../core/flow/validate-flow.js';
import { RuleSet } from '../core/rules/rule-set.js';
import { liveFlowVersions } from '../persistence/live-flow-versions.js';
import { seenEventTypes } from '../persistence/event-types.js';
import { couponCatalogOf } from './coupon-catalog.js';
import { knownEventsOf } from './declared-events.js';
import { shopCapIdsOf } from './shop-cap-ids.js';
import { isSimulatedFlowId } from './simulated-flow.js';

/** A live journey's published version and what in rules/ it names that is not there (or not usable) now. */
export interface LiveVersionProblems {
  flowId: string;
  version: number;
  status: string;
  /** Errors only, each with its node and field (a version has no file, so no line). */
  problems: Pick<FlowProblem, 'nodeId' | 'path' | 'message'>[];
}

/**
 * The journeys running (or paused) in a database, checked against a rules folder as the files of a
 * flow are: a published version is frozen, but the segments, coupon templates, contact-policy caps and
 * declared events it names live in rules/ and change in git. A segment renamed or deleted there stops
 * the journey's entry (the server warns, core/engine/unusable-segment.ts); a coupon template gone
 * fails its sends. `rekindle validate --live` runs this before such a change is deployed. Warnings are
 * left out (the flow's own file gives them); dates are not judged (a running journey's are past).
 */
export async function liveVersionProblems(ds: DataSource, rulesDir: string): Promise<LiveVersionProblems[]> {
  const segments = join(rulesDir, 'segments');
  const rules = ruleCatalogOfSet(RuleSet.loadDir(segments, 'rules/segments'));
  const coupons = couponCatalogOf(rulesDir);
  // Events the shop has sent count as known, as for the server's own check of a draft.
  const events = knownEventsOf(rulesDir, await seenEventTypes(ds));
  const caps = shopCapIdsOf(rulesDir);
  const out: LiveVersionProblems[] = [];
  for (const v of await liveFlowVersions(ds)) {
    if (isSimulatedFlowId(v.flowId)) continue;
    // JSON is YAML: the version is checked by the very code that checks a flow file (named as its file would be).
    const checked = validateFlowText(JSON.stringify(v.flow, null, 2), `${v.flowId}${FLOW_FILE_SUFFIX}`, rules, coupons, events, null, caps);
    const problems = checked.problems.filter((p) => p.severity === 'error').map((p) => ({ nodeId: p.nodeId, path: p.path, message: p.message }));
    out.push({ flowId: v.flowId, version: v.version, status: v.status, problems });
  }
  return out;
}
