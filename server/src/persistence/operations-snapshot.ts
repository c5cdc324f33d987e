import type { DataSource } from 'typeorm';
import { queryRows } from './sql-batch.js';

/**
 * The shop's operational state as the database holds it, read when /metrics is scraped or
 * readiness is probed. Read from the tables rather than counted in memory, so the figures are
 * the same whichever process (server or worker) did the work, and survive restarts.
 */
export interface OperationsSnapshot {
  /** Messages by channel and status (queued, sending, sent, failed, blocked, skipped). */
  sends: { channel: string; status: string; reason: string | null; count: number }[];
  /** Journeys whose wake-up time has passed (in active flows): the stepping backlog. */
  dueJourneys: number;
  oldestDueJourneyAt: number | null;
  /** Outbox rows queued and due now, and the oldest due time among them. */
  outboxDue: number;
  oldestOutboxDueAt: number | null;
  /** Stored events the engine has not acted on yet (the durable event inbox), and the oldest one's arrival. */
  inboxPending: number;
  oldestInboxAt: number | null;
}

/** Outbox rows the dispatcher would claim now (same condition as SqlOutboxStore's claim), and since when each is due. */
const OUTBOX_DUE = `status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND scheduled_at <= ?`;
const DUE_SINCE = `CASE WHEN next_attempt_at IS NOT NULL AND next_attempt_at > scheduled_at THEN next_attempt_at ELSE scheduled_at END`;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function readOperationsSnapshot(ds: DataSource, now: number): Promise<OperationsSnapshot> {
  // Reasons are read only for held-back messages; a blocked row's reason names the policy rule.
  const sends = await queryRows(
    ds,
    `SELECT channel, status, CASE WHEN status IN ('blocked', 'skipped') THEN reason ELSE NULL END AS reason, COUNT(*) AS n
       FROM sends GROUP BY channel, status, CASE WHEN status IN ('blocked', 'skipped') THEN reason ELSE NULL END`,
  );
  const [due] = await queryRows(
    ds,
    `SELECT COUNT(*) AS n, MIN(e.wake_at) AS oldest FROM enrollments e
      WHERE e.status = 'active' AND e.wake_at <= ? AND e.flow_id IN (SELECT id FROM flows WHERE status = 'active')`,
    [now],
  );
  const [outbox] = await queryRows(ds, `SELECT COUNT(*) AS n, MIN(${DUE_SINCE}) AS oldest FROM sends WHERE ${OUTBOX_DUE}`, [now, now]);
  const [inbox] = await queryRows(ds, `SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM event_inbox`);
  return {
    sends: sends.map((r) => ({ channel: String(r.channel), status: String(r.status), reason: r.reason === null ? null : String(r.reason), count: Number(r.n) })),
    dueJourneys: Number(due?.n ?? 0),
    oldestDueJourneyAt: num(due?.oldest),
    outboxDue: Number(outbox?.n ?? 0),
    oldestOutboxDueAt: num(outbox?.oldest),
    inboxPending: Number(inbox?.n ?? 0),
    oldestInboxAt: num(inbox?.oldest),
  };
}

/** Oldest due outbox row only (readiness: is the outbox draining?). */
export async function oldestOutboxDueAt(ds: DataSource, now: number): Promise<number | null> {
  const [r] = await queryRows(ds, `SELECT MIN(${DUE_SINCE}) AS oldest FROM sends WHERE ${OUTBOX_DUE}`, [now, now]);
  return num(r?.oldest);
}
