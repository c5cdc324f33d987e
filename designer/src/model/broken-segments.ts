/**
 * Segments whose file (or a file they use) has a mistake: GET /api/segments lists them apart as
 * `broken` (server/src/core/rules/rule-set.ts unusable()), so the designer can say why an audience
 * is missing instead of silently leaving it out of the picker.
 */
export interface BrokenSegment {
  name: string;
  file: string;
  /** rule-set.ts brokenCauseText: `its file F:7 has a mistake` / `it uses "x", whose file F:7 has a mistake`. */
  cause: string;
  problems?: readonly { source?: string; line?: number; path?: string; message?: string }[];
}

export type BrokenSegments = ReadonlyMap<string, BrokenSegment>;
export const NO_BROKEN_SEGMENTS: BrokenSegments = new Map();

export const brokenSegmentsByName = (list: readonly BrokenSegment[] | undefined): BrokenSegments => new Map((list ?? []).map((b) => [b.name, b]));

/**
 * Why a broken segment cannot be used, in the interface language: the file at fault's line and
 * field (its first problem), and the segment it goes through when the mistake is in another file.
 * No server path: the file is named by the segment, which is what the marketer picked.
 */
export function brokenSegmentWords(t: (key: string) => string, b: BrokenSegment): string {
  const via = /^it uses "([^"]+)"/.exec(b.cause)?.[1];
  const first = b.problems?.[0];
  const line = first?.line ?? /:(\d+) has a mistake/.exec(b.cause)?.[1] ?? '?';
  // A file that does not parse (a YAML syntax error) has a line but no field: "第 12 行 ?" said nothing.
  const field = first?.path;
  return t(via ? (field ? 'segment.brokenVia' : 'segment.brokenViaAtLine') : field ? 'segment.broken' : 'segment.brokenAtLine')
    .replace('{name}', b.name)
    .replace('{via}', via ?? '')
    .replace('{line}', String(line))
    .replace('{field}', field ?? '');
}

/**
 * The broken segments a step names, each once: an entry's trigger.segment, a condition's rule, a
 * switch case's rule (the places core/flow/rule-references.ts checks).
 */
export function brokenAudiencesOf(step: object, broken: BrokenSegments): BrokenSegment[] {
  if (broken.size === 0) return [];
  const node = step as { rule?: unknown; trigger?: unknown; cases?: unknown };
  const cases = Array.isArray(node.cases) ? node.cases.map((c) => (c as { rule?: unknown } | null)?.rule) : [];
  const named = [(node.trigger as { segment?: unknown } | undefined)?.segment, node.rule, ...cases];
  return [...new Set(named.filter((n): n is string => typeof n === 'string'))].flatMap((n) => broken.get(n) ?? []);
}
