import { basename } from 'node:path';
import { Document, Scalar, visit } from 'yaml';
import type { z } from 'zod';
import { canonicalOrder } from './canonical.js';
import { pathText, type FlowProblem, type PathProblem, type ValuePath } from './problems.js';
import { FlowSchema, LayoutSchema, type Flow, type Layout } from './schema.js';
import { unknownKeys } from './unknown-keys.js';
import { readYaml, type YamlSource } from './yaml-location.js';
import { closestName } from '../text/closest-name.js';

/**
 * Flow files: `rules/flows/<id>.flow.yaml` (behaviour) and `rules/flows/<id>.layout.yaml`
 * (canvas positions). Reading gives every problem with its line; writing gives the canonical
 * text, so a change in the designer is a small git diff.
 *
 * Canonical form (see canonical.ts for the key order):
 * - first line `# yaml-language-server: $schema=../schema/flow.schema.json`, so editors
 *   autocomplete and check against the JSON Schema from `rekindle schema`;
 * - defaults that zod fills in (reentry, category, priority, goal, holdout, exitOn…) are WRITTEN
 *   OUT: the file states the whole behaviour, and a default changed later in code does not
 *   silently change a journey that is already in git. A hand-written file that leaves them out
 *   is valid; its first canonical save adds them (once);
 * - long strings are never folded (lineWidth 0): editing a template changes one line.
 * - Comments are NOT kept by the canonical writer (the designer rewrites the whole file). Put the
 *   "why" of a step in its `description`, which is kept and shown on the canvas.
 */

export const FLOW_FILE_SUFFIX = '.flow.yaml';
export const LAYOUT_FILE_SUFFIX = '.layout.yaml';
const FLOW_HEADER = ' yaml-language-server: $schema=../schema/flow.schema.json';
const LAYOUT_HEADER = ' yaml-language-server: $schema=../schema/layout.schema.json';

export interface FlowFileResult {
  /** The parsed flow, with defaults filled in; absent when the text or the schema fails. */
  flow?: Flow;
  /** Every problem found while reading (syntax, schema, unknown keys, file name ≠ id). */
  problems: FlowProblem[];
  /** The YAML document: raw value and line lookup, for further checks (validate-flow.ts). */
  source?: YamlSource;
}

/** The id of the node a path points into (`nodes.3.…` → the raw node's id), for messages. */
export function nodeIdAt(raw: unknown, path: ValuePath): string | null {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') return null;
  const node = (raw as { nodes?: unknown[] } | undefined)?.nodes?.[path[1]] as { id?: unknown } | undefined;
  return typeof node?.id === 'string' ? node.id : null;
}

/** zod's issue messages, worded for a marketer and relative to the node they are in. */
function issueMessage(issue: z.core.$ZodIssue, raw: unknown): string {
  const inNode = issue.path[0] === 'nodes' && typeof issue.path[1] === 'number';
  const rel = (inNode ? issue.path.slice(2) : issue.path).map(String);
  const field = rel.join('.');
  const key = rel[rel.length - 1];
  if (issue.code === 'invalid_union' && (issue as { note?: string }).note === 'No matching discriminator') {
    const options = ((issue as { options?: unknown[] }).options ?? []).join(', ');
    const value = valueAt(raw, issue.path as ValuePath);
    const what = inNode && rel.length === 1 ? 'node type' : `${field}`;
    return value === undefined ? `missing ${what} (one of ${options})` : `unknown ${what} "${String(value)}" (expected one of ${options})`;
  }
  if (issue.code === 'invalid_type') {
    const value = valueAt(raw, issue.path as ValuePath);
    if (value === undefined) return `missing required "${key}"`;
    const words = wrongTypeWords((issue as { expected?: string }).expected, value, itemOf(raw, issue.path as ValuePath));
    if (words && field) return `${field}: ${words}`;
  }
  return field ? `${field}: ${issue.message}` : issue.message;
}

/**
 * A value of the wrong type, said with the value and the fix: zod's "Invalid input: expected
 * number, received string" did not say that `weight: 45%` wants `45`, nor which value it was.
 * The field keeps leading the message (the designer strips it: model/server-problem-words.ts).
 */
function wrongTypeWords(expected: string | undefined, value: unknown, where: string): string | null {
  if (expected === 'number' && typeof value === 'string') {
    const percent = /^\s*(-?\d+(?:\.\d+)?)\s*[%％]\s*$/.exec(value);
    if (percent) return `expected a number${where}, got "${value}": write ${percent[1]}, without %`;
    if (/^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return `expected a number${where}, got the text "${value}": write ${value.trim()} without quotes`;
    return `expected a number${where}, got "${value}"`;
  }
  if (expected === 'boolean' && typeof value === 'string') {
    const yes = /^(yes|y|true|是|对)$/i.test(value.trim());
    const no = /^(no|n|false|否|不)$/i.test(value.trim());
    return `expected true or false${where}, got "${value}"${yes ? ': write true' : no ? ': write false' : ''}`;
  }
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `expected text${where}, got ${String(value)}: put it in quotes ("${String(value)}")`;
  return null;
}

/** ` in arm "a"`: which arm or case of a split or switch a path points into (`nodes.1.arms.0.weight`). */
function itemOf(raw: unknown, path: ValuePath): string {
  for (let i = path.length - 1; i > 0; i--) {
    const list = path[i - 1];
    if (typeof path[i] !== 'number' || (list !== 'arms' && list !== 'cases')) continue;
    const id = (valueAt(raw, path.slice(0, i + 1)) as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? ` in ${list === 'arms' ? 'arm' : 'case'} "${id}"` : '';
  }
  return '';
}

export function valueAt(raw: unknown, path: ValuePath): unknown {
  let v = raw;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** Places value-path problems on lines of the source. */
export function locate(source: YamlSource, problems: PathProblem[]): FlowProblem[] {
  return problems.map((p) => ({ line: source.lineOf(p.path), nodeId: p.nodeId ?? nodeIdAt(source.value, p.path), path: pathText(p.path), message: p.message, severity: p.severity, ...(p.cause ? { cause: p.cause } : {}), ...(p.date ? { date: p.date } : {}) }));
}

function schemaProblems(schema: z.ZodType, raw: unknown): { data?: unknown; problems: PathProblem[] } {
  const result = schema.safeParse(raw);
  const problems = unknownKeys(schema, raw);
  if (result.success) return { data: result.data, problems };
  for (const issue of result.error.issues) {
    problems.push({ path: issue.path as ValuePath, nodeId: null, severity: 'error', message: issueMessage(issue, raw) });
  }
  return { problems };
}

function readSource(text: string): { source: YamlSource; problems: FlowProblem[] } {
  const source = readYaml(text);
  // The first syntax error only: after it the parser is lost, and the errors it reports on the
  // following lines (a dozen for one missing `]`) are echoes of the same mistake.
  // A journey written as JSON (a .flow.yaml whose text is JSON: YAML reads JSON) is told so: "not
  // valid YAML" alone left a JSON author looking for YAML's indentation rules.
  const asJson = text.trimStart().startsWith('{') ? ' (the file is written as JSON, which YAML reads as it is: check the commas, quotes and brackets on this line and the one before)' : '';
  const problems: FlowProblem[] = source.syntaxErrors.slice(0, 1).map((e) => ({ line: e.line, nodeId: null, path: '', message: `not valid YAML: ${e.message}${asJson}`, severity: 'error' }));
  if (!problems.length && (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value))) {
    problems.push({ line: 1, nodeId: null, path: '', message: 'expected a YAML mapping (id, name, nodes…)', severity: 'error' });
  }
  return { source, problems };
}

export function parseFlowFile(text: string, fileName: string): FlowFileResult {
  const { source, problems } = readSource(text);
  if (problems.length) return { problems, source };
  const raw = source.value as { id?: unknown };
  const checked = schemaProblems(FlowSchema, raw);
  const pathProblems = checked.problems;
  const base = basename(fileName);
  if (typeof raw.id === 'string' && base !== `${raw.id}${FLOW_FILE_SUFFIX}`) {
    pathProblems.push({ path: ['id'], nodeId: null, severity: 'error', message: `file name "${base}" does not match flow id "${raw.id}" (expected ${raw.id}${FLOW_FILE_SUFFIX})` });
  } else if (!base.endsWith(FLOW_FILE_SUFFIX)) {
    pathProblems.push({ path: [], nodeId: null, severity: 'error', message: `a flow file is named <id>${FLOW_FILE_SUFFIX}` });
  }
  return { flow: checked.data as Flow | undefined, problems: locate(source, pathProblems), source };
}

const YAML11_AMBIGUOUS = /^(?:\d+(?::[0-5]?\d)+|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

function toCanonicalText(schema: z.ZodType, value: unknown, header: string): string {
  const parsed = schema.safeParse(value);
  // Fill defaults when the value is valid; a draft that is not valid yet is written as it is.
  const doc = new Document(canonicalOrder(schema, parsed.success ? parsed.data : value));
  // Quote what a YAML 1.1 reader (some editors, older tools) would not read as text: 09:00
  // would be the number 540, yes/no booleans. Our reader is YAML 1.2, where both are text anyway.
  // Keys are left alone: `yes:`/`no:` are the schema's own edge names and read naturally.
  visit(doc, {
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'string' && YAML11_AMBIGUOUS.test(node.value)) node.type = Scalar.QUOTE_SINGLE;
    },
  });
  doc.commentBefore = header;
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

/** The canonical YAML text of a flow (see the header of this file). */
export function serializeFlow(flow: Flow): string {
  return toCanonicalText(FlowSchema, flow, FLOW_HEADER);
}

/** What a layout is checked against: the flow's id and its steps' ids (a Flow, or the raw ids of a flow whose schema fails). */
export interface FlowNodeIds {
  id: string;
  nodes: readonly { id: string }[];
}

/** The id and step ids of a flow file's raw value, for checking its layout even when its schema fails; null when it has none. */
export function flowNodeIdsOf(raw: unknown): FlowNodeIds | null {
  const v = raw as { id?: unknown; nodes?: unknown } | null | undefined;
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || !Array.isArray(v.nodes)) return null;
  return { id: v.id, nodes: v.nodes.flatMap((n) => (n && typeof n === 'object' && typeof (n as { id?: unknown }).id === 'string' ? [{ id: (n as { id: string }).id }] : [])) };
}

export interface LayoutFileResult {
  layout?: Layout;
  problems: FlowProblem[];
}

/**
 * Reads `<id>.layout.yaml`. With the flow at hand, positions of nodes the flow does not have
 * are reported as warnings (a stale layout is harmless: the designer places missing nodes).
 */
export function parseLayoutFile(text: string, fileName: string, flow?: FlowNodeIds): LayoutFileResult {
  const { source, problems } = readSource(text);
  if (problems.length) return { problems };
  const checked = schemaProblems(LayoutSchema, source.value);
  const layout = checked.data as Layout | undefined;
  if (layout && flow) {
    const ids = flow.nodes.map((n) => n.id);
    for (const id of Object.keys(layout.positions)) {
      if (ids.includes(id)) continue;
      // A misspelt or renamed step leaves a position no step uses: name the step it most likely is.
      const near = closestName(id, ids);
      const hint = near ? ` (did you mean "${near}"?)` : '';
      checked.problems.push({ path: ['positions', id], nodeId: id, severity: 'warning', message: `position for node "${id}", which flow "${flow.id}" does not have${hint}; remove it, or save the flow in the designer once to rewrite the layout` });
    }
  }
  if (flow && basename(fileName) !== `${flow.id}${LAYOUT_FILE_SUFFIX}`) {
    checked.problems.push({ path: [], nodeId: null, severity: 'warning', message: `layout file "${basename(fileName)}" does not belong to flow "${flow.id}"` });
  }
  return { layout, problems: locate(source, checked.problems) };
}

/** The canonical text of a layout: positions sorted by node id. */
export function serializeLayout(layout: Layout): string {
  return toCanonicalText(LayoutSchema, layout, LAYOUT_HEADER);
}

/** `rules/flows/<id>.flow.yaml` → `<id>.layout.yaml` next to it. */
export function layoutFileFor(flowFile: string): string {
  return flowFile.endsWith(FLOW_FILE_SUFFIX) ? flowFile.slice(0, -FLOW_FILE_SUFFIX.length) + LAYOUT_FILE_SUFFIX : flowFile + LAYOUT_FILE_SUFFIX;
}
