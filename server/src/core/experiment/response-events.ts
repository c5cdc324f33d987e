import { closestName } from '../text/closest-name.js';
import { EVENT_DECLARATIONS_PLACE } from '../flow/event-checks.js';

/**
 * Why a list of response events (`?events=` of response-by-group) cannot be counted, or null when
 * it can. Event names are free text, and counting a mistyped one answered every group "0%" with
 * confidence intervals, as if the message had moved nobody (walked on 6 Dec 2026:
 * `events=bogus_event` answered 200). An event is known when the system records it, the shop
 * declares it or its event log holds it (`known`, flow/event-checks.ts's catalogue).
 * Without the field name: the caller names it (`events:`).
 */
export function responseEventsProblem(events: readonly string[], known: readonly string[]): string | null {
  if (events.length === 0) return 'name at least one event type (e.g. order_paid)';
  const unknown = events.filter((e) => !known.includes(e));
  if (unknown.length === 0) return null;
  const words = unknown.map((name) => {
    const near = closestName(name, known);
    return `"${name}"${near ? ` (did you mean "${near}"?)` : ''}`;
  });
  return `${words.join(', ')} ${unknown.length === 1 ? 'is not an event type' : 'are not event types'} the shop records: neither one the system records, nor declared in ${EVENT_DECLARATIONS_PLACE}, nor seen in its event log`;
}
