import { closestName } from '../../text/closest-name.js';
import { EVENT_FIELDS } from '../event-fields.js';
import { unknownOrderFieldMessage, unknownOrderFields } from '../order-fields.js';
import type { RowIssue } from './row-mapper.js';

/**
 * Keys of an NDJSON line that no row of its kind has. A CSV header's unread column is reported
 * (ignoredColumns, "did you mean"), but an NDJSON key was dropped by zod without a word: a feed
 * importing `{"externalId":"c1","phoen":"138…"}` created the customer without a phone (every SMS
 * then held back, no-address) behind a 200 that said nothing was ignored. NDJSON lines have the
 * REST bodies' shape, and those refuse an unknown field (POST /api/events, POST /api/orders), so
 * the line is refused the same way, naming the key; the other lines are imported as usual.
 */
export const CUSTOMER_FIELDS = ['externalId', 'name', 'phone', 'email', 'wechatId', 'province', 'city', 'device', 'tags', 'consent', 'attributes'] as const;

type Kind = 'customers' | 'orders' | 'events';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function flatUnknown(raw: Record<string, unknown>, known: readonly string[]): RowIssue[] {
  const out: RowIssue[] = [];
  for (const k of Object.keys(raw)) {
    if (known.includes(k)) continue;
    const near = closestName(k, known);
    out.push({ field: k, message: `unknown field${near ? `; did you mean ${near}?` : ''}` });
  }
  return out;
}

/** The unknown keys of one NDJSON line of `kind`, as row issues ([] when it has none, or is not an object). */
export function unknownNdjsonFields(kind: Kind, raw: unknown): RowIssue[] {
  if (!isRecord(raw)) return [];
  if (kind === 'orders') {
    return unknownOrderFields(raw).map((u) => {
      const text = unknownOrderFieldMessage(u);
      return { field: u.field, message: text.slice(u.field.length + 2) };
    });
  }
  return flatUnknown(raw, kind === 'customers' ? CUSTOMER_FIELDS : EVENT_FIELDS);
}
