import { couponCatalogOf } from '../../runtime/coupon-catalog.js';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOW_FILE_SUFFIX, LAYOUT_FILE_SUFFIX, locate, parseLayoutFile, serializeFlow, serializeLayout } from '../../core/flow/flow-file.js';
import { unknownKeys } from '../../core/flow/unknown-keys.js';
import type { FlowDates } from '../../core/flow/date-checks.js';
import type { EventCatalog } from '../../core/flow/event-checks.js';
import { knownEventsOf } from '../../runtime/declared-events.js';
import { shopCapsOf } from '../../runtime/shop-cap-ids.js';
import { notUtf8Problem, type FlowProblem } from '../../core/flow/problems.js';
import { decodeRulesText, NotUtf8Error, readRulesFile } from '../../core/text/rules-file-text.js';
import { ruleCatalogOfSet, type RuleCatalog } from '../../core/flow/rule-references.js';
import { RuleSet, SEGMENTS_SHOWN_AS, segmentsDir } from '../../core/rules/rule-set.js';
import { FlowSchema, LayoutSchema, type Flow, type Layout } from '../../core/flow/schema.js';
import { hasErrors, validateFlowText } from '../../core/flow/validate-flow.js';
import { flowFilePath, flowsDir } from '../../runtime/flow-files.js';
import { flowFileVersion } from '../../core/flow/flow-file-version.js';
import { quietHoursOf, shopTimeZone, withTimesOfDay } from '../../runtime/flow-times-of-day.js';

/**
 * The designer's side of flow files: what it draws is checked by EXACTLY the code behind
 * `rekindle validate` (the draft is written in canonical YAML first and then validated as that
 * text), so a problem badge on the canvas and a line in `rekindle validate` are the same problem.
 */

/**
 * Rule names are the file names of rules/segments/ (as `rekindle validate` reads them); one whose
 * file (or a file it uses) has a mistake is named with that file, as the server names it.
 */
export function ruleCatalogOf(rulesDir: string): RuleCatalog {
  return ruleCatalogOfSet(RuleSet.loadDir(segmentsDir(rulesDir), SEGMENTS_SHOWN_AS));
}

export interface DraftCheck {
  /** Canonical YAML of the draft (defaults filled in when the draft is valid). */
  text: string;
  flow?: Flow;
  problems: FlowProblem[];
}

/**
 * Checks a flow as drawn in the designer (a JSON value, maybe not valid yet). `events`: the
 * system's events, those rules/shop.yaml declares and those seen in the shop's log
 * (persistence/event-types.ts), so a shop's own events are not warned about; without it the
 * system's and the declared ones are known, as in `rekindle validate`. `dates`: the server's clock
 * and shop time zone, so a start or wait date already past is warned about (a simulation, on its
 * own virtual time, leaves it out).
 */
export function checkDraft(draft: unknown, rulesDir: string, events: EventCatalog = knownEventsOf(rulesDir), dates: FlowDates | null = null): DraftCheck {
  if (draft === null || typeof draft !== 'object' || Array.isArray(draft)) {
    return { text: '', problems: [{ line: 0, nodeId: null, path: 'flow', message: 'expected a flow object (id, name, nodes…)', severity: 'error' }] };
  }
  const id = (draft as { id?: unknown }).id;
  const text = serializeFlow(draft as Flow);
  const fileName = `${typeof id === 'string' && id ? id : 'flow'}${FLOW_FILE_SUFFIX}`;
  const result = validateFlowText(text, fileName, ruleCatalogOf(rulesDir), couponCatalogOf(rulesDir), events, dates, shopCapsOf(rulesDir));
  // The canonical writer keeps only the schema's keys, so a misspelt one in the draft (an imported
  // file's `duraton: 2h`) would vanish from the text unseen and the step would just look unset.
  // The same unknown-key check as `rekindle validate`, on the draft as drawn, on its step's line.
  const dropped = result.source ? locate(result.source, unknownKeys(FlowSchema, draft)).filter((p) => !result.problems.some((q) => q.path === p.path && q.message === p.message)) : [];
  const problems = withTimesOfDay([...result.problems, ...dropped], result.source, quietHoursOf(rulesDir), dates?.timeZone ?? shopTimeZone(rulesDir));
  return { text, flow: dropped.length ? undefined : result.flow, problems: problems.sort((a, b) => a.line - b.line) };
}

export interface FlowFileView {
  id: string;
  /** The flow as read (defaults filled in); the raw value when the file has schema problems. */
  flow: unknown;
  layout: Layout;
  problems: FlowProblem[];
  /** The file's version (flow-file-version.ts): a draft or publish of this drawing names it, so a later change in git is not undone. */
  fileVersion: string;
}

/** Reads rules/flows/<id>.flow.yaml and its layout, for the designer; null when there is no file. */
export function readFlowFile(rulesDir: string, id: string, events: EventCatalog = knownEventsOf(rulesDir), dates: FlowDates | null = null): FlowFileView | null {
  const file = flowFilePath(rulesDir, id);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = decodeRulesText(bytes, `rules/flows/${id}${FLOW_FILE_SUFFIX}`);
  } catch (e) {
    // Nothing to draw: the designer shows the file's one problem (not UTF-8, on which line).
    if (e instanceof NotUtf8Error) return { id, flow: null, layout: { positions: {} }, problems: [notUtf8Problem(e)], fileVersion: flowFileVersion(bytes) };
    throw e;
  }
  const result = validateFlowText(text, file, ruleCatalogOf(rulesDir), couponCatalogOf(rulesDir), events, dates, shopCapsOf(rulesDir));
  const layoutFile = join(flowsDir(rulesDir), `${id}${LAYOUT_FILE_SUFFIX}`);
  let layout: Layout = { positions: {} };
  const problems = withTimesOfDay([...result.problems], result.source, quietHoursOf(rulesDir), dates?.timeZone ?? shopTimeZone(rulesDir));
  if (existsSync(layoutFile)) {
    let layoutText = '';
    try {
      layoutText = readRulesFile(layoutFile, `rules/flows/${id}${LAYOUT_FILE_SUFFIX}`);
    } catch (e) {
      if (!(e instanceof NotUtf8Error)) throw e;
      const problem = notUtf8Problem(e);
      problems.push({ ...problem, severity: 'warning', message: `layout: ${problem.message}` });
    }
    const l = parseLayoutFile(layoutText, layoutFile, result.flow);
    if (l.layout) layout = l.layout;
    // Layout problems are warnings for the designer: it places nodes without a position itself.
    problems.push(...l.problems.map((p) => ({ ...p, severity: 'warning' as const, message: `layout: ${p.message}` })));
  }
  return { id, flow: result.flow ?? result.source?.value ?? null, layout, problems, fileVersion: flowFileVersion(bytes) };
}

export class FlowExists extends Error {}

export class DraftRejected extends Error {
  constructor(
    message: string,
    readonly problems: FlowProblem[],
  ) {
    super(message);
  }
}

/**
 * Writes a checked draft as rules/flows/<id>.flow.yaml (+ .layout.yaml) in canonical form.
 * Refuses (writing nothing) when the draft has errors or its id is not the one in the URL. Both
 * files are written to temporary names first and then renamed, so a reader (the engine, git)
 * never sees half a file, and a failed write leaves the old files as they were.
 */
export function writeFlowFiles(rulesDir: string, id: string, draft: unknown, layout: unknown, opts: { create?: boolean; events?: EventCatalog; dates?: FlowDates } = {}): { flow: Flow; problems: FlowProblem[]; files: string[] } {
  const staged = stageFlowFiles(rulesDir, id, draft, layout, opts);
  staged.commit();
  return { flow: staged.flow, problems: staged.problems, files: staged.files };
}

/** Checked flow files written under temporary names beside their place: commit renames them in, discard removes them. */
export interface StagedFlowFiles {
  flow: Flow;
  problems: FlowProblem[];
  files: string[];
  /** The canonical text of the flow file as it will be written. */
  text: string;
  commit(): void;
  discard(): void;
}

/**
 * writeFlowFiles up to the renames: a publish from the designer stages the files, publishes, and
 * renames them in only once the publish is stored, so a refused publish leaves rules/ untouched.
 */
export function stageFlowFiles(rulesDir: string, id: string, draft: unknown, layout: unknown, opts: { create?: boolean; events?: EventCatalog; dates?: FlowDates } = {}): StagedFlowFiles {
  // A new flow (or a template saved under a new id) must not silently replace a flow in git.
  if (opts.create && existsSync(flowFilePath(rulesDir, id))) throw new FlowExists(`rules/flows/${id}${FLOW_FILE_SUFFIX} already exists; choose another id`);
  const checked = checkDraft(draft, rulesDir, opts.events, opts.dates ?? null);
  const draftId = (draft as { id?: unknown } | null)?.id;
  if (draftId !== id) {
    throw new DraftRejected(`flow id "${String(draftId)}" does not match the file being saved ("${id}")`, [{ line: 0, nodeId: null, path: 'id', message: `flow id must be "${id}"`, severity: 'error' }]);
  }
  if (!checked.flow || hasErrors(checked.problems)) {
    throw new DraftRejected(`flow "${id}" has ${checked.problems.filter((p) => p.severity === 'error').length} problem(s); nothing was written`, checked.problems);
  }
  const parsedLayout = LayoutSchema.safeParse(layout ?? { positions: {} });
  if (!parsedLayout.success) {
    throw new DraftRejected('layout: expected {positions: {<node id>: {x, y}}}', parsedLayout.error.issues.map((i) => ({ line: 0, nodeId: null, path: ['layout', ...i.path].join('.'), message: i.message, severity: 'error' as const })));
  }
  // Positions of nodes that are gone would only be warnings in validate: drop them on save.
  const ids = new Set(checked.flow.nodes.map((n) => n.id));
  const positions = Object.fromEntries(
    Object.entries(parsedLayout.data.positions)
      .filter(([k]) => ids.has(k))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, p]) => [k, { x: Math.round(p.x), y: Math.round(p.y) }]),
  );
  const flowFile = flowFilePath(rulesDir, id);
  const layoutFile = join(flowsDir(rulesDir), `${id}${LAYOUT_FILE_SUFFIX}`);
  const stamp = `.tmp-${process.pid}-${Date.now()}`;
  const writes: [string, string][] = [
    [flowFile, serializeFlow(checked.flow)],
    [layoutFile, serializeLayout({ positions })],
  ];
  try {
    for (const [file, text] of writes) writeFileSync(file + stamp, text);
  } catch (e) {
    for (const [file] of writes) rmSync(file + stamp, { force: true });
    throw e;
  }
  return {
    flow: checked.flow,
    problems: checked.problems,
    files: writes.map(([f]) => f),
    text: writes[0][1],
    commit: () => {
      for (const [file] of writes) renameSync(file + stamp, file);
    },
    discard: () => {
      for (const [file] of writes) rmSync(file + stamp, { force: true });
    },
  };
}
