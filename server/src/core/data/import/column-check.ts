import { ignoredColumns, KNOWN_COLUMNS, REQUIRED_COLUMNS, type ImportKind } from './row-mapper.js';
import { TAOBAO_COLUMNS } from './taobao.js';

/**
 * The CSV header checked before any row is written. A required column that is absent would fail
 * every row (and a misspelt one is the usual cause), so the whole file is refused with the column
 * named; an optional column that looks misspelt is read as "not there" — a warning says so, or a
 * shop would silently keep stale amounts or promotions.
 */
export class ImportColumnError extends Error {}

export interface HeaderCheck {
  /** Set when the file must be refused: names the file and every missing required column. */
  error: string | null;
  /** Ignored columns that look like a known one the header lacks. */
  warnings: string[];
}

/** Lower case without separators: `created_at`, `Created-At` and `createdAt` compare equal. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/** `customer_id` → customer, id; `customerExternalId` → customer, external, id. */
const words = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Edits between two names, a swap of neighbours counting as one (`emial`, `statsu`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * How far a header is from a column name, or null when they do not look alike: the same letters
 * in another spelling (snake case, case), a typo or two, or every word of the header found in the
 * column's name (`customer_id` for `customerExternalId`).
 */
export function columnDistance(header: string, column: string): number | null {
  const h = squash(header);
  const c = squash(column);
  if (h === '' || c === '') return null;
  const d = editDistance(h, c);
  // Two slips only in a longer name that starts alike (`custmr_id`, `cratedAt`), not `count` for `amount`.
  if (d <= 1 || (d === 2 && c.length >= 6 && h[0] === c[0])) return d;
  const hw = words(header);
  const cw = new Set(words(column));
  if (hw.length >= 2 && hw.every((w) => cw.has(w))) return 3;
  return null;
}

function closest(candidates: readonly string[], target: string): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of candidates) {
    const d = columnDistance(name, target);
    if (d !== null && (best === null || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}

/** Checks a CSV header of `kind` read from `file`. */
export function checkHeader(kind: ImportKind, header: readonly string[], file: string): HeaderCheck {
  const ignored = ignoredColumns(kind, header);
  const present = new Set(header);
  const used = new Set<string>();
  const problems: string[] = [];
  for (const column of REQUIRED_COLUMNS[kind]) {
    if (present.has(column)) continue;
    const like = closest(ignored.filter((h) => !used.has(h)), column);
    if (like) used.add(like);
    problems.push(`required column "${column}" is missing${like ? ` (the header has "${like}": did you mean "${column}"?)` : ''}`);
  }
  const warnings: string[] = [];
  const absent = KNOWN_COLUMNS[kind].filter((c) => !present.has(c));
  for (const h of ignored) {
    if (used.has(h)) continue;
    let best: { column: string; d: number } | null = null;
    for (const column of absent) {
      const d = columnDistance(h, column);
      if (d !== null && (best === null || d < best.d)) best = { column, d };
    }
    if (best) warnings.push(`${file}: column "${h}" is not read: did you mean "${best.column}"?`);
  }
  const expected = `expected columns: ${KNOWN_COLUMNS[kind].join(', ')}${kind === 'customers' ? ', attr_<name>' : ''}`;
  // A seller-center export sent to the orders or customers import (the file a Taobao shop has):
  // five "required column is missing" and the English column list said nothing of the importer
  // that reads it as it comes.
  if (problems.length && kind !== 'events' && present.has(TAOBAO_COLUMNS.orderId) && present.has(TAOBAO_COLUMNS.buyer)) {
    return { error: `${file}: this is a Taobao/Tmall seller-center order export (${TAOBAO_COLUMNS.orderId}, ${TAOBAO_COLUMNS.buyer}, …), not Rekindle's ${kind} CSV: import it with \`rekindle import taobao <file>\` or POST /api/import/taobao (the designer's 客户 page for admins), which reads its Chinese columns and creates the buyers and their orders; nothing was imported`, warnings: [] };
  }
  return { error: problems.length ? `${file}: ${problems.join('; ')}; nothing was imported (${expected})` : null, warnings };
}
