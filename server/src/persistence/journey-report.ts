import { deliveryErrorSummary } from '../core/channels/delivery-error.js';
import { explainReason } from '../core/policy/explain-reason.js';
import type { ListTitles } from '../core/policy/list-title.js';
import { formatShopTime } from '../core/engine/local-time.js';
import { describeMissedEntry } from '../core/engine/missed-entries.js';
import { customerMissedEntries } from './missed-entry-report.js';
import type { DataSource } from 'typeorm';
import { expandDetail, partKeys } from './journey-details.js';
import { inChunks, placeholders, queryRows } from './sql-batch.js';

/** The stored consent (JSON text or, on PostgreSQL, an object) as channel → given. */
function consentOf(v: unknown): Record<string, boolean> {
  try {
    const c = typeof v === 'string' ? JSON.parse(v) : v;
    return c && typeof c === 'object' ? Object.fromEntries(Object.entries(c as Record<string, unknown>).filter(([, x]) => typeof x === 'boolean')) as Record<string, boolean> : {};
  } catch {
    return {};
  }
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

/** Instants in a missed entry's reason, written as ISO for JSON readers. */
const REASON_TIMES = new Set(['since', 'until', 'firstPublishedAt', 'enteredAt']);

/**
 * A customer's journeys as the log recorded them: each enrollment with its steps (outcome and
 * the facts/conditions behind each decision) and each message with its status and reason; and
 * the events that started no journey in a flow they trigger, with why (missed-entry-report.ts).
 * `timezone` (the shop's) writes the instants in those reasons' words; `listTitles` (read once by the
 * caller: PolicyFile.titledLists) says a send held back by a block list by its title, as the designer
 * and the exports do — an untitled list by its id.
 */
export async function customerJourney(ds: DataSource, customerId: number, timezone = 'UTC', listTitles: ListTitles = {}) {
  const [customer] = await queryRows(ds, 'SELECT id, external_id, name, deleted_at, erased_at, consent FROM customers WHERE id = ?', [customerId]);
  if (!customer) return null;
  const enrollments = await queryRows(ds, 'SELECT * FROM enrollments WHERE customer_id = ? ORDER BY entered_at, id', [customerId]);
  // By the customer's enrollments (ix_enrollments_customer, ix_journey_steps_enrollment): the log has no customer index.
  // A shared detail (a rule's "why") is stored once in journey_details and named by detail_key.
  const steps = await queryRows(
    ds,
    `SELECT s.id, s.enrollment_id, s.node_id, s.at, s.outcome, s.detail, d.detail AS shared_detail
       FROM journey_steps s LEFT JOIN journey_details d ON d.key = s.detail_key
      WHERE s.enrollment_id IN (SELECT id FROM enrollments WHERE customer_id = ?) ORDER BY s.at, s.id`,
    [customerId],
  );
  // A stored shared detail may name parts of its own (journey-details.ts: a switch case's rule
  // explanation): read them and put each entry back together, as it was logged. Only shared
  // details are stored that way; a row's own detail is read as it is.
  const inline = steps.map((s) => (s.detail ? (JSON.parse(String(s.detail)) as unknown) : null));
  const shared = steps.map((s) => (s.detail === null && s.shared_detail ? (JSON.parse(String(s.shared_detail)) as unknown) : null));
  const keys = new Set<string>();
  for (const d of shared) partKeys(d, keys);
  const partRows = await inChunks([...keys], (chunk) => queryRows(ds, `SELECT key, detail FROM journey_details WHERE key IN (${placeholders(chunk.length)})`, chunk));
  const parts = new Map(partRows.map((r) => [String(r.key), JSON.parse(String(r.detail)) as Record<string, unknown>]));
  const details = new Map(steps.map((s, i) => [s, inline[i] ?? (shared[i] !== null && parts.size > 0 ? expandDetail(shared[i], parts) : shared[i])]));
  const sends = await queryRows(ds, 'SELECT * FROM sends WHERE customer_id = ? ORDER BY scheduled_at, id', [customerId]);
  const missed = await customerMissedEntries(ds, customerId, enrollments);
  const sendOfStep = pairStepsWithSends(steps, sends);
  // What the customer did with each message (clicked it, used its coupon) and the event that
  // ended a journey (the paid order of an exitOn goal): without them the path stops at "queued".
  const coupons = new Map((await queryRows(ds, 'SELECT code, send_key, amount, redeemed_at, redeemed_order, voided FROM coupons WHERE customer_id = ?', [customerId])).map((c) => [String(c.send_key), c]));
  const eventIds = [...new Set([...details.values()].map((d) => eventIdOf(d)).filter((id): id is number => id !== null))];
  const eventRows = await inChunks(eventIds, (chunk) => queryRows(ds, `SELECT id, type, properties, occurred_at FROM customer_events WHERE customer_id = ? AND id IN (${placeholders(chunk.length)})`, [customerId, ...chunk]));
  const endedBy = new Map(eventRows.map((r) => [Number(r.id), endingEvent(r)]));
  const couponOf = (sd: Record<string, unknown>) => {
    const c = coupons.get(String(sd.idempotency_key));
    return c ? { code: String(c.code), amount: Number(c.amount), status: c.redeemed_at !== null && c.redeemed_at !== undefined ? 'used' : c.voided ? 'voided' : 'issued', usedAt: iso(c.redeemed_at), order: (c.redeemed_order as string | null) ?? null } : null;
  };
  return {
    customer: {
      id: Number(customer.id),
      externalId: customer.external_id,
      name: customer.name,
      inRecycleBin: customer.deleted_at !== null,
      // When their personal data was erased (PIPL): their name reads empty for that reason, not for want of one.
      erasedAt: customer.erased_at === null || customer.erased_at === undefined ? null : iso(customer.erased_at),
      // Today's marketing consents (what decides a marketing message sent now). Not those at entry:
      // no history of them is kept, so they are named as now wherever shown.
      consentNow: consentOf(customer.consent),
    },
    journeys: enrollments.map((e) => ({
      enrollmentId: Number(e.id),
      flowId: e.flow_id,
      versionId: Number(e.version_id),
      journeyKey: e.journey_key || null,
      status: e.status,
      currentNode: e.node_id,
      arm: e.arm,
      enteredAt: iso(e.entered_at),
      wakeAt: iso(e.wake_at),
      exitReason: e.exit_reason,
      steps: steps
        .filter((s) => Number(s.enrollment_id) === Number(e.id))
        .map((s) => {
          const eventId = eventIdOf(details.get(s));
          const event = eventId === null ? undefined : endedBy.get(eventId);
          return { at: iso(s.at), node: s.node_id, outcome: s.outcome, detail: details.get(s) ?? null, ...(sendOfStep.has(s) ? { sendId: sendOfStep.get(s) } : {}), ...(event ? { event } : {}) };
        }),
      /** What the customer did with this journey's messages, in time order: clicked a link, used a coupon. */
      answers: journeyAnswers(sends.filter((sd) => Number(sd.enrollment_id) === Number(e.id)), couponOf),
    })),
    sends: sends.map((s) => ({
      id: Number(s.id),
      enrollmentId: s.enrollment_id === null ? null : Number(s.enrollment_id),
      flowId: s.flow_id,
      node: s.node_id,
      channel: s.channel,
      category: s.category,
      status: s.status,
      reason: s.reason,
      /** The held-back reason in words: which cap, quiet hours, given up, no consent… */
      why: explainReason(s.reason as string | null, listTitles),
      /** Why the channel did not deliver it (status failed): the provider's error, summarised. */
      error: s.status === 'failed' ? (deliveryErrorSummary(s.last_error as string | null) ?? 'no error recorded') : null,
      campaign: s.campaign ?? null,
      group: s.group_label ?? null,
      scheduledAt: iso(s.scheduled_at),
      sentAt: iso(s.sent_at),
      body: s.body,
      /** The first click of the message's link. */
      clickedAt: iso(s.clicked_at),
      /** The coupon this message issued (from the ledger: a held-back message issued none), and its use. */
      coupon: couponOf(s),
    })),
    /** Events a flow's trigger names that started no journey, newest first, each with why. */
    missedEntries: missed.entries.map((m) => ({
      flowId: m.flowId,
      version: m.version,
      eventId: m.eventId,
      event: m.event,
      journeyKey: m.journeyKey,
      occurredAt: iso(m.occurredAt),
      receivedAt: iso(m.receivedAt),
      /** When the engine acted on it, the moment its reason is judged at (null: not on record, judged as of its arrival). */
      actedOnAt: iso(m.actedOnAt),
      reason: Object.fromEntries(Object.entries(m.reason).map(([k, v]) => [k, REASON_TIMES.has(k) && typeof v === 'number' ? iso(v) : v])),
      why: describeMissedEntry(m, (ms) => formatShopTime(ms, timezone)),
    })),
    missedEntriesOmitted: missed.omitted,
  };
}

/** Outcomes of a send step that wrote a row to sends (send.executor.ts); a deferred one wrote none yet. */
const WROTE_A_SEND = /^(queued|blocked|skipped|capped)(:|$)/;

/**
 * Each send step's message (its row in sends), so the customer's timeline can say what became of
 * it — the step logs "queued", the row says sent or failed later. A send step writes exactly one
 * row for its enrollment and node, so the n-th such step of an enrollment at a node is the n-th
 * row (by id) of that enrollment and node.
 */
function pairStepsWithSends<S extends Record<string, unknown>>(steps: S[], sends: Record<string, unknown>[]): Map<S, number> {
  const rows = new Map<string, number[]>();
  for (const r of [...sends].sort((a, b) => Number(a.id) - Number(b.id))) {
    if (r.enrollment_id === null || r.enrollment_id === undefined) continue;
    const key = `${Number(r.enrollment_id)}:${String(r.node_id)}`;
    rows.set(key, [...(rows.get(key) ?? []), Number(r.id)]);
  }
  const paired = new Map<S, number>();
  for (const s of steps) {
    if (!WROTE_A_SEND.test(String(s.outcome))) continue;
    const id = rows.get(`${Number(s.enrollment_id)}:${String(s.node_id)}`)?.shift();
    if (id !== undefined) paired.set(s, id);
  }
  return paired;
}

/** The event an exit step names (an exitOn goal's paid order): its type, time, and the order's id and amount. */
function endingEvent(r: Record<string, unknown>): { type: string; at: string | null; orderId: string | null; amount: number | null } {
  let p: Record<string, unknown> = {};
  try {
    p = (typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties ?? {}) as Record<string, unknown>;
  } catch {
    // a broken properties text: the type and time still say what ended the journey
  }
  return { type: String(r.type), at: iso(r.occurred_at), orderId: p.orderId === undefined || p.orderId === null ? null : String(p.orderId), amount: typeof p.amount === 'number' ? p.amount : null };
}

type Answer = { at: string; node: string; sendId: number; kind: 'clicked' } | { at: string; node: string; sendId: number; kind: 'coupon-used'; code: string; amount: number; order: string | null };

/** A journey's clicks and coupon uses, by time. */
function journeyAnswers(sends: Record<string, unknown>[], couponOf: (s: Record<string, unknown>) => { code: string; amount: number; usedAt: string | null; order: string | null } | null): Answer[] {
  const out: Answer[] = [];
  for (const s of sends) {
    const base = { node: String(s.node_id), sendId: Number(s.id) };
    if (s.clicked_at !== null && s.clicked_at !== undefined) out.push({ ...base, at: iso(s.clicked_at)!, kind: 'clicked' });
    const c = couponOf(s);
    if (c?.usedAt) out.push({ ...base, at: c.usedAt, kind: 'coupon-used', code: c.code, amount: c.amount, order: c.order });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The event a step's detail names (`eventId`: an exit on an event, an answer to a wait), if any. */
function eventIdOf(detail: unknown): number | null {
  const v = (detail as { eventId?: unknown } | null)?.eventId;
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
}
