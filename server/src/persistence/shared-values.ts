/**
 * A multi-row INSERT's columns whose value is the same in every row of the statement, bound ONCE
 * as a named parameter (`@c<k>`) that every tuple names, instead of once per row (SQLite only).
 *
 * Why: the stepper writes its journey log and sends node group by node group, so a 50-row
 * statement's flow, version, node, instant, channel, category, campaign… repeat row after row.
 * better-sqlite3 binds every string by converting it to UTF-8 and SQLite copies it again
 * (SQLITE_TRANSIENT): measured in isolation, a 50-row, 9-column insert took ~47 µs with four
 * strings a row and ~21 µs with numbers only; with those four bound once ~31 µs. SQLite stores
 * the same values either way (a parameter is a parameter), so the rows are identical.
 *
 * Equal means `Object.is` (so 0 and -0 are never shared, NaN only with NaN). A statement of one
 * row, or without a shared column, goes as before.
 */

/** Columns of one statement's rows: which are shared (bit k = column k), and the statement's parameters. */
export interface SharedValues {
  /** Bit k set: column k has one value in every row, bound once as `@c<k>`. */
  mask: number;
  /** The per-row values of the columns not shared (row by row), then one object of the shared ones. */
  params: unknown[];
}

/** Widest statement this handles (a bit per column; sends has 24 columns); wider ones are left as they are. */
const MAX_COLUMNS = 30;

/**
 * `values` holds `rows` rows of `width` values, row after row. Returns the shared columns and the
 * parameters to bind, or null when nothing is shared (bind `values` as they are).
 */
export function shareEqualColumns(values: readonly unknown[], width: number, rows: number): SharedValues | null {
  if (rows < 2 || width > MAX_COLUMNS) return null;
  let mask = 0;
  let shared = 0;
  for (let c = 0; c < width; c++) {
    const first = values[c];
    let same = true;
    for (let at = c + width; at < rows * width; at += width) {
      if (!Object.is(values[at], first)) {
        same = false;
        break;
      }
    }
    if (same) {
      mask |= 1 << c;
      shared++;
    }
  }
  if (shared === 0) return null;
  const named: Record<string, unknown> = {};
  const params: unknown[] = new Array((width - shared) * rows + 1);
  let k = 0;
  const own: number[] = [];
  for (let c = 0; c < width; c++) {
    if (mask & (1 << c)) named[`c${c}`] = values[c];
    else own.push(c);
  }
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let j = 0; j < own.length; j++) params[k++] = values[base + own[j]];
  }
  params[k] = named;
  return { mask, params };
}

/** One tuple of a statement: `?` for a column of its own, `@c<k>` for a shared one. */
export function sharedTuple(width: number, mask: number): string {
  const parts: string[] = new Array(width);
  for (let c = 0; c < width; c++) parts[c] = mask & (1 << c) ? `@c${c}` : '?';
  return `(${parts.join(', ')})`;
}
