import type { EntityManager } from 'typeorm';
import type { StoredCustomerEvent } from '../core/data/event-listener.js';
import { copyUnlessConflict, PG_COPY_MIN_ROWS } from './pg-copy-insert.js';
import { pgArrayLiteral, preparedStatement, toPgPlaceholders } from './sql-batch.js';
import { isSqlite, rawSqlite } from './write-transaction.js';

/**
 * The customer event log: every event is stored once per (client, idempotency key), and each
 * newly stored event gets an `event_inbox` row in the same transaction. The inbox row is the
 * promise that the journey engine will act on the event: the engine deletes it in the
 * transaction that writes the enrollments and wake-ups the event causes (persistence/event-inbox.ts).
 *
 * Namespaces: `clientId` '' is the system's own (order events `order:<id>:<type>`, clicks); API
 * clients and imported event files use theirs (`DEFAULT_CLIENT` until tokens name the client).
 * A client can therefore never claim a key the system will use later.
 */
export const SYSTEM_CLIENT = '';
export const DEFAULT_CLIENT = 'default';

export interface NewCustomerEvent {
  customerId: number;
  type: string;
  /** Required unless `propertiesJson` is given. */
  properties?: Record<string, unknown>;
  /**
   * The properties' JSON text when the caller has it already (the events API serialises them for
   * its size check, or gets the text from its parser thread): stored as is instead of serialising
   * `properties` again.
   */
  propertiesJson?: string;
  occurredAt: number;
  idempotencyKey: string;
  /** Key namespace; default SYSTEM_CLIENT. */
  clientId?: string;
}

/** Per input: stored now, already stored with the same content, or the key names a different event. */
export type RecordOutcome = 'inserted' | 'duplicate' | 'conflict';

export interface RecordResult {
  /** Events stored for the first time (in input order). */
  inserted: StoredCustomerEvent[];
  /** Inputs whose key was already stored (or repeated earlier in the call) with the same content. */
  duplicates: number;
  /** Inputs whose key was already used by a different event (client namespaces only). */
  conflicts: { index: number; idempotencyKey: string }[];
  outcomes: RecordOutcome[];
  /** Per input, the id of the stored event the key names (null for a conflict). */
  ids: (number | null)[];
}

const CHUNK = 500;
/** PostgreSQL: events (or keys) per set-based statement. */
const PG_EVENT_ROWS = 10_000;

/**
 * The events as arrays, stored unless their (client, key) is, and each stored one queued in the
 * inbox, in one statement; answers the stored ones. Parameters: received_at, the six columns, received_at.
 */
const PG_RECORD_EVENTS = `WITH stored AS (
    INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, client_id, received_at)
    SELECT v.customer_id, v.type, v.properties, v.occurred_at, v.idempotency_key, v.client_id, ?::bigint
      FROM unnest(?::int[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[]) AS v(customer_id, type, properties, occurred_at, idempotency_key, client_id)
    ON CONFLICT (client_id, idempotency_key) DO NOTHING
    RETURNING id, client_id, idempotency_key),
  queued AS (INSERT INTO event_inbox (event_id, received_at) SELECT id, ?::bigint FROM stored)
  SELECT id, client_id, idempotency_key FROM stored`;

/**
 * Rows a multi-row insert of SQLite events takes, largest first: a call's events go in by
 * statements of 64 rows, the rest by 16, 4 and 1 (a few statements, each prepared once).
 */
const MANY_ROWS = [64, 16, 4];
const rowMarks = (n: number) => Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');

/** JSON with sorted object keys, so `{a,b}` and `{b,a}` compare equal. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

interface Content {
  customerId: number;
  type: string;
  occurredAt: number;
  properties: string;
}

const contentOf = (e: NewCustomerEvent): Content => ({ customerId: e.customerId, type: e.type, occurredAt: e.occurredAt, properties: stableJson(propertiesOf(e)) });
const propertiesOf = (e: NewCustomerEvent): Record<string, unknown> => e.properties ?? (e.propertiesJson !== undefined ? (JSON.parse(e.propertiesJson) as Record<string, unknown>) : {});
const propertiesText = (e: NewCustomerEvent): string => e.propertiesJson ?? JSON.stringify(e.properties ?? {});

/**
 * A stored event that came with its properties as text only (parsed in the events API's parser
 * thread): they are parsed here if and when a listener reads them (the engine's listener only
 * nudges the intake, which reads the stored rows).
 */
class StoredFromText implements StoredCustomerEvent {
  private parsed?: Record<string, unknown>;
  constructor(
    readonly id: number,
    readonly customerId: number,
    readonly type: string,
    private readonly propertiesJson: string,
    readonly occurredAt: number,
    readonly idempotencyKey: string,
    readonly receivedAt: number,
  ) {}
  get properties(): Record<string, unknown> {
    return (this.parsed ??= JSON.parse(this.propertiesJson) as Record<string, unknown>);
  }
  toJSON(): StoredCustomerEvent {
    return { id: this.id, customerId: this.customerId, type: this.type, properties: this.properties, occurredAt: this.occurredAt, idempotencyKey: this.idempotencyKey, receivedAt: this.receivedAt };
  }
}

const stored = (id: number, e: NewCustomerEvent, now: number): StoredCustomerEvent =>
  e.properties === undefined && e.propertiesJson !== undefined
    ? new StoredFromText(id, e.customerId, e.type, e.propertiesJson, e.occurredAt, e.idempotencyKey, now)
    : { id, customerId: e.customerId, type: e.type, properties: e.properties ?? {}, occurredAt: e.occurredAt, idempotencyKey: e.idempotencyKey, receivedAt: now };
const sameContent = (a: Content, b: Content) => a.customerId === b.customerId && a.type === b.type && a.occurredAt === b.occurredAt && a.properties === b.properties;
/**
 * Per client namespace, per key. Two levels rather than one map of `client + NUL + key` strings:
 * a joined string is a new string each time, hashed again on every lookup (three a recorded
 * event: a visible share of the request thread under batches), while the keys parsed from the
 * request keep their hash once computed.
 */
class Slots<V> {
  private readonly byClient = new Map<string, Map<string, V>>();
  get(clientId: string, key: string): V | undefined {
    return this.byClient.get(clientId)?.get(key);
  }
  set(clientId: string, key: string, v: V): void {
    let m = this.byClient.get(clientId);
    if (!m) this.byClient.set(clientId, (m = new Map()));
    m.set(key, v);
  }
}

function q(m: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return m.query(m.connection.options.type === 'postgres' ? toPgPlaceholders(sql) : sql, params);
}

const STORED_BY_KEY = 'SELECT id, customer_id, type, occurred_at, properties FROM customer_events WHERE client_id = ? AND idempotency_key = ?';

/** A stored event's content for the comparison (a row of `existing`'s or STORED_BY_KEY's columns). */
function storedContent(r: Record<string, unknown>): Content {
  const props = typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties;
  return { customerId: Number(r.customer_id), type: String(r.type), occurredAt: Number(r.occurred_at), properties: stableJson(props ?? {}) };
}

/** The keys that occur more than once in `keys`, each once. */
function repeated(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const k of keys) (seen.has(k) ? twice : seen).add(k);
  return [...twice];
}

/**
 * PostgreSQL, inside a transaction, PG_COPY_MIN_ROWS events or more: the events by COPY with ids
 * drawn from their sequence (as their default would), then their inbox rows by COPY; each input
 * gets its `id`. False, with nothing written, when COPY does not apply or a key was stored already.
 */
async function copyEvents(m: EntityManager, chunk: { e: NewCustomerEvent; id?: number }[], now: number): Promise<boolean> {
  if (chunk.length < PG_COPY_MIN_ROWS || !m.queryRunner?.isTransactionActive) return false;
  const ids: { id: string | number }[] = await m.query(`SELECT nextval(pg_get_serial_sequence('customer_events', 'id')) AS id FROM generate_series(1, $1)`, [chunk.length]);
  const rows = chunk.map(({ e }, j) => [Number(ids[j].id), e.customerId, e.type, propertiesText(e), e.occurredAt, e.idempotencyKey, e.clientId ?? SYSTEM_CLIENT, now]);
  if (!(await copyUnlessConflict(m, { table: 'customer_events', columns: ['id', 'customer_id', 'type', 'properties', 'occurred_at', 'idempotency_key', 'client_id', 'received_at'], rows }))) return false;
  // New ids: nothing to conflict with.
  if (!(await copyUnlessConflict(m, { table: 'event_inbox', columns: ['event_id', 'received_at'], rows: rows.map((r) => [r[0], now]) }, 0))) throw new Error('event_inbox: the stored events could not be queued by COPY');
  chunk.forEach((x, j) => (x.id = rows[j][0] as number));
  return true;
}

/** Stored events of one client by key, with their content for the comparison. */
async function existing(m: EntityManager, clientId: string, keys: string[]): Promise<Map<string, { id: number; content: Content }>> {
  const out = new Map<string, { id: number; content: Content }>();
  const pg = m.connection.options.type === 'postgres';
  for (let i = 0; i < keys.length; i += pg ? PG_EVENT_ROWS : CHUNK) {
    const chunk = keys.slice(i, i + (pg ? PG_EVENT_ROWS : CHUNK));
    // PostgreSQL: the keys as one array.
    const rows = pg
      ? await q(m, 'SELECT id, idempotency_key, customer_id, type, occurred_at, properties FROM customer_events WHERE client_id = ? AND idempotency_key = ANY(?::text[])', [clientId, pgArrayLiteral(chunk)])
      : await q(m, `SELECT id, idempotency_key, customer_id, type, occurred_at, properties FROM customer_events WHERE client_id = ? AND idempotency_key IN (${chunk.map(() => '?').join(', ')})`, [clientId, ...chunk]);
    for (const r of rows) out.set(String(r.idempotency_key), { id: Number(r.id), content: storedContent(r) });
  }
  return out;
}

/**
 * Stores events once per (client, key) inside the caller's transaction and queues each new one
 * in the inbox. `INSERT … ON CONFLICT DO NOTHING RETURNING` keeps a concurrent delivery of the
 * same key (another PostgreSQL connection) from failing the batch.
 */
export async function recordEvents(m: EntityManager, events: readonly NewCustomerEvent[], now: number, opts: { allOrNothing?: boolean } = {}): Promise<RecordResult> {
  const result: RecordResult = { inserted: [], duplicates: 0, conflicts: [], outcomes: [], ids: [] };
  if (events.length === 0) return result;
  const byClient = new Map<string, string[]>();
  for (const e of events) {
    const c = e.clientId ?? SYSTEM_CLIENT;
    const list = byClient.get(c) ?? [];
    list.push(e.idempotencyKey);
    byClient.set(c, list);
  }
  // `content` is computed only when a key repeats in a client namespace (stable JSON of every
  // event's properties was a visible share of a bulk import).
  const known = new Slots<{ id: number | null; content?: Content; e?: NewCustomerEvent }>();
  // The system's keys are not looked up first: a repeat of one is a duplicate whatever its
  // content (below), which the insert's ON CONFLICT DO NOTHING finds out by itself; the ids of
  // such duplicates are looked up afterwards. A bulk import of orders thus probes the key index
  // once per order event instead of twice. Client keys need the stored content to tell a
  // duplicate from a conflict before anything is written (allOrNothing).
  //
  // A request of the events API (allOrNothing) on SQLite inside its transaction does not look its
  // keys up first either (a second probe of the key index for each event, ~4% of the request
  // thread under batches): a key already stored makes its insert change nothing, and only then is
  // the stored event read and compared — the same verdicts, found by the insert. A conflict undoes
  // the call's inserts (below). Keys repeated within the call are still looked up first, so that
  // each of their repeats is compared with the stored event, as before.
  const sqlite = isSqlite(m.connection);
  const byInsert = sqlite && opts.allOrNothing === true && rawSqlite(m.connection).inTransaction;
  for (const [clientId, keys] of byClient) if (clientId !== SYSTEM_CLIENT) for (const [k, v] of await existing(m, clientId, byInsert ? repeated(keys) : [...new Set(keys)])) known.set(clientId, k, v);

  const fresh: { index: number; e: NewCustomerEvent }[] = [];
  events.forEach((e, index) => {
    const clientId = e.clientId ?? SYSTEM_CLIENT;
    const prev = known.get(clientId, e.idempotencyKey);
    if (!prev) {
      known.set(clientId, e.idempotencyKey, { id: null, e });
      fresh.push({ index, e });
      result.outcomes.push('inserted');
    } else if (clientId === SYSTEM_CLIENT || sameContent((prev.content ??= contentOf(prev.e!)), contentOf(e))) {
      // The system's keys name a state change (order o-1 was paid): a repeat is that change again.
      result.outcomes.push('duplicate');
    } else {
      result.outcomes.push('conflict');
      result.conflicts.push({ index, idempotencyKey: e.idempotencyKey });
    }
  });

  if (opts.allOrNothing && !byInsert && result.conflicts.length > 0) {
    // One request is one promise: a key naming a different event refuses all of it.
    return { ...result, ids: events.map(() => null) };
  }
  const cols = 'customer_id, type, properties, occurred_at, idempotency_key, client_id, received_at';
  if (sqlite) {
    // SQLite: cached single-row statements on the raw handle (inside the caller's transaction;
    // TypeORM's SQLite driver has one connection): a bulk import records an event per order.
    const db = rawSqlite(m.connection);
    // `run` and the new rowid rather than `RETURNING id`: SQLite buffers a RETURNING row.
    const insert = preparedStatement(db, `INSERT INTO customer_events (${cols}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, idempotency_key) DO NOTHING`);
    // Inside a transaction the rows this loop inserts are the only ones in their id range (the
    // connection holds SQLite's one write lock from its first insert to the commit, and ids only
    // grow), so their inbox rows are one statement for the range instead of one per event.
    const inTransaction = db.inTransaction;
    const queue = preparedStatement(db, 'INSERT INTO event_inbox (event_id, received_at) VALUES (?, ?)');
    let first = 0;
    let last = 0;
    let undone = false;
    /** An input found stored before its insert: a duplicate, or (a client key of an events request) a conflict. */
    const storedBefore = (index: number, e: NewCustomerEvent, clientId: string, row?: Record<string, unknown>) => {
      if (byInsert && clientId !== SYSTEM_CLIENT) {
        // Stored before: the same event (a duplicate) or another one (a conflict), as `existing` would have said.
        row ??= preparedStatement(db, STORED_BY_KEY).get(clientId, e.idempotencyKey) as Record<string, unknown>;
        const was = storedContent(row);
        if (sameContent(was, contentOf(e))) {
          known.get(clientId, e.idempotencyKey)!.id = Number(row.id);
          result.outcomes[index] = 'duplicate';
        } else {
          result.outcomes[index] = 'conflict';
          result.conflicts.push({ index, idempotencyKey: e.idempotencyKey });
        }
        return;
      }
      result.outcomes[index] = 'duplicate';
    };
    const accepted = (e: NewCustomerEvent, clientId: string, id: number) => {
      known.get(clientId, e.idempotencyKey)!.id = id;
      if (!inTransaction) queue.run(id, now);
      else if (first === 0) first = id;
      last = id;
      result.inserted.push(stored(id, e, now));
    };
    try {
      let at = 0;
      if (inTransaction && fresh.length >= MANY_ROWS[MANY_ROWS.length - 1]) {
        // Inside a transaction, rows go in by multi-row statements (see MANY_ROWS): one statement's
        // bookkeeping (its start, AUTOINCREMENT's read and write of sqlite_sequence, the call from
        // JS) for many events. Their ids: with every row of a statement inserted, they are the
        // statement's last rowid and those just below it, in the order of its VALUES (rowids are
        // handed out one by one as the rows go in, and the write lock is held). When some row of it
        // was stored before (ON CONFLICT DO NOTHING skipped it, yet the skip may have used up a
        // rowid), each of its rows is read back by key: an id above the highest before the
        // statement is one it inserted, any other was stored before (a duplicate or a conflict, as
        // for a single-row insert that changed nothing). OR FAIL: a statement that fails keeps the
        // rows it stored before the failing one, so SQLite keeps no statement journal for it (a
        // 64-row statement's journal outgrows memory and goes to a file: twice the system time).
        let high = Number((preparedStatement(db, 'SELECT max(id) AS id FROM customer_events').get() as { id: number | null }).id ?? 0);
        for (const size of MANY_ROWS) {
          if (fresh.length - at < size) continue;
          const st = preparedStatement(db, `INSERT OR FAIL INTO customer_events (${cols}) VALUES ${rowMarks(size)} ON CONFLICT (client_id, idempotency_key) DO NOTHING`);
          const args: unknown[] = new Array(size * 7);
          for (; fresh.length - at >= size; at += size) {
            for (let j = 0, k = 0; j < size; j++) {
              const e = fresh[at + j].e;
              args[k++] = e.customerId;
              args[k++] = e.type;
              args[k++] = propertiesText(e);
              args[k++] = e.occurredAt;
              args[k++] = e.idempotencyKey;
              args[k++] = e.clientId ?? SYSTEM_CLIENT;
              args[k++] = now;
            }
            let r: { changes: number; lastInsertRowid: number | bigint } | null = null;
            let failure: unknown = null;
            try {
              r = st.run(args);
            } catch (err) {
              failure = err;
            }
            if (r !== null && r.changes === size) {
              const lastId = Number(r.lastInsertRowid);
              for (let j = 0; j < size; j++) {
                const e = fresh[at + j].e;
                accepted(e, e.clientId ?? SYSTEM_CLIENT, lastId - size + 1 + j);
              }
              high = Math.max(high, lastId);
              continue;
            }
            // Some row was stored before, or the statement failed: OR FAIL keeps the rows before the
            // failing one and stops there, as a loop of single-row inserts would have, so the rows
            // read back up to the first one not stored are kept (and queued), and that one throws.
            for (let j = 0; j < size; j++) {
              const { index, e } = fresh[at + j];
              const clientId = e.clientId ?? SYSTEM_CLIENT;
              const row = preparedStatement(db, STORED_BY_KEY).get(clientId, e.idempotencyKey) as Record<string, unknown> | undefined;
              if (row === undefined) throw failure ?? new Error(`event "${e.idempotencyKey}" neither stored nor refused`);
              const id = Number(row.id);
              if (id > high) accepted(e, clientId, id);
              else storedBefore(index, e, clientId, row);
            }
            if (failure !== null) throw failure;
            high = Math.max(high, last);
          }
        }
      }
      for (; at < fresh.length; at++) {
        const { index, e } = fresh[at];
        const clientId = e.clientId ?? SYSTEM_CLIENT;
        const r = insert.run(e.customerId, e.type, propertiesText(e), e.occurredAt, e.idempotencyKey, clientId, now);
        if (r.changes === 0) storedBefore(index, e, clientId);
        else accepted(e, clientId, Number(r.lastInsertRowid));
      }
      if (byInsert && result.conflicts.length > 0) {
        // One request is one promise: a key naming a different event refuses all of it. The rows
        // this call stored are exactly those in its id range (the write lock is held, as for the
        // inbox rows below): removed before anything else can see them, never queued.
        if (first !== 0) preparedStatement(db, 'DELETE FROM customer_events WHERE id BETWEEN ? AND ?').run(first, last);
        undone = true;
        result.conflicts.sort((a, b) => a.index - b.index);
        return { ...result, inserted: [], ids: events.map(() => null) };
      }
    } finally {
      // Also when an insert threw part-way: every row stored so far is queued, as one by one.
      if (first !== 0 && !undone) preparedStatement(db, 'INSERT INTO event_inbox (event_id, received_at) SELECT id, ? FROM customer_events WHERE id BETWEEN ? AND ?').run(now, first, last);
    }
  }
  // PostgreSQL: ONE statement per PG_EVENT_ROWS events, their columns as arrays (unnest), that
  // also queues the stored ones in the inbox (a data-modifying CTE): no 3,500-parameter VALUES
  // list and a second statement per 500 events (bench/README.md, twenty-fourth wave, w-pgops).
  for (let i = 0; !sqlite && i < fresh.length; i += PG_EVENT_ROWS) {
    const chunk = fresh.slice(i, i + PG_EVENT_ROWS);
    // A bulk write's new events (an import batch's order events) by COPY, with ids taken from the
    // sequence first, and their inbox rows the same way (pg-copy-insert.ts); a key met again: the statement.
    if (await copyEvents(m, chunk, now)) {
      for (const { e, id } of chunk as { e: NewCustomerEvent; id?: number }[]) {
        known.get(e.clientId ?? SYSTEM_CLIENT, e.idempotencyKey)!.id = id!;
        result.inserted.push(stored(id!, e, now));
      }
      continue;
    }
    const col = (f: (e: NewCustomerEvent) => unknown) => pgArrayLiteral(chunk.map((x) => f(x.e)));
    const rows = await q(m, PG_RECORD_EVENTS, [
      now,
      col((e) => e.customerId),
      col((e) => e.type),
      col(propertiesText),
      col((e) => e.occurredAt),
      col((e) => e.idempotencyKey),
      col((e) => e.clientId ?? SYSTEM_CLIENT),
      now,
    ]);
    const ids = new Slots<number>();
    for (const r of rows) ids.set(String(r.client_id), String(r.idempotency_key), Number(r.id));
    for (const { index, e } of chunk) {
      const id = ids.get(e.clientId ?? SYSTEM_CLIENT, e.idempotencyKey);
      if (id === undefined) {
        // Stored meanwhile by a concurrent transaction: a duplicate of that one.
        result.outcomes[index] = 'duplicate';
        continue;
      }
      known.get(e.clientId ?? SYSTEM_CLIENT, e.idempotencyKey)!.id = id;
      result.inserted.push(stored(id, e, now));
    }
  }
  // Ids of the system keys found already stored (not looked up before the insert).
  const unresolved = new Set<string>();
  events.forEach((e) => {
    const clientId = e.clientId ?? SYSTEM_CLIENT;
    if (clientId === SYSTEM_CLIENT && known.get(clientId, e.idempotencyKey)?.id == null) unresolved.add(e.idempotencyKey);
  });
  if (unresolved.size) for (const [k, v] of await existing(m, SYSTEM_CLIENT, [...unresolved])) known.get(SYSTEM_CLIENT, k)!.id = v.id;
  events.forEach((e, index) => {
    const o = result.outcomes[index];
    if (o === 'duplicate') result.duplicates++;
    result.ids.push(o === 'conflict' ? null : (known.get(e.clientId ?? SYSTEM_CLIENT, e.idempotencyKey)?.id ?? null));
  });
  return result;
}
