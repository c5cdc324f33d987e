/**
 * What changed between the live version and a draft: node by node (what a marketer reads first;
 * the server's shared comparison, core/flow/journey-changes.ts, which also decides whether the
 * editor says 有未发布的修改) and line by line side by side (the canonical YAML, what a reviewer reads).
 */
export { hasChanges, nodeChanges, sameJourney, type NodeChanges } from '../../../server/src/core/flow/journey-changes.js';

export interface DiffRow {
  kind: 'same' | 'removed' | 'added' | 'changed';
  left: string | null;
  right: string | null;
}

/** Side-by-side rows of a line diff (longest common subsequence); a removal next to an addition is one changed row. */
export function sideBySide(leftText: string, rightText: string): DiffRow[] {
  const a = leftText.split('\n');
  const b = rightText.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const raw: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      raw.push({ kind: 'same', left: a[i++], right: b[j++] });
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      raw.push({ kind: 'added', left: null, right: b[j++] });
    } else {
      raw.push({ kind: 'removed', left: a[i++], right: null });
    }
  }
  // Pair the removals and additions of each run of differing lines side by side.
  const out: DiffRow[] = [];
  for (let k = 0; k < raw.length; ) {
    if (raw[k].kind === 'same') {
      out.push(raw[k++]);
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (k < raw.length && raw[k].kind !== 'same') {
      if (raw[k].kind === 'removed') removed.push(raw[k].left!);
      else added.push(raw[k].right!);
      k++;
    }
    for (let x = 0; x < Math.max(removed.length, added.length); x++) {
      const l = removed[x] ?? null;
      const r = added[x] ?? null;
      out.push({ kind: l !== null && r !== null ? 'changed' : l !== null ? 'removed' : 'added', left: l, right: r });
    }
  }
  return out;
}
