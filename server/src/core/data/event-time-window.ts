/**
 * How far ahead of the server's clock an event sent to `POST /api/events` may be stamped. An event
 * reports something that happened: a time in the future is a client's bug (a wrong year, a zone
 * applied twice, milliseconds where seconds were meant), and stored as-is it would sit in the log
 * ahead of everything, wake journeys whose waits it answers only when that time comes, and make
 * "recent" reads of the log lie. One day covers any shop's clock drift and a wall-clock time read
 * in the wrong zone (at most ±14 h); the absolute span (input-limits.ts, 1990–2100) still applies.
 */
export const MAX_EVENT_LEAD_MS = 24 * 3600_000;

/** The message for an occurredAt too far ahead of `now`, or null when it is fine. */
export function futureOccurredAtIssue(occurredAt: number, now: number): string | null {
  if (occurredAt <= now + MAX_EVENT_LEAD_MS) return null;
  return `more than 1 day ahead of the server clock (${new Date(occurredAt).toISOString()}, server time ${new Date(now).toISOString()}): an event is sent when it has happened; send the time it happened, with its offset`;
}

/**
 * The message for an order time (createdAt, paidAt) of `POST /api/orders` too far ahead of `now`,
 * or null. The same window as events': the order's events (order_created at createdAt, order_paid
 * at paidAt) are journey events, and an order stamped in a later year sat ahead of everything, gave
 * its customer a negative hoursSinceLastUnpaid and a lastUnpaidAt years away.
 */
export function futureOrderTimeIssue(at: number, now: number): string | null {
  if (at <= now + MAX_EVENT_LEAD_MS) return null;
  return `more than 1 day ahead of the server clock (${new Date(at).toISOString()}, server time ${new Date(now).toISOString()}): send the time the order was placed or paid, with its offset`;
}
