import type { Lang } from './i18n.js';
import { problemWords } from './problem-words.js';
import type { DraftFlow, Problem } from './types.js';

/** A problem in words, with its weight: an error blocks publishing, a warning does not. */
export interface FieldProblem {
  words: string;
  severity: Problem['severity'];
  /**
   * The audience (segment) whose file has a mistake, when the problem is the server's "segment X
   * cannot be used": the segment picker says that itself (BrokenAudienceNote), so it leaves this out.
   */
  brokenSegment?: string;
}

/** The server's rule-references.ts problem of an audience whose file (or a file it uses) has a mistake. */
const SEGMENT_CANNOT_BE_USED = /^segment "([^"]+)" cannot be used: /;

/** Problems by the value's place with its indices ("caps.1.id", "trigger.event"): what a form shows beside each field. */
export type FieldProblems = Record<string, FieldProblem[]>;

/**
 * The journey's own problems (not a step's) by the field they are about, in the marketer's words:
 * 旅程设置 shows each beside its field (a journey cap's id that a shop-wide cap already has,
 * beside 上限 ID of that cap), as well as in the Problems panel. Keyed by the value's place with
 * its indices ("caps.1.id"), as the server names it; problems of no field of the settings form
 * (the steps, the whole journey) are left to the panel.
 */
export function flowFieldProblems(lang: Lang, problems: readonly Problem[], flow: DraftFlow): FieldProblems {
  const out: FieldProblems = {};
  for (const p of problems) {
    if (p.nodeId !== null || !p.path || p.path === 'nodes' || p.path.startsWith('nodes.') || p.message.startsWith('local.')) continue;
    (out[p.path] ??= []).push({ words: problemWords(lang, p, flow), severity: p.severity });
  }
  return out;
}

/**
 * Where in a step's form a problem of that step belongs: the server names the value's place in
 * the file ("nodes.3.template", "nodes.1.trigger.match.orderId"), the designer's own checks name
 * it within the step ("duration", "cases.0.conditions", "arms:115" — after the colon, the number
 * its words fill in). Null for a problem of the step as a whole ("nodes.3", a missing step).
 */
export function nodeFieldOf(p: Problem): string | null {
  if (p.message.startsWith('local.')) return p.path.split(':')[0] || null;
  const m = /^nodes\.\d+\.(.+)$/.exec(p.path);
  return m ? m[1] : null;
}

/**
 * One step's problems by the field of its form they are about, in the marketer's words (a send
 * step without 消息内容, a wait whose 等待时长 is no duration): its form shows each beside that
 * field, as well as the Problems panel. The step is found by id, not by the index in the path
 * (the check may have run on the flow before a step above was removed).
 */
export function nodeFieldProblems(lang: Lang, problems: readonly Problem[], flow: DraftFlow, nodeId: string): FieldProblems {
  const out: FieldProblems = {};
  for (const p of problems) {
    if (p.nodeId !== nodeId) continue;
    const at = nodeFieldOf(p);
    const broken = SEGMENT_CANNOT_BE_USED.exec(p.message)?.[1];
    if (at) (out[at] ??= []).push({ words: problemWords(lang, p, flow), severity: p.severity, ...(broken ? { brokenSegment: broken } : {}) });
  }
  return out;
}

/**
 * A segment picker's problems without the one its note already says: the chosen audience's file
 * has a mistake (BrokenAudienceNote under the select names the file's line and field). The server
 * says the same as an error of the field; shown both, the inspector said it twice (the second time
 * with the server's path to the file), below the 就地新建人群 button.
 */
export function withoutBrokenAudienceRepeat(problems: readonly FieldProblem[], value: unknown, broken: { has(name: string): boolean }): FieldProblem[] {
  if (typeof value !== 'string' || !broken.has(value)) return [...problems];
  return problems.filter((p) => p.brokenSegment !== value);
}

/**
 * The problems a field shows: its own, and, for a field drawn as one widget (a text box, the rule
 * builder, an event's match), those of the values inside it ("trigger.match.orderId" under 匹配条件),
 * which have no field of their own. A field made of sub-fields (`deep` false) leaves those to them.
 */
export function problemsAt(all: FieldProblems | undefined, at: string, deep: boolean): FieldProblem[] {
  if (!all) return [];
  const own = all[at] ?? [];
  if (!deep) return own;
  const inside = Object.keys(all)
    .filter((k) => k.startsWith(`${at}.`))
    .flatMap((k) => all[k]);
  return inside.length ? [...own, ...inside] : own;
}

/** The value an output of a step is kept in (its 连接 select): case-2 → cases.2.next, arm-b → arms.<index of b>.next, next → next. */
export function edgeFieldOf(node: Readonly<Record<string, unknown>>, handleId: string): string {
  const c = /^case-(\d+)$/.exec(handleId);
  if (c) return `cases.${c[1]}.next`;
  if (handleId.startsWith('arm-')) {
    const arms = Array.isArray(node.arms) ? (node.arms as { id?: unknown }[]) : [];
    const i = arms.findIndex((a) => `arm-${String(a?.id)}` === handleId);
    return i < 0 ? handleId : `arms.${i}.next`;
  }
  return handleId;
}
