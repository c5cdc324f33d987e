import type { DataSource } from 'typeorm';
import { MS_PER_DAY } from '../core/clock.js';
import type { JourneyEvent } from '../core/engine/ports.js';
import type { EventReplay } from '../core/engine/simulation.js';
import { queryRows } from './sql-batch.js';

const COLUMNS = 'id, customer_id, type, properties, occurred_at';

function toEvent(r: Record<string, unknown>): JourneyEvent {
  return { id: Number(r.id), customerId: Number(r.customer_id), type: String(r.type), properties: typeof r.properties === 'string' ? JSON.parse(r.properties) : (r.properties as Record<string, unknown>), occurredAt: Number(r.occurred_at) };
}

const byTime = (a: JourneyEvent, b: JourneyEvent) => a.occurredAt - b.occurredAt || a.id - b.id;

/**
 * Replays stored customer events by the time they occurred (for `rekindle simulate`).
 *
 * customer_events has no index on occurred_at (the importer writes millions of rows and every
 * index costs it), so each read of a time range scans the table. A simulation asks for one hour
 * at a time, so the reads go ahead and the hours are answered from memory:
 *
 * - One scan takes the next `maxEvents` events after the asked time, however far ahead they lie
 *   (`ORDER BY … LIMIT`: SQLite's sorter keeps only that many rows). A shop simulated from its
 *   last data has few stored events ahead (bench/double11: 536 of 107,831 at 100,000 customers,
 *   all at the first instant), so the whole run is served by ONE scan where reading a day at a
 *   time scanned the whole table once per virtual day (26 scans; at 1,000,000 customers each
 *   read ~1M rows to return none).
 * - Where a day holds more than `maxEvents` (a span of the shop's own past), the reads fall back
 *   to one virtual day (`readAheadMs`) at a time, as before, until a day holds fewer again: the
 *   buffer never holds more than a day's events or `maxEvents`, whichever is larger.
 *
 * Events stored after a read (the simulated delivery's clicks and redemptions, written as the run
 * goes) have higher ids and are read by id range on every call.
 */
export class StoredEventReplay implements EventReplay {
  private ahead: { from: number; to: number; maxId: number; events: JourneyEvent[] } | null = null;
  /** The last read found a day with more than `maxEvents`: read by days until one holds fewer. */
  private dense = false;
  /** Reads that scanned customer_events by time (what the buffer saves; tests and profiling count them). */
  scans = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly readAheadMs = MS_PER_DAY,
    private readonly maxEvents = 50_000,
  ) {}

  /** Fills the buffer with events after `fromExclusive` that cover at least up to `toInclusive`. */
  private async readAhead(fromExclusive: number, toInclusive: number): Promise<NonNullable<StoredEventReplay['ahead']>> {
    const [{ m }] = await queryRows<{ m: number | null }>(this.ds, 'SELECT MAX(id) AS m FROM customer_events');
    const maxId = Number(m ?? 0);
    if (!this.dense) {
      this.scans++;
      const rows = await queryRows(this.ds, `SELECT ${COLUMNS} FROM customer_events WHERE occurred_at > ? AND id <= ? ORDER BY occurred_at, id LIMIT ?`, [fromExclusive, maxId, this.maxEvents]);
      const events = rows.map(toEvent);
      // All of them: the buffer covers every later time. Else up to just before the last row's
      // instant (its other events may lie past the limit).
      if (events.length < this.maxEvents) return { from: fromExclusive, to: Number.MAX_SAFE_INTEGER, maxId, events };
      const to = events[events.length - 1].occurredAt - 1;
      if (to >= Math.max(toInclusive, fromExclusive + this.readAheadMs)) {
        let n = events.length;
        while (n > 0 && events[n - 1].occurredAt > to) n--;
        return { from: fromExclusive, to, maxId, events: events.slice(0, n) };
      }
      this.dense = true; // more than maxEvents within a day: read this one (and the next) by days
    }
    const to = Math.max(toInclusive, fromExclusive + this.readAheadMs);
    this.scans++;
    const rows = await queryRows(this.ds, `SELECT ${COLUMNS} FROM customer_events WHERE occurred_at > ? AND occurred_at <= ? AND id <= ? ORDER BY occurred_at, id`, [fromExclusive, to, maxId]);
    if (rows.length < this.maxEvents) this.dense = false;
    return { from: fromExclusive, to, maxId, events: rows.map(toEvent) };
  }

  async eventsBetween(fromExclusive: number, toInclusive: number): Promise<JourneyEvent[]> {
    let a = this.ahead;
    if (!a || fromExclusive < a.from || toInclusive > a.to) a = this.ahead = await this.readAhead(fromExclusive, toInclusive);
    const out: JourneyEvent[] = [];
    const evs = a.events;
    // The buffer is in time order: binary search for the first event after `fromExclusive`.
    let lo = 0;
    let hi = evs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (evs[mid].occurredAt <= fromExclusive) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < evs.length && evs[i].occurredAt <= toInclusive; i++) out.push(evs[i]);
    const late = await queryRows(this.ds, `SELECT ${COLUMNS} FROM customer_events WHERE id > ? AND occurred_at > ? AND occurred_at <= ?`, [a.maxId, fromExclusive, toInclusive]);
    if (late.length === 0) return out;
    return [...out, ...late.map(toEvent)].sort(byTime);
  }
}
