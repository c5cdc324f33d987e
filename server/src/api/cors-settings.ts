import type { ServerResponse } from 'node:http';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';

/**
 * CORS is closed unless REKINDLE_CORS_ORIGINS lists other web origins (create-app.ts); then the
 * designer's API may be called from those origins with the session cookie.
 */
export function corsOptions(origins: readonly string[]): CorsOptions | null {
  return origins.length ? { origin: [...origins], credentials: true, allowedHeaders: ['content-type', 'authorization', 'x-csrf-token'] } : null;
}

/**
 * What the cors middleware sets on an answer to a request that sent no Origin (an event feed):
 * with a list of origins, `Vary: Origin` (the answer depends on the Origin a browser would send,
 * so a cache must not hand this one to a browser) and, with credentials, the credentials header.
 * The events fast path (events/events-fast-path.ts) answers such requests before the middleware
 * and sets these itself; tests/e2e/events-token-fast-path.test.ts compares both paths' headers.
 */
export function corsHeadersWithoutOrigin(options: CorsOptions | null): (res: ServerResponse) => void {
  if (!options) return () => undefined;
  const listed = Array.isArray(options.origin) || options.origin instanceof RegExp || typeof options.origin === 'function';
  return (res) => {
    if (options.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (listed) res.setHeader('Vary', 'Origin');
  };
}
