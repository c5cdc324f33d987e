/**
 * What changed between two versions of a text file, in one short line: the changed lines' span
 * and the first changed line before → after. `rekindle audit` printed a policy change as its
 * before and after cut at 80 characters — both inside rules/policy.yaml's unchanged header
 * comment, so the two looked the same and the line never said what changed.
 *
 * The span is what lies between the longest common run of leading lines and of trailing lines
 * (not a minimal diff: a line moved far away shows as a long span, which is still true).
 */
export function textChange(before: string, after: string): string {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  if (head === a.length && head === b.length) return 'no change';
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  const span = Math.max(removed.length, added.length);
  const where = span === 1 ? `line ${head + 1}` : `lines ${head + 1}–${head + span}`;
  const cut = (s: string | undefined) => (s === undefined ? '(none)' : JSON.stringify(s.trim().length > 60 ? `${s.trim().slice(0, 57)}...` : s.trim()));
  return `${where} changed: ${cut(removed[0])} → ${cut(added[0])}${span > 1 ? ` (+${span - 1} more)` : ''}`;
}
