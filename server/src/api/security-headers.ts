import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** helmet's settings for every answer of the server (create-app.ts). */
export const HELMET_OPTIONS = { crossOriginEmbedderPolicy: false } as const;

export function securityHeaders() {
  return helmet(HELMET_OPTIONS);
}

/**
 * The headers helmet sets (and removes), recorded once by running it on a recording response:
 * with these options every value is a constant, so a handler answering before helmet's
 * middleware (api/events/events-fast-path.ts) sets exactly the same headers in one loop. Throws
 * at start-up if helmet ever stops being synchronous and constant for these options.
 */
export function recordedSecurityHeaders(): (res: ServerResponse) => void {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
    getHeader: () => undefined,
  };
  let finished = false;
  securityHeaders()({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be recorded');
  return (res) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
  };
}
