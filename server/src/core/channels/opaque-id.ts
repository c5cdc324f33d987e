import { createHmac, randomBytes } from 'node:crypto';

/**
 * The id a provider records for a send (Message-ID, outbox id, webhook fallback): stable for
 * every attempt of one send, so mail systems see one message, yet opaque — an HMAC of the send's
 * idempotency key under the server secret, so nothing about enrollments, nodes or ids shows.
 */
export type OpaqueId = (idempotencyKey: string) => string;

export function hmacOpaqueId(secret: string): OpaqueId {
  return (key) => createHmac('sha256', secret).update(`message:${key}`).digest('hex').slice(0, 32);
}

/** Without a server secret (a provider built on its own, e.g. in a test): a per-process key. */
export const processOpaqueId: OpaqueId = hmacOpaqueId(randomBytes(32).toString('hex'));
