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
export function reportQueueErrors(who: string, s: QueueSettings, sources: ErrorSource[], write: (line: string) => void = (l) => process.stderr.write(l)): void {
  let last = '';
  for (const source of sources) {
    source.on('error', (err: Error) => {
      if (err.message === last) return;
      last = err.message;
      write(`${who}: ${s.backend === 'redis' ? `Redis at ${safeUrl(s.redisUrl)}` : 'the queue'}: ${err.message} (retrying)\n`);
    });
    source.on('ready', () => (last = ''));
  }
}

/**
 * Closes a queue connection, giving up after `ms` (then dropping it): BullMQ's close waits for a
 * Redis that is down, and `rekindle scheduler --once` never exited.
 */
export async function closeWithin(closable: { close(): Promise<unknown>; disconnect(): Promise<unknown> }, ms = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = () => new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)).unref());
  try {
    if ((await Promise.race([closable.close().catch(() => undefined), late()])) !== 'late') return;
    clearTimeout(timer);
    await Promise.race([closable.disconnect().catch(() => undefined), late()]);
  } finally {
    clearTimeout(timer);
  }
}
