import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Params } from 'nestjs-pino';
import type PinoPretty from 'pino-pretty';
import type { DestinationStream, LevelWithSilent } from 'pino';
import type { Settings } from '../../config/settings.js';
import { loggableUrl, scrubText, scrubValue } from './pii-scrub.js';

/** An incoming X-Request-Id is honoured when it looks like an id (no spaces, no markup, bounded). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Routes scraped or probed every few seconds: logged at debug when they succeed, not at info. */
const PROBE = /^\/(metrics|api\/health)(\/|\?|$)/;

export type LogSettings = Pick<Settings, 'LOG_LEVEL' | 'LOG_FORMAT' | 'NODE_ENV' | 'REKINDLE_QUIET'>;

/** pino-pretty (~30 modules) loads only for a person at a terminal: servers and CLIs logging JSON or nothing skip it. */
const loadPretty = (): typeof PinoPretty => createRequire(import.meta.url)('pino-pretty');

/** JSON lines for production and log shippers; pino-pretty for a person at a terminal. */
export function usePrettyLogs(s: LogSettings, isTTY = !!process.stdout.isTTY): boolean {
  if (s.LOG_FORMAT !== 'auto') return s.LOG_FORMAT === 'pretty';
  return isTTY && s.NODE_ENV !== 'production';
}

/** The request's id (an acceptable X-Request-Id, else a new UUID), echoed in the response. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The level of a request's access line: errors, client errors, probes, everything else. */
export function accessLogLevel(req: IncomingMessage, res: ServerResponse, err?: unknown): 'error' | 'warn' | 'debug' | 'info' {
  if (err || res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'warn';
  return PROBE.test(req.url ?? '') ? 'debug' : 'info';
}

/** The access line's message: method, URL without query values, status. */
export function accessLogMessage(req: IncomingMessage, res: ServerResponse): string {
  return `${req.method} ${loggableUrl(req.url)} ${res.statusCode}`;
}

/**
 * nestjs-pino / pino-http options: a request id on every line logged while a request is handled
 * (`requestId`, taken from X-Request-Id or generated, echoed in the response), and no customer
 * PII: bodies, headers, client addresses and query values are never serialised, and e-mail
 * addresses and phone numbers in any message are masked.
 */
export function loggerParams(s: LogSettings, destination?: DestinationStream): Params {
  const level: LevelWithSilent = s.REKINDLE_QUIET && s.LOG_LEVEL === 'info' ? 'error' : s.LOG_LEVEL;
  // pino-pretty as an in-process stream (not a transport): no worker thread to outlive the app.
  const out = destination ?? (usePrettyLogs(s) ? loadPretty()({ singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }) : undefined);
  const options: Params['pinoHttp'] = {
    level,
    genReqId: requestIdFor,
    // Every line of a request carries its id; only the access line repeats method and URL.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: Error) => scrubValue({ type: err.name, message: err.message, stack: err.stack }),
    },
    customLogLevel: accessLogLevel,
    customSuccessMessage: accessLogMessage,
    customErrorMessage: accessLogMessage,
    // Belt and braces: fields that hold customer data are censored wherever a caller puts them.
    redact: {
      paths: ['body', 'req.body', 'req.headers', 'headers', 'phone', 'email', 'address', 'name', '*.phone', '*.email', '*.address', '*.body', '*.password', 'password', '*.token', 'token'],
      censor: '[redacted]',
    },
    formatters: { log: (obj: Record<string, unknown>) => scrubValue(obj) },
    hooks: {
      logMethod(args, method) {
        const scrubbed = (args as unknown[]).map((a) => (typeof a === 'string' ? scrubText(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return {
    pinoHttp: out ? [options, out] : options,
    renameContext: 'context',
  };
}
