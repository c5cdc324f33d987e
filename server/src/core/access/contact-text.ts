import { maskEmail, maskPhone } from './roles.js';

/**
 * Phone numbers and e-mail addresses inside free text — a provider's error that quotes the
 * recipient (`550 5.1.1 <li.na@example.com>: Recipient address rejected`, a gateway's
 * `invalid mobile 13912345678`) — for the places that must not pass them on: the logs scrub them
 * (api/logging/pii-scrub.ts), an analyst's send log masks them as the customer list does.
 */
export const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Mainland mobile numbers (11 digits, 1[3-9]…), optionally +86-prefixed, and international +CC numbers. */
export const PHONE_IN_TEXT = /(?:\+?86[\s-]?)?(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)|\+\d{1,3}[\s-]?\d(?:[\s-]?\d){6,13}(?!\d)/g;

/** The text with each address and number masked as an analyst sees them elsewhere: `l***@example.com`, `139****5678`. */
export function maskContactsInText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m) ?? m).replace(PHONE_IN_TEXT, (m) => maskPhone(m) ?? m);
}
