import { EMAIL_IN_TEXT, PHONE_IN_TEXT } from '../../core/access/contact-text.js';

/**
 * Last line of defence against customer PII in logs: whatever a log call is handed, e-mail
 * addresses and phone numbers in its text are masked before the line is written. The logger
 * also never serialises request bodies, headers or client addresses (see logger-options.ts);
 * this catches what slips into a message, e.g. a provider error that quotes the recipient.
 */
export function scrubText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, '[email]').replace(PHONE_IN_TEXT, '[phone]');
}

/** Masks PII in every string inside a log object (depth-limited; leaves non-plain objects alone). */
export function scrubValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1)) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !(value instanceof Error)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubValue(v, depth + 1);
  if (value instanceof Error) {
    out.message = scrubText(value.message);
    if (value.stack) out.stack = scrubText(value.stack);
  }
  return out as T;
}

/** A URL as it may be logged: query values and tracked-link tokens replaced (they can carry a phone number or identify a customer). */
export function loggableUrl(url: string | undefined): string {
  if (!url) return '';
  const [path, query] = url.split('?', 2);
  const safePath = path.replace(/^\/r\/[^/]+/, '/r/:token');
  if (query === undefined) return safePath;
  const keys = query
    .split('&')
    .filter(Boolean)
    .map((pair) => `${decodeURIComponentSafe(pair.split('=')[0])}=[redacted]`);
  return `${safePath}?${keys.join('&')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return scrubText(decodeURIComponent(s));
  } catch {
    return '?';
  }
}
