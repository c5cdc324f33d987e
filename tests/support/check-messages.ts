import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The messages the server's checks can give, read from their source: every module the given
 * entry points reach through relative imports (inside server/src/core, plus the entry points
 * themselves), and in each, the literal text of a problem:
 * - `message: …` in an object (problems, zod refinements, issues);
 * - the message argument of `problem(…)`, `add(…)`, `fail(…)` (the checks' own helpers) and
 *   of zod's `.regex(…, msg)` / `.refine(…, msg)`;
 * - what `issueMessage` (flow-file.ts, zod issues in words) returns.
 * A template's `${…}` parts become SAMPLE. Wrappers of another message (`${p.message} (in …)`) are
 * left out: the message they wrap is found where it is made. New checks written like the existing
 * ones are found without touching this file.
 */
export const SAMPLE = '7';
const CALLS = new Set(['problem', 'add', 'fail']);
const ZOD_CALLS = new Set(['regex', 'refine']);

export interface CheckMessage {
  /** Where it is made: file:line. */
  at: string;
  /** The message with each `${…}` replaced by SAMPLE. */
  sample: string;
}

function importsOf(file: string, source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || s.importClause?.isTypeOnly || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const spec = s.moduleSpecifier.text;
    if (spec.startsWith('.')) out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** The text of a literal, or of both sides of `a ? lit : lit`; null for anything computed. */
function literals(node: ts.Node): { text: string; wraps: boolean }[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ text: node.text, wraps: false }];
  if (ts.isTemplateExpression(node)) {
    const wraps = node.templateSpans.some((s) => /\bmessage$/.test(s.expression.getText()));
    return [{ text: node.head.text + node.templateSpans.map((s) => SAMPLE + s.literal.text).join(''), wraps }];
  }
  if (ts.isConditionalExpression(node)) return [...literals(node.whenTrue), ...literals(node.whenFalse)];
  if (ts.isParenthesizedExpression(node)) return literals(node.expression);
  return [];
}

function messagesIn(source: ts.SourceFile, name: string): CheckMessage[] {
  const out: CheckMessage[] = [];
  const take = (node: ts.Node) => {
    for (const l of literals(node)) {
      // Only words make a message (not a bare `${field}: ${issue.message}` joint).
      if (l.wraps || !/[a-z]{3}/i.test(l.text.split(SAMPLE).join(' '))) continue;
      out.push({ at: `${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, sample: l.text });
    }
  };
  let inIssueMessage = false;
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && node.name.getText() === 'message') take(node.initializer);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (ts.isIdentifier(callee) && CALLS.has(called) && node.arguments.length) take(node.arguments[node.arguments.length - 1]);
      if (ts.isPropertyAccessExpression(callee) && ZOD_CALLS.has(called)) node.arguments.slice(1).forEach(take);
    }
    if (inIssueMessage && ts.isReturnStatement(node) && node.expression) take(node.expression);
    if (ts.isFunctionDeclaration(node) && node.name?.text === 'issueMessage') {
      inIssueMessage = true;
      ts.forEachChild(node, visit);
      inIssueMessage = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Every message the checks reachable from `entries` (paths from the repository root) can give. */
export function checkMessages(entries: string[], root = process.cwd()): CheckMessage[] {
  const core = resolve(root, 'server/src/core');
  const seen = new Set<string>();
  const queue = entries.map((e) => resolve(root, e));
  const out: CheckMessage[] = [];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    out.push(...messagesIn(source, relative(root, file)));
    for (const f of importsOf(file, source)) if (f.startsWith(core + '/') && !seen.has(f)) queue.push(f);
  }
  return out;
}

