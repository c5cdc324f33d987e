import { basename, extname } from 'node:path';
import { isNode, LineCounter, parseDocument, stringify, type Document } from 'yaml';
import { yamlValue } from '../yaml-value.js';
import { factDefinition, FACTS } from '../facts/catalogue.js';
import { OPERATORS, operatorSpec } from './operators.js';
import { closestName } from '../text/closest-name.js';
import { readRulesFile } from '../text/rules-file-text.js';
import { yamlSyntaxWords } from '../text/yaml-syntax-words.js';

/**
 * A segment rule file (`rules/segments/<name>.yaml`, `.json` accepted): one named rule whose
 * `conditions` are json-rules-engine conditions. Loading checks every fact and operator against
 * the catalogue, normalises values (ISO dates → epoch ms), and reports each problem with the
 * file, the line and the path inside the file (`conditions.all[2].fact`).
 */
export type ConditionNode =
  | { all: ConditionNode[] }
  | { any: ConditionNode[] }
  | { not: ConditionNode }
  | { condition: string }
  | LeafCondition;

export interface LeafCondition {
  fact: string;
  operator: string;
  value: unknown;
}

export interface RuleReference {
  name: string;
  path: string;
  line?: number;
}

export interface RuleDefinition {
  name: string;
  /** The segment's name in the marketer's words (Chinese), shown by the designer instead of the id. */
  title?: string;
  /** What the rule selects, in a sentence for the marketer. */
  description?: string;
  conditions: ConditionNode;
  /** Where it came from (file path, or e.g. "(request body)"). */
  source: string;
  /** Other rules named by `{condition: …}`, with their place for error messages. */
  references: RuleReference[];
}

export interface RuleProblem {
  source: string;
  path: string;
  line?: number;
  message: string;
}

export class RuleFileError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/**
 * `rules/segments/x.yaml:4: conditions.all[0].fact: unknown fact …`; a problem of the file as a whole
 * (not a mapping, "conditions" missing) has no field to name and reads `rules/segments/x.yaml:1: missing "conditions"`.
 */
export function formatProblem(p: RuleProblem): string {
  return `${p.source}${p.line ? `:${p.line}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export const RULE_NAME = /^[a-z0-9][a-z0-9-]*$/;
export const RULE_EXTENSIONS = ['.yaml', '.yml', '.json'];

type Seg = string | number;
/** A place inside a rules text as segment files and flow conditions both say it: `conditions.all[0].fact`. */
export const pathText = (segs: Seg[]): string => segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Ctx {
  source: string;
  problems: RuleProblem[];
  references: RuleReference[];
  line(segs: Seg[]): number | undefined;
}

function problem(ctx: Ctx, segs: Seg[], message: string) {
  ctx.problems.push({ source: ctx.source, path: pathText(segs), line: ctx.line(segs), message });
}

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
/** Deeper nesting or wider all/any lists than this are mistakes (or attacks), not rules. */
export const MAX_CONDITION_DEPTH = 24;
export const MAX_CONDITIONS_PER_LIST = 500;

/** Checks one condition node; returns the normalised node (or null when it is wrong). */
function checkNode(raw: unknown, segs: Seg[], ctx: Ctx, depth = 1): ConditionNode | null {
  if (depth > MAX_CONDITION_DEPTH) {
    problem(ctx, segs, `conditions nested deeper than ${MAX_CONDITION_DEPTH} levels; split the rule into named rules ({condition: <rule>})`);
    return null;
  }
  if (!isObject(raw)) {
    problem(ctx, segs, `expected a condition ({all|any|not: …}, {condition: <rule>} or {fact, operator, value}), got ${(JSON.stringify(raw) ?? String(raw)).slice(0, 80)}`);
    return null;
  }
  const bools = BOOLEAN_KEYS.filter((k) => k in raw);
  if (bools.length > 1) {
    problem(ctx, segs, `a condition has exactly one of all/any/not, found ${bools.join(' and ')}`);
    return null;
  }
  if (bools.length === 1) {
    const k = bools[0];
    for (const extra of Object.keys(raw).filter((x) => x !== k)) problem(ctx, [...segs, extra], `unexpected key "${extra}" beside "${k}"`);
    const sub = raw[k];
    if (k === 'not') {
      const n = checkNode(sub, [...segs, k], ctx, depth + 1);
      return n && { not: n };
    }
    if (!Array.isArray(sub)) {
      problem(ctx, [...segs, k], `"${k}" must be a list of conditions`);
      return null;
    }
    if (sub.length > MAX_CONDITIONS_PER_LIST) {
      problem(ctx, [...segs, k], `"${k}" holds ${sub.length} conditions; at most ${MAX_CONDITIONS_PER_LIST}`);
      return null;
    }
    const kids = sub.map((c, i) => checkNode(c, [...segs, k, i], ctx, depth + 1));
    return kids.every((x) => x !== null) ? ({ [k]: kids } as ConditionNode) : null;
  }
  if ('condition' in raw) {
    for (const extra of Object.keys(raw).filter((x) => x !== 'condition')) problem(ctx, [...segs, extra], `unexpected key "${extra}" beside "condition"`);
    const name = raw.condition;
    if (typeof name !== 'string' || !RULE_NAME.test(name)) {
      problem(ctx, [...segs, 'condition'], `expected the name of another rule, got ${JSON.stringify(name)}`);
      return null;
    }
    ctx.references.push({ name, path: pathText([...segs, 'condition']), line: ctx.line([...segs, 'condition']) });
    return { condition: name };
  }
  return checkLeaf(raw, segs, ctx);
}

function checkLeaf(raw: Record<string, unknown>, segs: Seg[], ctx: Ctx): LeafCondition | null {
  let good = true;
  for (const extra of Object.keys(raw).filter((x) => !['fact', 'operator', 'value'].includes(x))) {
    // `path`/`params` would let a rule reach into values through an expression; facts are flat.
    problem(ctx, [...segs, extra], `unexpected key "${extra}" (a condition is {fact, operator, value})`);
    good = false;
  }
  for (const k of ['fact', 'operator', 'value']) {
    if (!(k in raw)) {
      problem(ctx, segs, `missing "${k}"`);
      good = false;
    }
  }
  if (!good) return null;
  const fact = typeof raw.fact === 'string' ? factDefinition(raw.fact) : undefined;
  if (!fact) {
    // The hint goes last: the designer reads the fact's name up to " (known:" (server-problem-words.ts).
    const near = typeof raw.fact === 'string' ? closestName(raw.fact, FACTS.map((f) => f.name)) : null;
    problem(ctx, [...segs, 'fact'], `unknown fact ${JSON.stringify(raw.fact)} (known: ${FACTS.map((f) => f.name).join(', ')})${near ? `: did you mean "${near}"?` : ''}`);
    return null;
  }
  const op = typeof raw.operator === 'string' ? operatorSpec(raw.operator) : undefined;
  if (!op) {
    const near = typeof raw.operator === 'string' ? closestName(raw.operator, OPERATORS.map((o) => o.name)) : null;
    problem(ctx, [...segs, 'operator'], `unknown operator ${JSON.stringify(raw.operator)} (known: ${OPERATORS.map((o) => o.name).join(', ')})${near ? `: did you mean "${near}"?` : ''}`);
    return null;
  }
  if (!op.factTypes.includes(fact.type)) {
    const fits = OPERATORS.filter((o) => o.factTypes.includes(fact.type)).map((o) => o.name);
    problem(ctx, [...segs, 'operator'], `operator ${op.name} does not apply to ${fact.name} (a ${fact.type} fact; use one of ${fits.join(', ')})`);
    return null;
  }
  const checked = op.check(raw.value, fact);
  if (!checked.ok) {
    problem(ctx, [...segs, 'value'], checked.message);
    return null;
  }
  return { fact: fact.name, operator: op.name, value: checked.value };
}

function lineLookup(doc: Document | null, lc: LineCounter | null, prefix: Seg[]) {
  return (segs: Seg[]): number | undefined => {
    if (!doc || !lc) return undefined;
    // The node at the path, or the nearest ancestor that exists (e.g. a missing "value").
    for (let n = segs.length; n >= 0; n--) {
      const node = doc.getIn([...prefix, ...segs.slice(0, n)], true);
      if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

/** Checks an already-parsed conditions object (e.g. a request body); paths start at `conditions`. */
export function checkConditions(raw: unknown, source: string, line: (segs: Seg[]) => number | undefined = () => undefined) {
  const ctx: Ctx = { source, problems: [], references: [], line };
  const conditions = checkRoot(raw, ctx);
  if (ctx.problems.length) throw new RuleFileError(ctx.problems);
  return { conditions: conditions!, references: ctx.references };
}

function checkRoot(raw: unknown, ctx: Ctx): ConditionNode | null {
  const segs: Seg[] = ['conditions'];
  if (!isObject(raw) || !(['all', 'any', 'not', 'condition'] as const).some((k) => k in raw)) {
    problem(ctx, segs, 'the top of "conditions" must be one of all, any, not or condition');
    return null;
  }
  return checkNode(raw, segs, ctx);
}

/**
 * A rule file from disk (`source`: how problems name it). A file that is not UTF-8 is a RuleFileError
 * like any other mistake in it, so loaders set it aside as broken and name it (rule-set.ts).
 * `shown`: the file in the message's conversion command, where `source` is not how the user sees it.
 */
export function readRuleFile(file: string, source: string = file, shown: string = source): RuleDefinition {
  return parseRuleFile(readRulesFile(file, shown, (e) => new RuleFileError([{ source, path: '', line: e.line, message: e.reason }])), source);
}

/** Parses and checks a rule file's text. `file` names it in errors; its base name must equal `name`. */
export function parseRuleFile(text: string, file: string): RuleDefinition {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    // A YAML slip in the words flow files get (a tab, a full-width colon, a key indented too far).
    const slip = extname(file) === '.json' ? { line: lc.linePos(e.pos[0]).line, message: e.message.split('\n')[0] } : yamlSyntaxWords(e, text, (offset) => lc.linePos(offset).line);
    throw new RuleFileError([{ source: file, path: '', line: slip.line, message: `not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${slip.message}` }]);
  }
  const v = yamlValue(doc);
  if ('error' in v) throw new RuleFileError([{ source: file, path: '', line: 1, message: v.error }]);
  const raw = v.value;
  const ctx: Ctx = { source: file, problems: [], references: [], line: lineLookup(doc, lc, []) };
  if (!isObject(raw)) {
    problem(ctx, [], 'a rule file holds {name, title?, description?, conditions}');
    throw new RuleFileError(ctx.problems);
  }
  for (const extra of Object.keys(raw).filter((k) => !['name', 'title', 'description', 'conditions'].includes(k))) problem(ctx, [extra], `unexpected key "${extra}" (a rule file holds name, title, description, conditions)`);
  const expected = basename(file, extname(file));
  if (typeof raw.name !== 'string' || !RULE_NAME.test(raw.name)) {
    problem(ctx, ['name'], `expected a rule name of lower-case letters, digits and dashes, got ${JSON.stringify(raw.name)}`);
  } else if (raw.name !== expected) {
    problem(ctx, ['name'], `the name "${raw.name}" must equal the file name "${expected}"`);
  }
  // A title the designer cannot show as words (a number, a list) is caught here, not on screen.
  if (raw.title !== undefined && (typeof raw.title !== 'string' || !raw.title.trim())) problem(ctx, ['title'], `expected the segment's name in words (text), got ${JSON.stringify(raw.title)}`);
  else if (typeof raw.title === 'string' && raw.title.length > 200) problem(ctx, ['title'], `at most 200 characters, got ${raw.title.length}`);
  if (raw.description !== undefined && typeof raw.description !== 'string') problem(ctx, ['description'], 'expected text');
  const conditions = 'conditions' in raw ? checkRoot(raw.conditions, ctx) : (problem(ctx, [], 'missing "conditions"'), null);
  if (ctx.problems.length) throw new RuleFileError(ctx.problems);
  return { name: raw.name as string, title: (raw.title as string | undefined)?.trim(), description: raw.description as string | undefined, conditions: conditions!, source: file, references: ctx.references };
}

/**
 * The one canonical text of a rule file (what `rules/segments/*.yaml` look like): name, title,
 * description, conditions, in that order, as YAML. The designer's "save as segment" writes it.
 */
export function ruleFileText(rule: { name: string; title?: string; description?: string; conditions: unknown }): string {
  const body: Record<string, unknown> = { name: rule.name };
  if (rule.title) body.title = rule.title;
  if (rule.description) body.description = rule.description;
  body.conditions = rule.conditions;
  return stringify(body, { lineWidth: 100 });
}
