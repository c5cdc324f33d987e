import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code read out over the phone or typed from an SMS must not be misread. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A coupon code from the operating system's CSPRNG: 12 characters of a 31-letter alphabet
 * (~59 bits), so codes cannot be guessed from one another or from the send they came with.
 * Idempotency does not need a derived code: the ledger row is keyed by the send's idempotency
 * key, so a retried step keeps the code that was stored first.
 */
export function newCouponCode(length = 12): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}
