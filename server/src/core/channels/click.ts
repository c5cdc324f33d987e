/**
 * A click on a tracked link becomes a `click` customer event. Its idempotency key is the link
 * token plus the minute of the click: a double click, a mail client's link prefetch followed by
 * the real click, or a reload within the same clock minute count once, while a customer coming
 * back to the link later is a new click (engagement, not a duplicate). Two clicks straddling a
 * minute boundary do count twice; that is accepted for a key that needs no extra read.
 */
export const CLICK_BUCKET_MS = 60_000;

export function clickIdempotencyKey(token: string, at: number): string {
  return `click:${token}:${Math.floor(at / CLICK_BUCKET_MS)}`;
}

/** Only web links are followed: the redirect target comes from the flow file, but a tracked link must never become a `javascript:` or `file:` jump. */
export function isRedirectable(url: string | null): url is string {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
