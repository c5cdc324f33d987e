import type { EnrollmentUpdate } from '../core/engine/ports.js';
import { encodeList } from './columns.js';
import { placeholders, type SqlOp } from './sql-batch.js';

/**
 * A batch's enrollment updates on SQLite, set-based where the batch moves many enrollments to the
 * same new state. A stepping batch moves its enrollments together: in bench/engine all 1,000 of a
 * batch land on `wait-1d` (day 1) or exit at `done` (day 2), differing only in their A/B arm and
 * group label — 2 to 4 distinct states a batch. Those go as ONE `UPDATE … WHERE id IN (…)` per
 * state (and chunk of ids), the rest as a cached single-row `UPDATE … WHERE id = ?`.
 *
 * Measured in isolation (100,000 enrollments, batches of 1,000 in 2 states, CPU time): 6.3–8.0 µs
 * a row one statement per row against 4.0–4.6 µs grouped. A multi-row `UPDATE … FROM (VALUES …)`
 * (~4 µs against ~3 µs single-row, third wave) and `FROM json_each(?)` (8.7–11.2 µs) cost more:
 * what is saved is better-sqlite3's per-statement bind/step/reset, not SQLite's row work, so only
 * identical states share a statement.
 *
 * The id lists are padded (with their last id, a no-op in an IN list) to a power of two from
 * MIN_GROUP to MAX_IN, so a handful of statement texts are prepared once and reused.
 */

/** Below this many enrollments a state keeps single-row updates (no list to build and pad). */
export const MIN_GROUP = 16;
/** Largest id list of one statement (SQLite's default limit is 32,766 parameters). */
export const MAX_IN = 512;

const SET = `node_id = ?, status = ?, node_entered_at = ?, wake_at = ?, step_count = ?, arm = ?, waiting_for = ?, exit_reason = ?,
             group_label = COALESCE(?, group_label), updated_at = ?`;
const SINGLE = `UPDATE enrollments SET ${SET} WHERE id = ?`;

const groupSql = new Map<number, string>();
function inListSql(n: number): string {
  let sql = groupSql.get(n);
  if (sql === undefined) groupSql.set(n, (sql = `UPDATE enrollments SET ${SET} WHERE id IN (${placeholders(n)})`));
  return sql;
}

/** The new state an update writes, as one string (nulls marked apart from any text). */
/**
 * Equal keys for equal new states only: every text is length-prefixed and a missing one is `-`, so
 * no value (a marketer's group label, whatever characters it holds) can run into the next field
 * or pass for a missing one.
 */
function stateKey(u: EnrollmentUpdate, waitingFor: string | null): string {
  const s = (v: string | null | undefined) => (v === null || v === undefined ? '-' : `${v.length}:${v}`);
  return `${s(u.nodeId)}${s(u.status)}${u.nodeEnteredAt},${u.wakeAt},${u.stepCount},${s(u.arm)}${s(waitingFor)}${s(u.exitReason)}${s(u.groupLabel)}`;
}

function stateParams(u: EnrollmentUpdate, waitingFor: string | null, now: number): unknown[] {
  return [u.nodeId, u.status, u.nodeEnteredAt, u.wakeAt, u.stepCount, u.arm, waitingFor, u.exitReason, u.groupLabel ?? null, now];
}

/** A text field of two states: equal exactly when stateKey writes the same for both (nullish alike). */
const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? null) === (b ?? null);
/** A number field of two states: equal exactly when its text in stateKey is the same (NaN like NaN). */
const sameNumber = (a: number | null, b: number | null) => a === b || (a !== a && b !== b);

/** Whether an update moves to the same new state as a group's first: what equal stateKeys say, without building them. */
function sameState(g: Group, u: EnrollmentUpdate, waitingFor: string | null): boolean {
  const f = g.first;
  return (
    sameText(f.nodeId, u.nodeId) &&
    sameText(f.status, u.status) &&
    sameNumber(f.nodeEnteredAt, u.nodeEnteredAt) &&
    sameNumber(f.wakeAt, u.wakeAt) &&
    sameNumber(f.stepCount, u.stepCount) &&
    sameText(f.arm, u.arm) &&
    sameText(g.waitingFor, waitingFor) &&
    sameText(f.exitReason, u.exitReason) &&
    sameText(f.groupLabel, u.groupLabel)
  );
}

interface Group {
  first: EnrollmentUpdate;
  waitingFor: string | null;
  ids: number[];
}

/**
 * Groups compared field by field before any key is built: a batch has 2 to 4 states, and a key
 * string per update (200,000 in bench/engine) was most of this function's cost and allocations.
 * Past FEW_STATES groups the rest are found by their key, as before.
 */
const FEW_STATES = 8;

export function sqliteEnrollmentUpdateOps(updates: EnrollmentUpdate[], now: number): SqlOp[] {
  const few: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const u of updates) {
    const waitingFor = u.waitingFor ? encodeList(u.waitingFor) : null;
    let g = few.find((x) => sameState(x, u, waitingFor));
    if (!g && few.length >= FEW_STATES) {
      const key = stateKey(u, waitingFor);
      g = byKey.get(key);
      if (!g) byKey.set(key, (g = { first: u, waitingFor, ids: [] }));
    } else if (!g) few.push((g = { first: u, waitingFor, ids: [] }));
    g.ids.push(u.id);
  }
  const ops: SqlOp[] = [];
  for (const { first, waitingFor, ids } of [...few, ...byKey.values()]) {
    const state = stateParams(first, waitingFor, now);
    if (ids.length < MIN_GROUP) {
      for (const id of ids) ops.push({ sql: SINGLE, params: [...state, id] });
      continue;
    }
    for (let i = 0; i < ids.length; i += MAX_IN) {
      const chunk = ids.slice(i, i + MAX_IN);
      let n = MIN_GROUP;
      while (n < chunk.length) n *= 2;
      const params = state.concat(chunk);
      for (let k = chunk.length; k < n; k++) params.push(chunk[chunk.length - 1]);
      ops.push({ sql: inListSql(n), params });
    }
  }
  return ops;
}
