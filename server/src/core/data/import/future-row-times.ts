import { futureOccurredAtIssue, futureOrderTimeIssue, MAX_EVENT_LEAD_MS } from '../event-time-window.js';
import type { EventInput, OrderInput } from '../model.js';
import type { RowIssue } from './row-mapper.js';

/**
 * An imported order's createdAt and paidAt more than 1 day ahead of `now` (the import's clock), as
 * the row's issues, or null: the rule of `POST /api/orders` (event-time-window.ts) for every order
 * row of an import (CSV, NDJSON, and the Taobao and CDNOW files that go through it). An order
 * stamped years ahead gave its customer a lastUnpaidAt years away and sat ahead of every event.
 */
export function futureOrderTimeIssues(order: OrderInput, now: number): RowIssue[] | null {
  // Every row of a million-row import comes here: a row in time allocates nothing.
  const latest = now + MAX_EVENT_LEAD_MS;
  if ((order.createdAt == null || order.createdAt <= latest) && (order.paidAt == null || order.paidAt <= latest)) return null;
  const issues: RowIssue[] = [];
  for (const [field, at] of [['createdAt', order.createdAt], ['paidAt', order.paidAt]] as const) {
    const message = at == null ? null : futureOrderTimeIssue(at, now);
    if (message) issues.push({ field, message });
  }
  return issues.length > 0 ? issues : null;
}

/**
 * An imported event's occurredAt more than 1 day ahead of `now`, as the row's issue, or null: the
 * rule of `POST /api/events` for every event row of an import (CSV, NDJSON). An event stamped years
 * ahead sat in the engine's future forever: ahead of every read of "recent" events, waking the
 * waits it answers only when that time came.
 */
export function futureEventTimeIssues(event: EventInput, now: number): RowIssue[] | null {
  // futureOccurredAtIssue answers null without allocating: a row in time allocates nothing here either.
  const message = futureOccurredAtIssue(event.occurredAt, now);
  return message === null ? null : [{ field: 'occurredAt', message }];
}
