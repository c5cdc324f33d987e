import { randomBytes } from 'node:crypto';

/**
 * A tracked-link token (`/r/<token>`): 72 random bits from the operating system's CSPRNG, 12
 * URL-safe characters. Nothing about the send, customer or flow can be derived from it, so links
 * cannot be forged to fake clicks (which count as responses for give-up, wait-for-response and
 * experiments). Idempotency needs no derived token: the send row is keyed by its idempotency key,
 * so a retried step keeps the row (and token) that was stored first.
 */
export function newLinkToken(): string {
  return randomBytes(9).toString('base64url');
}
