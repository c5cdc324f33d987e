import { randomFillSync } from 'node:crypto';
import type { Verdict } from '../policy/review.js';
import type { SendRequest } from './model.js';

const TOKEN_BYTES = 9;
/** Random bytes drawn from the OS in blocks: one call per 455 tokens instead of one per token. */
const POOL = Buffer.alloc(TOKEN_BYTES * 455);
let used = POOL.length;

/**
 * A tracked-link token (`/r/<token>`): 12 URL-safe characters (9 bytes). The first two characters
 * (12 bits) are the minute it was made (epoch minutes mod 4096, a cycle of ~2.8 days); the other
 * 60 bits come from the operating system's CSPRNG. Nothing about the send, customer or flow can be
 * derived from it, so links cannot be forged to fake clicks (which count as responses for give-up,
 * wait-for-response and experiments): a guess has to hit one of the ~2^60 values of its minute,
 * i.e. with a million links made in that minute, one chance in ~10^12 per try. Idempotency needs
 * no derived token: the send row is keyed by its idempotency key, so a retried step keeps the row
 * (and token) that was stored first. Two equal draws (~4 in 10^7 for a million links made in one
 * minute) are refused by `uq_sends_link_token` and the batch is stepped again with new tokens
 * (persistence/drawn-twice.ts).
 *
 * Why the minute: wholly random tokens land anywhere in `uq_sends_link_token`, which at a million
 * customers no longer fits the page cache: it was 26% of the pages a simulated Double 11 wrote
 * (bench/README.md, w-d11m). Tokens of one minute share a prefix, so a batch writes into that
 * minute's part of the index. The prefix tells nothing but the minute, which the message's own
 * sending time tells anyway.
 *
 * The bytes come from a block filled by the CSPRNG and each byte is handed out once, as
 * crypto.randomInt does with its own cache: a `randomBytes` call per token was ~2% of a simulated
 * Double 11, where every email carries a link.
 */
export function newLinkToken(now: number): string {
  if (used + TOKEN_BYTES > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const minute = Math.floor(now / 60_000) & 0xfff;
  POOL[used] = minute >> 4;
  POOL[used + 1] = ((minute & 0xf) << 4) | (POOL[used + 1] & 0xf);
  const token = POOL.toString('base64url', used, used + TOKEN_BYTES);
  used += TOKEN_BYTES;
  return token;
}

/**
 * The link token a `sends` row stores: only a message that is going out (queued) keeps one. A
 * blocked or skipped message never reaches anyone, so its link can never be followed (the link
 * service answered such a token with "not found" already); its body still reads as it would have
 * been sent. Each stored token is a random key in `uq_sends_link_token`, i.e. a page written
 * anywhere in that index: in a simulated Double 11 (bench/double11) ~60% of the sends are held
 * back (no consent, caps), and their tokens were ~30% of the pages its batches wrote.
 */
export function storedLinkToken(status: SendRequest['status'] | Verdict['status'], token: string | null): string | null {
  return status === 'queued' ? token : null;
}
