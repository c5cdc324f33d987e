import { safeUrl, type QueueSettings } from './queue-settings.js';

interface ErrorSource {
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * Says once per distinct error that the queue's Redis (or PostgreSQL backend) cannot be reached,
 * naming it without its password: `scheduler: Redis at redis://127.0.0.1:6379: connect
 * ECONNREFUSED … (retrying)`. BullMQ reconnects by itself; without a listener it printed every
 * failed attempt with a stack trace (several a second), and `rekindle scheduler` did.
 */
export function reportQueueErrors(
  who: string,
  s: QueueSettings,
  sources: ErrorSource[],
  write: (line: string) => void = (l) => process.stderr.write(l),
  /** Words for an error that is not about reaching the queue (a worker's lost job: committed-batches.ts); null: said as a connection error. */
  explain: (err: Error) => string | null = () => null,
): (err: Error) => void {
  let last = '';
  const say = (err: Error) => {
    // Once per distinct thing said: the two errors of one lost job are explained in the same words.
    const words = explain(err);
    if ((words ?? err.message) === last) return;
    last = words ?? err.message;
    if (words !== null) return write(`${who}: ${words}\n`);
    write(`${who}: ${s.backend === 'redis' ? `Redis at ${safeUrl(s.redisUrl)}` : 'the queue'}: ${err.message} (retrying)\n`);
  };
  for (const source of sources) {
    source.on('error', say);
    source.on('ready', () => (last = ''));
  }
  return say;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE']);

/** A failure to reach the queue's server (not a bug of ours): a socket error code, or BullMQ's closed connection. */
export function isQueueConnectionError(reason: unknown): reason is Error {
  if (!(reason instanceof Error)) return false;
  const code = (reason as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || reason.name === 'ConnectionClosedError' || reason.message === 'Connection is closed.';
}

/**
 * For `process.on('unhandledRejection', …)` in the queue's CLI processes. With Redis down, a
 * connect error sometimes rejects a promise inside BullMQ/ioredis that nothing awaits (2 of 6
 * `rekindle scheduler --once` runs under load ended with Node's stack trace of ECONNREFUSED,
 * the others as designed). BullMQ reconnects by itself, so such a rejection is said like the
 * clients' own errors (`say`, once per distinct message); any other rejection still ends the
 * process with its stack trace, as Node does by default.
 */
export function queueConnectionRejections(say: (err: Error) => void): (reason: unknown) => void {
  return (reason) => {
    if (isQueueConnectionError(reason)) return say(reason);
    throw reason;
  };
}

/**
 * Closes a queue connection, giving up after `ms` (then dropping it): BullMQ's close waits for a
 * Redis that is down, and `rekindle scheduler --once` never exited. Dropping it force-closes the
 * backend's connection (BullMQ's public `getBackend().close(true)`), which ends a client still
 * trying to connect, so it does not keep reconnecting (and the process alive) afterwards;
 * QueueEvents' own close and disconnect wait for the connection first.
 */
export async function closeWithin(
  closable: { close(): Promise<unknown>; disconnect(): Promise<unknown>; getBackend?(): { close(force?: boolean): Promise<unknown> } },
  ms = 3000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = () => new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)).unref());
  try {
    if ((await Promise.race([closable.close().catch(() => undefined), late()])) !== 'late') return;
    clearTimeout(timer);
    const drop = closable.getBackend ? closable.getBackend().close(true) : closable.disconnect();
    await Promise.race([drop.catch(() => undefined), late()]);
  } finally {
    clearTimeout(timer);
  }
}
