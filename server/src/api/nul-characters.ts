import type { RequestHandler } from 'express';

/**
 * The NUL character (U+0000) is refused in a request's path, query and JSON body with a 400 naming
 * where it is. PostgreSQL cannot store or even compare it in text ("invalid byte sequence for
 * encoding UTF8: 0x00"), so a NUL in an account name, a customer id in the path or a search
 * answered 500 there (SQLite took it). No name, id, search or file of the shop needs one.
 *
 * `POST /api/events` is left to its own checks (ids refuse control characters naming the event's
 * index and field; properties are stored as JSON text, where a NUL is escaped): its token feeds are
 * answered ahead of Express (events/events-fast-path.ts) and must get the same answers.
 */
export const refuseNulCharacters: RequestHandler = (req, res, next) => {
  const where = nulInPath(req.path) ?? nulInQuery(req.query as Record<string, unknown>) ?? (isEvents(req.path) ? null : nulInBody(req.body));
  if (!where) return next();
  res.status(400).json({ statusCode: 400, error: 'Bad Request', message: `${where}: contains the NUL character (U+0000), which is not accepted` });
};

const isEvents = (path: string) => path === '/api/events' || path === '/api/events/';

function nulInPath(path: string): string | null {
  if (!path.includes('%00') && !path.includes('\u0000')) return null;
  const segments = path.split('/').filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    let s = segments[i];
    try {
      s = decodeURIComponent(s);
    } catch {
      // A malformed escape is the router's business (it answers 400/404); only NULs are judged here.
    }
    if (s.includes('\u0000')) return `path segment ${i + 1} of ${segments.length}`;
  }
  return null;
}

function nulInQuery(query: Record<string, unknown> | undefined): string | null {
  if (!query) return null;
  for (const [k, v] of Object.entries(query)) {
    const found = nulIn(v, `query parameter "${k.replace(/\u0000/g, '\\u0000')}"`);
    if (found || k.includes('\u0000')) return found ?? `query parameter name "${k.replace(/\u0000/g, '\\u0000')}"`;
  }
  return null;
}

function nulInBody(body: unknown): string | null {
  const found = nulIn(body, '');
  return found === null ? null : found === '' ? 'body' : found;
}

/** Where in a parsed value (body or query value) a string holds a NUL: `nodes[2].label`. */
function nulIn(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulIn(value[i], `${at}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return `${at || 'body'} (a key)`;
    const found = nulIn(v, at ? `${at}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return null;
}
