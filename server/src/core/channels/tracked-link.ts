/**
 * The stepper renders `{{link}}` as the relative path `/r/<token>`. With a `publicBaseUrl`
 * the dispatcher makes it absolute (in the body, and in the link passed to providers) so the
 * customer's phone or mail client can open it. A path already inside an absolute URL is left alone.
 */
export function trackedPath(token: string): string {
  return `/r/${token}`;
}

export function trackedLink(token: string | null, publicBaseUrl: string | null): string | null {
  if (!token) return null;
  return `${publicBaseUrl ?? ''}${trackedPath(token)}`;
}

export function absolutiseLinks(body: string, token: string | null, publicBaseUrl: string | null): string {
  if (!token || !publicBaseUrl) return body;
  const path = trackedPath(token).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return body.replace(new RegExp(`(^|[\\s("'<>\\[])${path}(?![\\w-])`, 'g'), (_m, before: string) => `${before}${publicBaseUrl}${trackedPath(token)}`);
}
