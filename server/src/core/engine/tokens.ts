import { randomFillSync } from 'node:crypto';
import type { Verdict } from '../policy/review.js';
import type { SendRequest } from './model.js';

const TOKEN_BYTES = 9;
/** Random bytes drawn from the OS in blocks: one call per 455 tokens instead of one per token. */
const POOL = Buffer.alloc(TOKEN_BYTES * 455);
let used = POOL.length;

/**
 * A tracked-link token (`/r/<token>`): 72 random bits from the operating system's CSPRNG, 12
 * URL-safe characters. Nothing about the send, customer or flow can be derived from it, so links
 * cannot be forged to fake clicks (which count as responses for give-up, wait-for-response and
 * experiments). Idempotency needs no derived token: the send row is keyed by its idempotency key,
 * so a retried step keeps the row (and token) that was stored first.
 * The bytes come from a block filled by the CSPRNG and each byte is handed out once, as
 * crypto.randomInt does with its own cache: a `randomBytes` call per token was ~2% of a simulated
 * Double 11, where every email carries a link.
 */
export function newLinkToken(): string {
  if (used + TOKEN_BYTES > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
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
