import type { DataSource } from 'typeorm';
import type { EventReplay } from '../core/engine/simulation.js';
import { queryRows } from './sql-batch.js';

/** Replays stored customer events by the time they occurred (for `rekindle simulate`). */
export class StoredEventReplay implements EventReplay {
  constructor(private readonly ds: DataSource) {}

  async eventsBetween(fromExclusive: number, toInclusive: number) {
    const rows = await queryRows(this.ds, 'SELECT id, customer_id, type, properties, occurred_at FROM customer_events WHERE occurred_at > ? AND occurred_at <= ? ORDER BY occurred_at, id', [fromExclusive, toInclusive]);
    return rows.map((r) => ({ id: Number(r.id), customerId: Number(r.customer_id), type: String(r.type), properties: typeof r.properties === 'string' ? JSON.parse(r.properties) : (r.properties as Record<string, unknown>), occurredAt: Number(r.occurred_at) }));
  }
}
