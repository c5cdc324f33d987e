import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code read out over the phone or typed from an SMS must not be misread. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A coupon code: 12 characters of a 31-letter alphabet. The first two are the minute it was
 * issued (epoch minutes mod 961 = 31², a cycle of ~16 hours), the other ten come from the
 * operating system's CSPRNG (~49.5 bits), so codes cannot be guessed from one another or from the
 * send they came with. Idempotency does not need a derived code: the ledger row is keyed by the
 * send's idempotency key, so a retried step keeps the code that was stored first.
 *
 * Why the minute: the code is the ledger's primary key. Wholly random codes land anywhere in that
 * index, and at a million customers it no longer fits the page cache: each commit of a Double-11
 * wave wrote ~400 of its pages (18.5% of all pages a simulated Double 11 wrote, bench/README.md,
 * w-d11m). Codes of one minute share a prefix, so a batch writes into that minute's part only.
 * The prefix tells nothing but the minute (the message carrying the code says when it was sent
 * anyway), and a code is only redeemed by the customer it was issued to. Ten random letters make
 * two equal draws in one minute possible (~6 in 10,000 for a million codes in one minute): the
 * ledger refuses such a batch, which is stepped again with new codes (persistence/drawn-twice.ts).
 */
export const COUPON_CODE_LENGTH = 12;
const MINUTE_LETTERS = 2;
const MINUTE_CYCLE = ALPHABET.length ** MINUTE_LETTERS;

/**
 * The code a message preview or test send prints: the real length and alphabet (so the SMS length
 * and the look are true) but plainly a sample ("TEST…"); never issued, never in the ledger.
 */
export const SAMPLE_COUPON_CODE = 'TEST'.padEnd(COUPON_CODE_LENGTH, 'X');

/** A new code issued at `now` (the engine's clock: virtual time in a simulation). */
export function newCouponCode(now: number): string {
  const minute = Math.floor(now / 60_000) % MINUTE_CYCLE;
  const m = minute < 0 ? minute + MINUTE_CYCLE : minute;
  let s = ALPHABET[Math.floor(m / ALPHABET.length)] + ALPHABET[m % ALPHABET.length];
  for (let i = MINUTE_LETTERS; i < COUPON_CODE_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}
