import express, { type ErrorRequestHandler, type RequestHandler } from 'express';

/**
 * Request body limits per endpoint: a large body only where one is expected (CSV/NDJSON imports,
 * event batches, flow files), a small one everywhere else, so nobody can make the server parse
 * 200 MB of JSON on a route that needs a few KB. The first matching row wins; body-parser skips a
 * body another parser already read.
 */
export interface BodyLimit {
  /** Path prefix (Express mount path). */
  path: string;
  json?: string | number;
  text?: string;
}

export const TEXT_TYPES = ['text/csv', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'text/plain'];

/** Event batches of up to 10,000 events (also read by the token fast path, api/events/events-fast-path.ts). */
export const EVENTS_JSON_LIMIT = 20 * 1024 * 1024;

export const BODY_LIMITS: BodyLimit[] = [
  // CSV/NDJSON uploads are not parsed here: the imports controller streams them from the socket
  // (bounded memory whatever the file's size).
  { path: '/api/import', json: '100kb' },
  { path: '/api/events', json: EVENTS_JSON_LIMIT },
  { path: '/api/flows', json: '2mb' },
  { path: '/api/policy', json: '1mb' },
  { path: '/api/orders', json: '256kb' },
];
export const DEFAULT_JSON_LIMIT = '512kb';

export function bodyParsers(): { path: string | null; handler: RequestHandler }[] {
  const out: { path: string | null; handler: RequestHandler }[] = [];
  for (const l of BODY_LIMITS) {
    if (l.json) out.push({ path: l.path, handler: express.json({ limit: l.json }) });
    if (l.text) out.push({ path: l.path, handler: express.text({ limit: l.text, type: TEXT_TYPES }) });
  }
  out.push({ path: null, handler: express.json({ limit: DEFAULT_JSON_LIMIT }) });
  return out;
}

/**
 * Body-parser failures as a JSON 4xx naming the body (never Express's HTML page with a stack
 * trace and server paths).
 */
export const bodyErrors: ErrorRequestHandler = (err, req, res, next) => {
  const answer = bodyErrorAnswer(err, req.method, req.path);
  if (!answer) return next(err);
  res.status(answer.status).json(answer.body);
};

/**
 * The 4xx answer to a body-parser error (also for the events fast path, which reads bodies
 * itself), or null for anything else (5xx and unknown errors go to the general error handling).
 */
export function bodyErrorAnswer(err: unknown, method: string | undefined, path: string): { status: number; body: { statusCode: number; error: string; message: string } } | null {
  const e = err as { type?: string; status?: number; limit?: number; message?: string; body?: unknown };
  if (!e || typeof e.type !== 'string' || typeof e.status !== 'number' || e.status >= 500) return null;
  const message =
    e.type === 'entity.too.large'
      ? `body: larger than this endpoint accepts (${Math.round((e.limit ?? 0) / 1024)} KB for ${method} ${path})`
      : e.type === 'entity.parse.failed'
        ? /call stack/i.test(e.message ?? '') ? 'body: nested too deeply' : notObjectOrArray(e) ?? 'body: not valid JSON'
        : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported'
          ? `body: ${e.message ?? 'unsupported encoding'}`
          : `body: ${e.message ?? 'could not be read'}`;
  return { status: e.status, body: { statusCode: e.status, error: e.status === 413 ? 'Payload Too Large' : 'Bad Request', message } };
}

/**
 * A strict-mode refusal of valid JSON that is not an object or an array (`"hello"`, `42`, `null`):
 * body-parser (and the events fast path) reject it with a parse error, and "not valid JSON" sent
 * the client hunting for a syntax error in a body that has none. Null for real syntax errors.
 */
function notObjectOrArray(e: { body?: unknown }): string | null {
  if (typeof e.body !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(e.body);
  } catch {
    return null;
  }
  if (v !== null && typeof v === 'object') return null;
  return `body: expected a JSON object or array, got ${v === null ? 'null' : typeof v === 'string' ? 'a string' : typeof v}`;
}
