import type { DataSource, EntityManager } from 'typeorm';

/**
 * How many of the newest events are read for their types. The log has no index on the type alone
 * (bench: millions of events), and the designer asks on every validation: the newest events are
 * read by id, so the cost is bounded and a shop's own events show up as soon as it sends them.
 * A custom event not sent within this many events is only warned about (flow/event-checks.ts).
 */
export const RECENT_EVENTS_READ = 50_000;

/** The event types in the newest part of the shop's event log, sorted. */
export async function seenEventTypes(db: DataSource | EntityManager): Promise<string[]> {
  const rows: { type: string }[] = await db.query(`SELECT DISTINCT type FROM (SELECT type FROM customer_events ORDER BY id DESC LIMIT ${RECENT_EVENTS_READ}) recent ORDER BY type`);
  return rows.map((r) => String(r.type));
}
