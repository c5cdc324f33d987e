import type { DataSource } from 'typeorm';
import { ERASED_TEXT, erasedProperties } from '../core/data/erased-properties.js';
import { num, rows } from './outbox-sql.js';
import { writeTransaction } from './write-transaction.js';

export type EraseResult =
  /** `again`: the customer had been erased before (at erasedAt); texts stored since are blanked now. */
  | { kind: 'erased'; externalId: string; erasedAt: number; again: boolean; sends: number; events: number }
  | { kind: 'not-found' }
  | { kind: 'not-in-bin' };

/** Events read and rewritten this many at a time (a loyal customer may have thousands). */
const EVENT_PAGE = 500;

/**
 * Erases a customer's personal data at their request (PIPL 删除权), in ONE write transaction
 * with its audit entry: either all of it is gone and the entry says who did it, or nothing changed.
 *
 * Only a customer already in the recycle bin is erased, so a slip cannot erase a live one; an
 * erased customer stays in the bin for good (restore refuses it) and keeps its external id, the
 * key that refuses a re-import of the same person (upsertCustomers). Erasing again is allowed
 * and blanks what arrived since (events sent by the API for the id are still accepted).
 *
 * Kept so every figure adds up as before: the rows of sends, events, orders, coupons and journeys,
 * with their ids, times, statuses, amounts and costs. Gone: name, phone, e-mail, WeChat id, city,
 * tags, consent and attributes of the customer; subject, body, link and error text of every
 * message to them; the free text of their events (see erasedProperties).
 *
 * A message still queued is never delivered: the dispatcher blocks sends of a customer in the
 * bin (and this one has no address left), voiding its coupon as for any blocked send.
 */
export async function eraseCustomer(ds: DataSource, externalId: string, o: { now: number; actor: string }): Promise<EraseResult> {
  return writeTransaction(ds, async (m) => {
    const q = <T = Record<string, unknown>>(sql: string, params: unknown[]) => rows<T>(ds, m, sql, params);
    const [c] = await q<{ id: number | string; deleted_at: unknown; erased_at: unknown }>('SELECT id, deleted_at, erased_at FROM customers WHERE external_id = ?', [externalId]);
    if (!c) return { kind: 'not-found' };
    if (c.deleted_at === null || c.deleted_at === undefined) return { kind: 'not-in-bin' };
    const id = num(c.id);
    const before = c.erased_at === null || c.erased_at === undefined ? null : num(c.erased_at);

    await q(
      `UPDATE customers SET name = NULL, phone = NULL, email = NULL, wechat_id = NULL, city = NULL, tags = '[]', consent = '{}', attributes = '{}', erased_at = ?, updated_at = ? WHERE id = ?`,
      [before ?? o.now, o.now, id],
    );
    const sends = await q(
      `UPDATE sends SET body = ?,
         subject = CASE WHEN subject IS NULL THEN NULL ELSE ? END,
         link_url = CASE WHEN link_url IS NULL THEN NULL ELSE ? END,
         last_error = CASE WHEN last_error IS NULL THEN NULL ELSE ? END
       WHERE customer_id = ? RETURNING id`,
      [ERASED_TEXT, ERASED_TEXT, ERASED_TEXT, ERASED_TEXT, id],
    );

    let events = 0;
    for (let after = 0; ; ) {
      const page = await q<{ id: number | string; properties: unknown }>(`SELECT id, properties FROM customer_events WHERE customer_id = ? AND id > ? ORDER BY id LIMIT ${EVENT_PAGE}`, [id, after]);
      if (page.length === 0) break;
      for (const e of page) {
        const parsed = parseProperties(e.properties);
        const next = parsed === null ? {} : erasedProperties(parsed);
        if (next === null) continue;
        await q('UPDATE customer_events SET properties = ? WHERE id = ?', [JSON.stringify(next), num(e.id)]);
        events++;
      }
      after = num(page[page.length - 1].id);
    }

    // Who erased which customer and when; never what was erased.
    await q('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)', [o.now, o.actor.slice(0, 160), 'customer-erased', `customer:${externalId}`.slice(0, 256), JSON.stringify({ sends: sends.length, events, ...(before !== null ? { again: true } : {}) })]);
    return { kind: 'erased', externalId, erasedAt: before ?? o.now, again: before !== null, sends: sends.length, events };
  });
}

/** Null for a text that is not a JSON object: it is replaced whole (it may hold anything). */
function parseProperties(v: unknown): Record<string, unknown> | null {
  try {
    const p = typeof v === 'string' ? JSON.parse(v) : v;
    return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
