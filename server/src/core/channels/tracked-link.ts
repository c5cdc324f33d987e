/**
 * A tracked link is `/r/<token>` on the address customers reach the server at. With a
 * `publicBaseUrl` (rules/channels.yaml, else REKINDLE_PUBLIC_BASE_URL) the send step renders
 * `{{link}}` as `<publicBaseUrl>/r/<token>` (trackedLink), so the stored body — the send log, the
 * export, the customer view — is the body the customer gets. Without one it stays the relative
 * path, which `rekindle validate` warns of. The dispatcher still runs a body through
 * absolutiseLinks: a row stored relative (before a base URL was set, or by an older version) goes
 * out absolute all the same.
 */
export function trackedPath(token: string): string {
  return `/r/${token}`;
}

export function trackedLink(token: string | null, publicBaseUrl: string | null): string | null {
  if (!token) return null;
  return `${publicBaseUrl ?? ''}${trackedPath(token)}`;
}

/**
 * `/r/<token>` in the body made absolute, unless it is already the end of an absolute URL: a
 * path right after a printable ASCII character other than a quote or bracket (`…:3511/r/…`,
 * `…/shop/r/…`) is left alone. Anything else before it — the start, a space, Chinese text or
 * punctuation (`付款后立即发货：/r/…`, the usual SMS) — cannot be part of a URL, so the path is the
 * relative link itself (the rewrite used to expect a space or a bracket there, and missed it).
 */
export function absolutiseLinks(body: string, token: string | null, publicBaseUrl: string | null): string {
  if (!token || !publicBaseUrl) return body;
  const path = escapeRegExp(trackedPath(token));
  return body.replace(new RegExp(`(^|[^\\x21-\\x7e]|[("'<>\\[])${path}(?![\\w-])`, 'g'), (_m, before: string) => `${before}${publicBaseUrl}${trackedPath(token)}`);
}

/**
 * Where the link to `token` stands in a text, as rendered: `<base>/r/<token>` (an http(s) URL of
 * printable ASCII ending in the path) or the bare path. For a text rendered elsewhere whose base
 * is not known here (held-back-coupon.ts replaces the link with its stand-in).
 */
export function renderedLinkPattern(token: string): RegExp {
  return new RegExp(`(?:https?://[\\x21-\\x7e]*?)?${escapeRegExp(trackedPath(token))}(?![\\w-])`, 'g');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
