import type { DataSource, EntityManager } from 'typeorm';
import type { SqlReader } from './segment-store.js';

/**
 * How many of the newest events are read for their types. The log has no index on the type alone
 * (bench: millions of events), and the designer asks on every validation: the newest events are
 * read by id, so the cost is bounded and a shop's own events show up as soon as it sends them.
 * A custom event not sent within this many events is only warned about (flow/event-checks.ts).
 */
export const RECENT_EVENTS_READ = 50_000;

const SEEN_TYPES_SQL = `SELECT DISTINCT type FROM (SELECT type FROM customer_events ORDER BY id DESC LIMIT ${RECENT_EVENTS_READ}) recent ORDER BY type`;

/**
 * The event types in the newest part of the shop's event log, sorted. With an available SQL
 * reader (a SQLite file: runtime/sql-reader-thread.ts) the read runs there: it reads 50,000 rows
 * (~50 ms), which on the request thread held every request for that long each time the intake
 * view was polled (GET /api/events/intake, the designer's live view) — during an order feed too.
 */
export async function seenEventTypes(db: DataSource | EntityManager, reader: SqlReader | null = null): Promise<string[]> {
  const rows = (reader?.available ? await reader.all(SEEN_TYPES_SQL, []) : await db.query(SEEN_TYPES_SQL)) as { type: unknown }[];
  return rows.map((r) => String(r.type));
}
