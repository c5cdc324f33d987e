import { Parser } from 'yaml';
import type { FlowProblem } from './problems.js';

/** The editor's schema line (`# yaml-language-server: $schema=…`): the canonical writer puts it back itself. */
const SCHEMA_LINE = /^#\s*yaml-language-server:/;

/**
 * Comments in a flow file, which the designer's next publish drops: it writes the whole file in
 * canonical form (flow-file.ts serializeFlow), and that form keeps no comments (docs/flows.md,
 * "Canonical form"). A developer's notes in a hand-written flow vanished from git on the first
 * publish from the designer without a word; `rekindle validate` now says so while they can still
 * be moved into `description` fields, which every writer keeps. One warning a file, on the first
 * comment's line, naming the others. Read from the YAML parser's tokens, so a `#` inside a
 * quoted or block text is not taken for a comment.
 */
export function checkDroppedComments(text: string): FlowProblem[] {
  const lines: number[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const seen = new Set<unknown>();
  const walk = (t: unknown): void => {
    if (t === null || typeof t !== 'object' || seen.has(t)) return;
    seen.add(t);
    const token = t as { type?: unknown; source?: unknown; offset?: unknown };
    if (token.type === 'comment' && typeof token.source === 'string' && typeof token.offset === 'number') {
      if (!SCHEMA_LINE.test(token.source)) lines.push(lineOf(token.offset));
      return;
    }
    for (const v of Object.values(t)) walk(v);
  };
  for (const token of new Parser().parse(text)) walk(token);
  if (!lines.length) return [];
  const unique = [...new Set(lines)].sort((a, b) => a - b);
  const where = unique.length === 1 ? 'a comment line here' : `${unique.length} comment lines (here and on line${unique.length > 2 ? 's' : ''} ${unique.slice(1).join(', ')})`;
  return [
    {
      line: unique[0],
      nodeId: null,
      path: '',
      message: `${where} will be dropped the next time this flow is published from the designer, which writes the file in canonical form without comments: put the notes in the flow's or the step's description, which are kept`,
      severity: 'warning',
    },
  ];
}
