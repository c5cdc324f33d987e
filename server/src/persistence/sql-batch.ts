import type { DataSource } from 'typeorm';
import { isSqlite, rawSqlite, sqliteWriteBatch, writeTransaction, type RawSqlite } from './write-transaction.js';
import type { PgCopyRows } from './pg-copy.js';
import { sharedTuple, shareEqualColumns } from './shared-values.js';

/** One statement with `?` placeholders. */
export interface SqlOp {
  sql: string;
  params: unknown[];
  /**
   * PostgreSQL, inside a batch transaction (BatchUnit): the same insert WITHOUT its
   * `ON CONFLICT … DO NOTHING`, run first. A unique violation from it rolls the whole batch back
   * and BatchUnit runs the batch again with `sql` (see BatchUnit.run); otherwise it stored exactly
   * the rows `sql` would have.
   */
  optimisticSql?: string;
  /**
   * PostgreSQL, inside a batch transaction (BatchUnit): the rows the plain insert (`optimisticSql`,
   * or `sql` itself when the op has none: an insert without ON CONFLICT) stores, to be sent as
   * `COPY … FROM STDIN` instead (pg-copy.ts: the backend's CPU for the rows −35 to −47%). Whenever
   * BatchUnit would run that plain insert, it copies these rows; the ON CONFLICT `sql` of an
   * optimistic op (a batch's second run) stays a statement. Outside a BatchUnit `sql` runs as before.
   */
  copy?: PgCopyRows;
}

/**
 * Many rows into one table as multi-row INSERT statements (up to 50 rows each): one statement
 * per row costs a JS→SQLite round trip and a bind each; a multi-row statement amortises both.
 */
export interface InsertManyOp {
  table: string;
  columns: string[];
  rows: unknown[][];
  /** e.g. "ON CONFLICT (idempotency_key) DO NOTHING" */
  suffix?: string;
}

const ROWS_PER_STATEMENT = 50;

const insertSqlCache = new Map<string, string>();

/** `shared`: the columns bound once for the whole statement (shared-values.ts), none by default. */
function insertSql(op: Omit<InsertManyOp, 'rows'>, rows: number, shared = 0): string {
  const key = `${op.table}|${op.columns.join(',')}|${rows}|${op.suffix ?? ''}|${shared}`;
  let sql = insertSqlCache.get(key);
  if (sql === undefined) {
    const tuple = shared === 0 ? `(${op.columns.map(() => '?').join(', ')})` : sharedTuple(op.columns.length, shared);
    sql = `INSERT INTO ${op.table} (${op.columns.join(', ')}) VALUES ${new Array(rows).fill(tuple).join(', ')}${op.suffix ? ` ${op.suffix}` : ''}`;
    insertSqlCache.set(key, sql); // few distinct keys: tables × chunk sizes 1..50 × the sets of shared columns a table's rows have
  }
  return sql;
}

/** Expands insert-many ops into plain statements (chunks of equal size share one prepared statement). */
export function insertManyOps(op: InsertManyOp): SqlOp[] {
  const out: SqlOp[] = [];
  for (let i = 0; i < op.rows.length; i += ROWS_PER_STATEMENT) {
    const rows = op.rows.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    for (const r of rows) for (const v of r) params.push(v);
    out.push({ sql: insertSql(op, rows.length), params });
  }
  return out;
}

/**
 * insertManyOps for rows written straight into each statement's parameter list: `write(params, at, i)`
 * puts row `i`'s `columns.length` values at `params[at…]`. No array per row and no list of every
 * value of the batch copied again into the statements' (the stepper writes its journey log and
 * sends this way on SQLite: hundreds of thousands of rows a campaign). A column with one value in
 * every row of a statement is bound once for the statement (shared-values.ts); the rows stored
 * are the same. SQLite only: the parameters end with an object of named values.
 */
export function insertWrittenOps(op: Omit<InsertManyOp, 'rows'>, count: number, write: (params: unknown[], at: number, i: number) => void): SqlOp[] {
  const width = op.columns.length;
  const out: SqlOp[] = [];
  for (let i = 0; i < count; i += ROWS_PER_STATEMENT) {
    const n = Math.min(ROWS_PER_STATEMENT, count - i);
    const params: unknown[] = new Array(n * width);
    for (let r = 0; r < n; r++) write(params, r * width, i + r);
    const shared = shareEqualColumns(params, width, n);
    out.push(shared ? { sql: insertSql(op, n, shared.mask), params: shared.params } : { sql: insertSql(op, n), params });
  }
  return out;
}

/** PostgreSQL element types of the columns of an unnest insert/update (`int`, `bigint`, `text`, `float8`). */
export type PgTypes = readonly string[];

/**
 * Many rows into one table as ONE PostgreSQL statement: `INSERT … SELECT * FROM unnest(?::t1[], ?::t2[] …)`,
 * one array parameter per column. No parameter limit, one parse and one round trip for any
 * number of rows (a multi-row VALUES needs 50-row chunks and a statement text per chunk size).
 */
export function pgUnnestInsert(op: InsertManyOp, types: PgTypes, opts: { optimistic?: boolean } = {}): SqlOp[] {
  if (op.rows.length === 0) return [];
  const plain = `INSERT INTO ${op.table} (${op.columns.join(', ')}) SELECT * FROM unnest(${types.map((t) => `?::${t}[]`).join(', ')})`;
  // `optimistic`: for inserts whose conflicts are a rare safety net (a send's idempotency key, a
  // split's assignment: the batch's customer locks and re-read already keep them out), the plain
  // insert is tried first. ON CONFLICT DO NOTHING makes PostgreSQL insert every row speculatively
  // (probe the unique index, take and release a speculative-insertion lock, write a confirm WAL
  // record); measured on a bench/workers batch: split_assignments' insert 6.4–6.8 → 3.2–3.9 ms of
  // backend CPU, the sends insert 15.4–16.1 → 13.2–13.9 (bench/README.md, nineteenth wave).
  const sql = op.suffix ? `${plain} ${op.suffix}` : plain;
  const optimistic = opts.optimistic === true && op.suffix !== undefined;
  // A plain insert's rows may go by COPY inside a batch (SqlOp.copy); an insert that must keep its
  // ON CONFLICT (a shared journey detail) cannot. The array parameters are written only when a
  // statement runs them (`params` on first read): a batch that copies its rows never needs them.
  const copy = !op.suffix || optimistic ? { table: op.table, columns: op.columns, rows: op.rows } : undefined;
  let params: unknown[] | undefined;
  const width = op.columns.length;
  return [
    {
      sql,
      get params(): unknown[] {
        return (params ??= transpose(op.rows, width));
      },
      ...(optimistic ? { optimisticSql: plain } : {}),
      ...(copy ? { copy } : {}),
    },
  ];
}

/**
 * Many rows updated by id as ONE PostgreSQL statement: `UPDATE t SET … FROM unnest(…) AS v(…) WHERE t.id = v.id`.
 * `set` maps each column (after the first, the key) to its SQL, e.g. `group_label = COALESCE(v.group_label, t.group_label)`;
 * its own `?` parameters are `setParams`.
 */
export function pgUnnestUpdate(table: string, columns: string[], types: PgTypes, rows: unknown[][], set: string, setParams: unknown[] = []): SqlOp[] {
  if (rows.length === 0) return [];
  const cols = transpose(rows, columns.length);
  const key = columns[0];
  return [
    {
      // `t.key = ANY(keys)` besides the join: PostgreSQL knows the unnest's row count (1,000) and,
      // joining on `t.key = v.key` alone, chose a hash join over a sequential scan of the WHOLE
      // table (EXPLAIN: 54 ms for 1,000 of 20,000 enrollments, growing with the table); with the
      // array it reads just those rows by the key's index (39 ms, whatever the table's size).
      sql: `UPDATE ${table} AS t SET ${set} FROM unnest(${types.map((ty) => `?::${ty}[]`).join(', ')}) AS v(${columns.join(', ')}) WHERE t.${key} = v.${key} AND t.${key} = ANY(?::${types[0]}[])`,
      params: [...setParams, ...cols, cols[0]], // SET's own parameters come first in the text
    },
  ];
}

/** The rows' columns, each as one PostgreSQL array literal (pgArrayLiteral). */
function transpose(rows: unknown[][], width: number): unknown[] {
  const cols: unknown[] = new Array(width);
  const col: unknown[] = new Array(rows.length);
  for (let c = 0; c < width; c++) {
    for (let r = 0; r < rows.length; r++) col[r] = rows[r][c];
    cols[c] = pgArrayLiteral(col);
  }
  return cols;
}

/**
 * A one-dimensional array parameter as PostgreSQL's array text (`{1,2,NULL,"a b"}`), written
 * here instead of by node-postgres. node-postgres quotes every element and runs two regular
 * expressions over each (`prepareValue` → `arrayString` → `escapeElement`): in a CPU profile of a
 * `rekindle worker` (bench/workers) that was ~15% of the worker's stepping, for the ~67,000
 * elements of a 1,000-enrollment batch's unnest parameters. Here numbers go in unquoted and a
 * string is escaped only when it holds `"` or `\`. The text is what PostgreSQL parses either
 * way (`?::int[]` etc.), so the values stored are the same. Elements of any other type (a Date, a
 * Buffer, a nested array) leave the array to node-postgres as before.
 */
export function pgArrayLiteral(values: readonly unknown[]): string | unknown[] {
  let s = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += ',';
    const v = values[i];
    if (v === null || v === undefined) s += 'NULL';
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') s += String(v);
    else if (typeof v === 'string') s += v.indexOf('"') < 0 && v.indexOf('\\') < 0 ? `"${v}"` : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    else return [...values];
  }
  return s + '}';
}

/** `?` placeholders → `$1, $2…` for PostgreSQL. Statements here never contain a literal `?`. */
export function toPgPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

const statementCache = new WeakMap<object, Map<string, ReturnType<RawSqlite['prepare']>>>();
/** Statement texts vary with IN-list sizes: the cache starts over rather than grow without bound. */
const MAX_CACHED_STATEMENTS = 2000;

/**
 * A prepared write statement of this connection, prepared once per distinct text (`prepareAs`
 * may rewrite the text it is prepared from; the cache stays keyed by the caller's text).
 */
export function cachedStatement(db: RawSqlite, sql: string, prepareAs: (sql: string) => string = (s) => s): ReturnType<RawSqlite['prepare']> {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) {
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
    cache.set(sql, (st = db.prepare(prepareAs(sql))));
  }
  return st;
}

/**
 * `INSERT INTO …` / `UPDATE t SET …` as `INSERT OR FAIL INTO …` / `UPDATE OR FAIL t SET …`, for
 * statements of an all-or-nothing batch (executeBatch). With SQLite's default conflict action
 * (ABORT), a statement that writes several rows (a 50-row insert, an `UPDATE … WHERE id IN`)
 * inside a transaction must be undoable on its own, so SQLite copies every existing page it
 * changes into a statement journal first, a temporary FILE once it passes 64 KB: in
 * bench/double11 at 100,000 customers 1.8 GB of such copies were written (2.8 GB of writes in
 * all), in bench/engine ~1 GB. A batch never needs that undo: any failing statement throws out
 * of the batch's transaction, which rolls back as a whole (sqliteWriteBatch). FAIL stops the
 * statement with the same error, keeps no journal, and the rollback still takes everything.
 * Statements with their own `OR …` clause, upserts' `ON CONFLICT` targets and other statements
 * are as they were (an upsert's DO NOTHING / DO UPDATE still applies to its constraint).
 */
export function failWithinBatch(sql: string): string {
  return sql.replace(/^(\s*)(INSERT)(\s+INTO\s)/i, '$1$2 OR FAIL$3').replace(/^(\s*)(UPDATE)(\s+(?!OR\s)[A-Za-z_"][\w"]*\s+(?:AS\s+\w+\s+)?SET\s)/i, '$1$2 OR FAIL$3');
}

/** A prepared statement on the raw SQLite handle, cached per connection (fixed SQL texts only). */
export function preparedStatement(db: RawSqlite, sql: string): ReturnType<RawSqlite['prepare']> {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) cache.set(sql, (st = db.prepare(sql)));
  return st;
}

/**
 * Executes a list of write statements atomically. On SQLite they run synchronously on the raw
 * connection with cached prepared statements (about 10x faster than awaited round trips, which is
 * what lets the stepper reach tens of thousands of steps a second); on PostgreSQL they run in one
 * transaction. Returns the number of rows each statement changed.
 */
export async function executeBatch(ds: DataSource, ops: SqlOp[]): Promise<number[]> {
  if (ops.length === 0) return [];
  if (isSqlite(ds)) {
    return sqliteWriteBatch(ds, (db) => ops.map((op) => cachedStatement(db, op.sql, failWithinBatch).run(...op.params).changes));
  }
  return writeTransaction(ds, async (m) => {
    const changes: number[] = [];
    for (const op of ops) {
      // EntityManager.query drops the structured result; the query runner keeps `affected`.
      const r = (await m.queryRunner!.query(toPgPlaceholders(op.sql), op.params, true)) as { affected?: number };
      changes.push(r.affected ?? 0);
    }
    return changes;
  });
}

/** A cached read statement: raw (array) rows turned into plain objects of one fixed shape. */
interface ReadStatement {
  all(...p: unknown[]): unknown[];
}

const readCache = new WeakMap<object, Map<string, ReadStatement>>();

/**
 * Prepares a read. better-sqlite3 builds each object row property by property (dictionary-mode
 * objects: ~2x the cost of the read itself for a 20-column row, plus GC); raw array rows turned
 * into objects by a constructor generated for the statement's columns cost a fraction of that
 * and give every row the same hidden class. Statements that return no data run as they are.
 */
function prepareRead(db: RawSqlite, sql: string): ReadStatement {
  const st = db.prepare(sql) as ReturnType<RawSqlite['prepare']> & { reader?: boolean; raw?(on: boolean): unknown; columns?(): { name: string }[] };
  if (!st.reader || !st.raw || !st.columns) return st;
  const names = st.columns().map((c) => c.name);
  if (names.includes('__proto__')) return st;
  // Repeated names (`SELECT a.*, b.*`): the literal keeps the first position and the last value, as better-sqlite3 does.
  const body = names.map((n, i) => `${JSON.stringify(n)}: a[${i}]`).join(', ');
  const shape = new Function('a', `return { ${body} };`) as (a: unknown[]) => Record<string, unknown>;
  st.raw(true);
  return {
    all(...p: unknown[]) {
      const rows = st.all(...p) as unknown[][];
      const out: unknown[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = shape(rows[i]);
      return out;
    },
  };
}

/**
 * Runs a read query with `?` placeholders on either dialect. On SQLite it uses cached prepared
 * statements on the raw connection (TypeORM prepares every call anew, which dominated the
 * engine's batch reads); reads are synchronous there and never wait for the write queue.
 */
export async function queryRows<T = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  if (!isSqlite(ds)) return ds.query(toPgPlaceholders(sql), params);
  return querySqlite<T>(rawSqlite(ds), sql, params);
}

/** queryRows on the raw SQLite handle, synchronously. */
export function querySqlite<T = Record<string, unknown>>(db: RawSqlite, sql: string, params: unknown[] = []): T[] {
  let cache = readCache.get(db);
  if (!cache) readCache.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) {
    if (cache.size > 500) cache.clear(); // ad-hoc SQL (IN lists of varying length) must not grow it forever
    cache.set(sql, (st = prepareRead(db, sql)));
  }
  if (params.some((p) => typeof p === 'boolean')) params = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  return st.all(...params) as T[];
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}

/** Ids per IN list: stays under SQLite's and PostgreSQL's parameter limits with room to spare. */
export const IN_CHUNK = 900;

/** Runs `fn` over `ids` in IN-list-sized chunks, one after the other, and concatenates the answers. */
export async function inChunks<T, K = number>(ids: K[], fn: (chunk: K[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await fn(ids.slice(i, i + IN_CHUNK))));
  return out;
}
