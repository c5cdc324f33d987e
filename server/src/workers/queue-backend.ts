import { createPostgresBackend, Queue, QueueEvents, Worker, type Processor } from 'bullmq';
import type { QueueSettings } from './queue-settings.js';

/*
 * Builds BullMQ's Queue, Worker and QueueEvents for the configured backend: Redis (the supported
 * one; BullMQ reaches it through `ioredis`) or BullMQ's PostgreSQL backend (experimental).
 */

/** The `connection` option for BullMQ (and @nestjs/bullmq's forRoot) on the configured backend. */
export function queueConnection(s: QueueSettings): unknown {
  return s.backend === 'postgres' ? postgresConnection(s) : { url: s.redisUrl };
}

function postgresConnection(s: QueueSettings) {
  if (!s.pgUrl) throw new Error('REKINDLE_QUEUE_BACKEND=postgres needs the database URL (postgres://…) in REKINDLE_QUEUE_PG_URL or DATABASE_URL');
  // One schema per prefix keeps test runs (and shops sharing a server) apart.
  return { connectionString: s.pgUrl, migrate: true, schema: `bullmq_${s.prefix.replace(/[^a-zA-Z0-9_]/g, '_')}`.toLowerCase().slice(0, 60) };
}

/** Fails early, with what to set, when the backend lacks a setting (Redis has a default URL). */
export function checkQueueBackend(s: QueueSettings): void {
  if (s.backend === 'postgres') postgresConnection(s);
}

export function makeQueue<D, R>(s: QueueSettings): Queue<D, R> {
  checkQueueBackend(s);
  if (s.backend === 'postgres') return new Queue<D, R>(s.name, { connection: postgresConnection(s) } as never, createPostgresBackend as never);
  return new Queue<D, R>(s.name, { connection: { url: s.redisUrl }, prefix: s.prefix });
}

export function makeQueueEvents(s: QueueSettings): QueueEvents {
  checkQueueBackend(s);
  if (s.backend === 'postgres') return new QueueEvents(s.name, { connection: postgresConnection(s) } as never, createPostgresBackend as never);
  return new QueueEvents(s.name, { connection: { url: s.redisUrl }, prefix: s.prefix });
}

export function makeWorker<D, R>(s: QueueSettings, processor: Processor<D, R>): Worker<D, R> {
  checkQueueBackend(s);
  const opts = { concurrency: s.concurrency, lockDuration: s.lockMs, stalledInterval: s.stalledMs, maxStalledCount: s.maxStalled };
  if (s.backend === 'postgres') return new Worker<D, R>(s.name, processor, { ...opts, connection: postgresConnection(s) } as never, createPostgresBackend as never);
  return new Worker<D, R>(s.name, processor, { ...opts, connection: { url: s.redisUrl }, prefix: s.prefix });
}
