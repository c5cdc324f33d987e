import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code read out over the phone or typed from an SMS must not be misread. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A coupon code from the operating system's CSPRNG: 12 characters of a 31-letter alphabet
 * (~59 bits), so codes cannot be guessed from one another or from the send they came with.
 * Idempotency does not need a derived code: the ledger row is keyed by the send's idempotency
 * key, so a retried step keeps the code that was stored first.
 */
export const COUPON_CODE_LENGTH = 12;

/**
 * The code a message preview or test send prints: the real length and alphabet (so the SMS length
 * and the look are true) but plainly a sample ("TEST…"); never issued, never in the ledger.
 */
export const SAMPLE_COUPON_CODE = 'TEST'.padEnd(COUPON_CODE_LENGTH, 'X');

export function newCouponCode(length = COUPON_CODE_LENGTH): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}
