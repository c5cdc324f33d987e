import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { accessLogLevel, accessLogMessage, requestIdFor } from './logger-options.js';

/**
 * The request logging pino-http does (logger-options.ts), for a request answered before the
 * Nest middleware that runs pino-http (api/events/events-fast-path.ts): the same request id
 * (X-Request-Id honoured or generated, echoed) and the same access line written through the
 * same root logger when the response ends —
 * `{requestId, req: {id, method, url}, res: {statusCode}, responseTime, msg}` — at the same
 * level. What pino-http does on every request whether or not anything is written (child loggers,
 * one with the serialised, redacted request) is done here only when a line is written.
 * Returns the request's logger (bound to its id), made on first use.
 */
export function logRequest(root: Logger, req: IncomingMessage & { id?: string }, res: ServerResponse): () => Logger {
  const id = (req.id ??= requestIdFor(req, res));
  let log: Logger | undefined;
  const logger = () => (log ??= root.child({ requestId: id }));
  const start = Date.now();
  const done = (err?: unknown) => {
    res.removeListener('close', done);
    res.removeListener('finish', done);
    res.removeListener('error', done);
    const level = accessLogLevel(req, res, err);
    if (!root.isLevelEnabled(level)) return;
    const line = logger().child({ req });
    const responseTime = Date.now() - start;
    if (err || res.statusCode >= 500) line[level]({ res, err: err ?? new Error(`failed with status code ${res.statusCode}`), responseTime }, accessLogMessage(req, res));
    else line[level]({ res, responseTime }, accessLogMessage(req, res));
  };
  res.on('close', done);
  res.on('finish', done);
  res.on('error', done);
  return logger;
}
