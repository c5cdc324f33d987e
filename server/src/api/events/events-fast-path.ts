import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { Logger } from 'pino';
import { permits, type Principal } from '../../core/access/roles.js';
import { errorBody } from '../error-body.js';
import type { AccountStore } from '../../persistence/accounts.js';
import { TOKEN_ROW_SQL, tokenRowPrincipal } from '../../persistence/api-token-cache.js';
import { ACCESS_RULE, type AccessRule } from '../auth/allow.decorator.js';
import { notPermitted, unknownToken } from '../auth/auth.guard.js';
import { maskContacts } from '../auth/contact-mask.interceptor.js';
import { bodyErrorAnswer, EVENTS_JSON_LIMIT } from '../http-limits.js';
import type { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { logRequest } from '../logging/access-log.js';
import type { EventBatchParser } from '../../runtime/event-batch-parser.js';
import { answerEventColumns, answerEvents, clientIdOf } from './event-request.js';
import { EventsController } from './events.controller.js';
import { MAX_EVENTS_PER_REQUEST, type Admission, type EventsService } from './events.service.js';

/**
 * `POST /api/events` from an API token (an order feed), answered before Express sees the request
 * (mounted with answerFirst, below). An event feed is the one high-rate client of the server; Express's and Nest's per-request
 * machinery (a dozen middleware layers, the router, guards, interceptors, pipes, rxjs, pino-http's
 * per-request child loggers) cost several times the event's own validation and SQL; even Express's own
 * dispatch up to a first middleware (its prototype swap of req and res, the router's layer
 * matching, Nest's adapter hook) was ~6% of the request thread. This handler does what that
 * stack does for such a request, and nothing else:
 *
 *   - the same security headers (helmet's, recorded at start: security-headers.ts) and, where
 *     CORS is configured, the cors middleware's (cors-settings.ts), request id
 *     and access line (logging/access-log.ts), and latency metric (metrics/http-latency.ts's,
 *     with the route label Nest's router would give);
 *   - the same access rule, read from EventsController's @Allow, for a token this process
 *     verified before (ApiTokenCache), whose row is read again inside the transaction that stores
 *     the request's events (EventsService admission), so a token revoked, rotated or expired by
 *     any process before that commit stores nothing and gets the guard's 401; a body the
 *     controller refuses before any transaction (not an object) checks the row first, as the
 *     guard would (a body that is not JSON is refused as body-parser does, before the guard);
 *   - the same body limit and JSON rules as body-parser (strict: an object or an array; an empty
 *     body is `{}`), a malformed body getting the same answer (http-limits.ts bodyErrorAnswer, as bodyErrors);
 *   - the same answer (event-request.ts, shared with the controller) and error bodies as Nest's
 *     exception filter, contacts masked for callers that may not see them (as the interceptor);
 *     only Express's ETag header is not sent (a hash of each answer, for conditional GETs);
 *   - a body that cannot be read or is not JSON gets the app's body-error answer (http-limits.ts
 *     bodyErrorAnswer, as body-parser's errors do in the general stack, before the guard).
 *
 * Anything else is left to the general stack, untouched (the handler calls next() before it has
 * read or written anything): another method or URL, no bearer token, a token not yet verified by
 * this process (the guard verifies it, and it is cached), one whose last-use time is due, a
 * refused token, a cross-origin request (CORS), another content type, a compressed or chunked
 * body, or one over the limit.
 */
const PATH = '/api/events';
const BEARER = /^Bearer\s+(\S+)$/i;
const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const FIRST_CHAR = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

export interface EventsFastPathDeps {
  accounts: AccountStore;
  events: EventsService;
  /** The application's root pino logger (nestjs-pino's PinoLogger.root, set when the app starts). */
  logger: () => Logger | undefined;
  /** Sets helmet's headers (security-headers.ts recordedSecurityHeaders). */
  securityHeaders: (res: ServerResponse) => void;
  /** Sets what the cors middleware sets on an answer to a request without Origin (cors-settings.ts). */
  corsHeaders?: (res: ServerResponse) => void;
  /** Where the request is timed (rekindle_http_request_duration_seconds, as httpLatency does). */
  metrics: RekindleMetrics;
  /** The app's clock for token expiry, as the guard's (Date.now). */
  now?: () => number;
  /** Where large lists are parsed and validated (a thread of their own); absent or null: in this thread. */
  batchParser?: EventBatchParser | null;
}

/**
 * Bodies from this size on that start with `[` go to the batch parser thread (about 90 events
 * of the usual feed): smaller ones, single events above all, are not worth its round trip.
 */
export const THREAD_PARSE_MIN_BYTES = 16 * 1024;

/** A handler that answers a request or passes it on untouched with `next()`. */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * Puts `handler` in front of the server's request listeners (the Express app): it sees every
 * request first, and those it passes on with `next()` reach the app exactly as before.
 */
export function answerFirst(server: Server, handler: FrontHandler): void {
  const rest = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    try {
      handler(req, res, () => rest.forEach((l) => l(req, res)));
    } catch {
      // Express would have answered a throw with a 500; outside it, one would end the process.
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ statusCode: 500, message: 'Internal server error' }));
      }
    }
  });
}

/** The grants of POST /api/events, as the AuthGuard reads them (the handler's rule wins). */
function eventGrants(): AccessRule {
  const rule = (Reflect.getMetadata(ACCESS_RULE, EventsController.prototype.post) ?? Reflect.getMetadata(ACCESS_RULE, EventsController)) as AccessRule | undefined;
  if (!rule) throw new Error('EventsController states no access rule');
  return rule;
}

export function eventsFastPath(deps: EventsFastPathDeps): FrontHandler {
  const rule = eventGrants();
  const now = deps.now ?? Date.now;
  return (req, res, next) => {
    if (req.method !== 'POST' || req.url !== PATH) return next();
    const h = req.headers;
    if (h.origin !== undefined || h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined || h.cookie !== undefined) return next();
    if (typeof h['content-type'] !== 'string' || !JSON_TYPE.test(h['content-type'])) return next();
    const length = Number(h['content-length']);
    if (!Number.isSafeInteger(length) || length < 0 || length > EVENTS_JSON_LIMIT) return next();
    const m = typeof h.authorization === 'string' ? BEARER.exec(h.authorization) : null;
    if (!m || rule.public) return next();
    const logger = deps.logger();
    if (!logger) return next();
    const token = m[1];
    const cached = deps.accounts.peekToken(token, now());
    if (!cached || cached.touch || !permits(cached.entry.principal, rule.grants)) return next();
    const { entry } = cached;
    const principal = entry.principal;
    // The token's row is read in the transaction that stores the events, before them: revoked,
    // rotated, expired or no longer permitted by then, nothing is stored and the answer is the guard's.
    const admit: Admission = async (read) => {
      const [row] = await read(TOKEN_ROW_SQL, [entry.id, entry.hash]);
      const current = tokenRowPrincipal(entry, row, now());
      if (!current) return unknownToken();
      return permits(current, rule.grants) ? null : notPermitted(current, rule.grants);
    };
    /** For answers given without that transaction (a body that is not an event or a list): the guard's refusal, if any, comes first. */
    const refusal = (): HttpException | null => {
      const check = deps.accounts.cachedTokenPrincipal(token, now());
      if (!check?.principal) return unknownToken();
      return permits(check.principal, rule.grants) ? null : notPermitted(check.principal, rule.grants);
    };

    // From here on this handler answers.
    const timed = deps.metrics.http.startTimer();
    res.once('finish', () => timed({ method: 'POST', route: PATH, status_code: String(res.statusCode) }));
    deps.securityHeaders(res);
    deps.corsHeaders?.(res);
    const log = logRequest(logger, req as IncomingMessage & { id?: string }, res);
    (req as IncomingMessage & { principal?: Principal }).principal = principal;
    const fail = (e: unknown) => {
      if (e instanceof HttpException) {
        sendJson(res, e.getStatus(), errorBody(e));
        return;
      }
      // As Nest's exception filter: logged, and a body that tells nothing about the server.
      log().error({ err: e }, 'the events request failed');
      if (!res.headersSent) sendJson(res, 500, { statusCode: 500, message: 'Internal server error' });
      else res.end();
    };
    const answer = (pending: Promise<{ result: unknown; replayed: boolean }>) =>
      pending.then(({ result, replayed }) => {
        if (replayed) res.setHeader('Idempotent-Replayed', 'true');
        sendJson(res, 200, principal.contactsVisible ? result : maskContacts(result));
      }, fail);
    /** The body parsed, validated and answered in this thread (every body the parser thread does not take). */
    const inThread = (err: Error | null, bytes?: Buffer) => {
      let body: unknown;
      try {
        if (err) throw err;
        body = parseJson(bodyText(bytes!));
      } catch (e) {
        // As in the general stack, where body-parser runs before the guard: the body's error.
        const answer = bodyErrorAnswer(e, req.method, PATH);
        return answer ? sendJson(res, answer.status, answer.body) : fail(e);
      }
      if (body === null || typeof body !== 'object' || (Array.isArray(body) && body.length > MAX_EVENTS_PER_REQUEST)) {
        // Refused by answerEvents before any transaction: the token is checked here instead.
        const refused = refusal();
        if (refused) return fail(refused);
      }
      answer(answerEvents(deps.events, body, clientIdOf({ principal }), admit));
    };
    readBody(req, length, (err, bytes) => {
      const parser = deps.batchParser;
      if (err || !parser || length < THREAD_PARSE_MIN_BYTES || !startsWithBracket(bytes!)) return inThread(err, bytes);
      // A list: parsed and validated in the parser thread; whatever it does not take (not JSON, not
      // a list of at most MAX_EVENTS_PER_REQUEST, the thread gone) is handled here as before.
      parser.parse(bytes!, deps.events.timezone, MAX_EVENTS_PER_REQUEST).then(
        (columns) => (columns ? answer(answerEventColumns(deps.events, columns, clientIdOf({ principal }), admit)) : inThread(null, bytes)),
        () => inThread(null, bytes),
      );
    });
  };
}

/** Whether the first byte that is not JSON white space (after a UTF-8 byte order mark) is `[`. */
function startsWithBracket(bytes: Buffer): boolean {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x5b;
}

/** A body's text as body-parser reads it: UTF-8 (iconv), a byte order mark dropped. */
function bodyText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * What Express's res.json sends, without its ETag: a SHA-1 of every answer, for conditional
 * requests a POST never makes.
 */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** An error as body-parser makes them, for the app's body error handler (http-limits.ts). */
function bodyError(message: string, type: string, status = 400): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

function readBody(req: IncomingMessage, length: number, done: (err: Error | null, bytes?: Buffer) => void): void {
  const buf = Buffer.allocUnsafe(length);
  let received = 0;
  let finished = false;
  const finish = (err: Error | null, bytes?: Buffer) => {
    if (finished) return;
    finished = true;
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    req.removeListener('error', onError);
    req.removeListener('aborted', onAborted);
    done(err, bytes);
  };
  const onData = (chunk: Buffer) => {
    if (received + chunk.length > length) return finish(bodyError('request size did not match content length', 'request.size.invalid'));
    chunk.copy(buf, received);
    received += chunk.length;
  };
  const onEnd = () => {
    if (received !== length) return finish(bodyError('request size did not match content length', 'request.size.invalid'));
    finish(null, buf);
  };
  const onError = (e: Error) => finish(bodyError(e.message, 'stream.error'));
  const onAborted = () => finish(bodyError('request aborted', 'request.aborted'));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('aborted', onAborted);
}

/** body-parser's strict JSON: `{}` for an empty body, else an object or an array. */
function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = FIRST_CHAR.exec(text)?.[1];
  // The text goes with the error, as body-parser's does, so the answer can tell valid JSON of the wrong kind from a syntax error.
  if (first !== '{' && first !== '[') throw Object.assign(bodyError(`Unexpected token ${JSON.stringify(first ?? '')} in JSON: the body is not an object or an array`, 'entity.parse.failed'), { body: text });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw bodyError((e as Error).message, 'entity.parse.failed');
  }
}
