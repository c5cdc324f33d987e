import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `X-Rekindle-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, keyed
 * with the channel's shared secret. The receiver recomputes it over the bytes it received
 * (before any JSON parsing) and compares in constant time.
 */
export const SIGNATURE_HEADER = 'X-Rekindle-Signature';

export function signBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
