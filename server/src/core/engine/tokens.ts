import { createHash } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A short token derived from a stable seed (the send's idempotency key): a retried step produces
 * the same tracked-link token and coupon code, so nothing is issued twice.
 */
export function stableToken(seed: string, length = 8): string {
  const h = createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[h[i] % ALPHABET.length];
  return s;
}
