import { maskContactsInText } from './contact-text.js';
import { permits, type Principal } from './roles.js';

/**
 * What of the send log (`GET /api/sends`) a caller reads. Marketers and admins write to customers
 * and read it whole. An analyst compares A/B arms and checks why a customer got a message or not:
 * who (the customer's external id, as the customer list shows it), which flow, version, step and
 * arm, channel, status and reason, the times, the coupon and the cost — not what the message said.
 *
 * - **Withheld from every analyst** (granted contacts or not): the subject and body. They are the
 *   marketer's words filled with the customer's name and values, and carry the message's tracked
 *   link, whose token records a click as the customer when opened — the grant is for contacts, not
 *   for that. A coupon code is kept: it is no contact, counts only for the customer it was issued
 *   to, and is how an analyst matches a message to an order.
 * - **Contacts masked** for an analyst without the grant: a provider's error that quotes the
 *   recipient's address or number (`last_error`) reads `l***@example.com` / `139****5678`, as the
 *   customer list masks them (api/auth/contact-mask.interceptor.ts). With the grant it is as stored.
 */
export const SEND_LOG_WITHHELD_FROM_ANALYSTS = ['subject', 'body'] as const;
/** Free text from the channel that may quote the recipient's phone or e-mail. */
export const SEND_LOG_CONTACT_TEXT = ['last_error'] as const;

/**
 * The mark a withheld cell reads in a CSV: the plain CSV's in English like its headers, the Excel
 * variant's in Chinese like its headers. NDJSON gives null and names the columns in `withheld`.
 */
export const WITHHELD_MARK = { csv: '(withheld)', excel: '〈分析员不可见〉' } as const;

export interface SendLogView {
  /** Columns written as a withheld mark instead of their value. */
  withheld: readonly string[];
  /** Columns whose phone numbers and e-mail addresses are masked. */
  masked: readonly string[];
}

/** The caller's view, or null for the whole log (marketers, admins, and tokens acting as one). */
export function sendLogViewFor(caller: Principal): SendLogView | null {
  if (permits(caller, ['marketer'])) return null;
  return { withheld: SEND_LOG_WITHHELD_FROM_ANALYSTS, masked: caller.contactsVisible ? [] : SEND_LOG_CONTACT_TEXT };
}

/**
 * A row as the view shows it. A withheld column that has a value reads `mark` (null where the format
 * keeps nulls for machines); one without (an SMS has no subject) stays empty, as it is for marketers.
 */
export function sendLogRowInView<R extends Record<string, unknown>>(row: R, view: SendLogView, mark: string | null): R {
  const out: Record<string, unknown> = { ...row };
  for (const k of view.withheld) if (out[k] !== null && out[k] !== undefined && out[k] !== '') out[k] = mark;
  for (const k of view.masked) if (typeof out[k] === 'string') out[k] = maskContactsInText(out[k] as string);
  return out as R;
}

/**
 * A customer's timeline (`GET /api/customers/:id/journey`) in the caller's view: its messages as the
 * send log shows them to the same caller — an analyst reads no message text (`body` null, named in
 * `withheld`) and, without the grant, a delivery error with its contacts masked. Null view: as is.
 */
export function journeySendsInView<S extends { body?: unknown; error?: unknown }>(sends: readonly S[], view: SendLogView | null): (S & { withheld?: string[] })[] {
  if (!view) return [...sends];
  return sends.map((s) => ({
    ...s,
    body: null,
    error: typeof s.error === 'string' && view.masked.length ? maskContactsInText(s.error) : s.error,
    withheld: ['body'],
  }));
}
