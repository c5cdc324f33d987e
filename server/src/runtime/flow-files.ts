import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../config/display-path.js';
import { FLOW_FILE_SUFFIX } from '../core/flow/flow-file.js';
import type { FlowDates } from '../core/flow/date-checks.js';
import { notUtf8Problem, type FlowProblem } from '../core/flow/problems.js';
import { readRulesFile } from '../core/text/rules-file-text.js';
import { couponCatalogOf } from './coupon-catalog.js';
import { ruleCatalogOfSet } from '../core/flow/rule-references.js';
import type { Flow } from '../core/flow/schema.js';
import { hasErrors, validateFlowText } from '../core/flow/validate-flow.js';
import { knownEventsOf } from './declared-events.js';
import { shopCapsOf } from './shop-cap-ids.js';
import { quietHoursOf, shopTimeZone, withTimesOfDay } from './flow-times-of-day.js';
import type { RuleSet } from '../core/rules/rule-set.js';
import { type FlowRepository, type FlowSummary } from '../persistence/flow-repository.js';
import { closestName } from '../core/text/closest-name.js';
import { FlowFileChanged, flowFileVersion } from '../core/flow/flow-file-version.js';
import { flowFileHashOnDisk } from './flow-file-hash-on-disk.js';

export function flowsDir(rulesDir: string): string {
  return join(rulesDir, 'flows');
}

export function flowFilePath(rulesDir: string, flowId: string): string {
  return join(flowsDir(rulesDir), `${flowId}${FLOW_FILE_SUFFIX}`);
}

/** The version (flow-file-version.ts) of rules/flows/<id>.flow.yaml as it is on disk now; a missing file is the version of ''. */
export function flowFileVersionOnDisk(rulesDir: string, flowId: string): string {
  const file = flowFilePath(rulesDir, flowId);
  return flowFileVersion(existsSync(file) ? readFileSync(file) : '');
}

/**
 * Refuses (FlowFileChanged) to replace rules/flows/<id>.flow.yaml with a drawing based on another
 * version of it than the one on disk now; `basedOn` null: nothing known to check against.
 */
export function refuseIfFlowFileChanged(rulesDir: string, flowId: string, basedOn: string | null): void {
  if (basedOn === null) return;
  const current = flowFileVersionOnDisk(rulesDir, flowId);
  if (current !== basedOn) throw new FlowFileChanged(flowId, basedOn, current);
}

/** Flow ids of the files in rules/flows/, sorted. */
export function listFlowIds(rulesDir: string): string[] {
  const dir = flowsDir(rulesDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(FLOW_FILE_SUFFIX))
    .map((f) => f.slice(0, -FLOW_FILE_SUFFIX.length))
    .sort();
}

export interface FlowOverview {
  id: string;
  /** draft: a file never published (or published versions without a file any more keep theirs). */
  status: FlowSummary['status'] | 'draft';
  currentVersion: number | null;
  versions: FlowSummary['versions'];
  /** rules/flows/<id>.flow.yaml exists: GET /api/flows/:id/file has it (the designer asks for no file it knows is not there). */
  hasFile: boolean;
  /**
   * The file says something else than the live version (a commit not published yet, or a file
   * that does not read as a flow); null without a file or a published version. A developer's commit
   * was otherwise nowhere to be seen: `flows list` said "active v1" and the designer showed the
   * file's content on the canvas as if it ran.
   */
  fileChanged: boolean | null;
}

/** Whether rules/flows/<id>.flow.yaml differs from the version with `liveHash` (flowHash of the parsed file, so comments and key order do not count). */
export function flowFileDiffers(rulesDir: string, flowId: string, liveHash: string | null): boolean | null {
  if (liveHash === null) return null;
  const onDisk = flowFileHashOnDisk(flowFilePath(rulesDir, flowId));
  if (onDisk === undefined) return null;
  return onDisk === null || onDisk !== liveHash;
}

/** Every flow the shop has: the files in rules/flows/ and the published ones, with their status. */
export async function flowOverview(rulesDir: string, flows: FlowRepository): Promise<FlowOverview[]> {
  const published = new Map((await flows.list()).map((f) => [f.flowId, f]));
  const files = new Set(listFlowIds(rulesDir));
  const ids = [...new Set([...files, ...published.keys()])].sort();
  return ids.map((id) => {
    const p = published.get(id);
    const live = p?.versions.find((v) => v.version === p.currentVersion)?.hash ?? null;
    return { id, status: p?.status ?? 'draft', currentVersion: p?.currentVersion ?? null, versions: p?.versions ?? [], hasFile: files.has(id), fileChanged: files.has(id) ? flowFileDiffers(rulesDir, id, live) : null };
  });
}

/** A flow that may not run: every problem is listed with its file, line and node. */
export class InvalidFlowError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FlowProblem[],
  ) {
    super(`${file} has ${problems.filter((p) => p.severity === 'error').length} problem(s):\n` + problems.map((p) => `  ${file}:${p.line}${p.nodeId ? ` node ${p.nodeId}` : ''}: ${p.message}`).join('\n'));
  }
}

export class FlowNotFoundError extends Error {}

/**
 * Reads and validates a flow file (the same checks as `rekindle validate`). Publishing and
 * simulating refuse a flow with errors, so nothing half-valid ever runs. `seenEvents`: the types
 * in the shop's event log (persistence/event-types.ts), where the caller has the database, as the
 * designer's checks have them; a shop's own event seen there is then not warned about. `dates`:
 * the caller's clock and shop time zone where the flow is about to run for real (publishing), so
 * dates already past are warned about; a simulation leaves it out (its time is its own).
 */
export function loadValidFlow(rulesDir: string, flowIdOrFile: string, rules: RuleSet, seenEvents: Iterable<string> = [], dates: FlowDates | null = null): { flow: Flow; file: string; warnings: FlowProblem[] } {
  const file = flowIdOrFile.endsWith(FLOW_FILE_SUFFIX) ? flowIdOrFile : flowFilePath(rulesDir, flowIdOrFile);
  if (!existsSync(file)) {
    const flows = listFlowIds(rulesDir);
    const near = closestName(flowIdOrFile, flows);
    throw new FlowNotFoundError(`no flow file ${displayPath(file)} (flows: ${flows.join(', ') || 'none'})${near ? `: did you mean "${near}"?` : ''}`);
  }
  // Not UTF-8: publishing and simulating refuse it like any flow with an error, naming the file and line.
  const text = readRulesFile(file, displayPath(file), (e) => new InvalidFlowError(displayPath(file), [notUtf8Problem(e)]));
  return validFlowText(rulesDir, text, displayPath(file), rules, seenEvents, dates);
}

/**
 * The publish checks of loadValidFlow on a flow's text (`shown`: the file it is or will be): a
 * publish from the designer checks the text it is about to write, before anything is written.
 */
export function validFlowText(rulesDir: string, text: string, shown: string, rules: RuleSet, seenEvents: Iterable<string> = [], dates: FlowDates | null = null): { flow: Flow; file: string; warnings: FlowProblem[] } {
  const result = validateFlowText(text, shown, ruleCatalogOfSet(rules), couponCatalogOf(rulesDir), knownEventsOf(rulesDir, seenEvents), dates, shopCapsOf(rulesDir));
  const problems = withTimesOfDay(result.problems, result.source, quietHoursOf(rulesDir), dates?.timeZone ?? shopTimeZone(rulesDir));
  if (!result.flow || hasErrors(problems)) throw new InvalidFlowError(shown, problems);
  return { flow: result.flow, file: shown, warnings: problems };
}
