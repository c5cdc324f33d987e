import { settingDefault } from '../config/settings.js';

/**
 * Settings of the stepping queue on Redis (BullMQ), read from the environment so the server,
 * `rekindle scheduler` and every `rekindle worker` agree on them (docs/scale-out.md).
 */
export interface QueueSettings {
  /**
   * Where BullMQ keeps its jobs: REKINDLE_QUEUE_BACKEND = redis (default, the supported one) or
   * postgres (experimental: BullMQ's own PostgreSQL backend, in the shared database under a
   * schema named after the prefix — no Redis needed).
   */
  backend: 'redis' | 'postgres';
  /** Redis to use: REDIS_URL (default redis://127.0.0.1:6379). */
  redisUrl: string;
  /** PostgreSQL for the postgres backend: REKINDLE_QUEUE_PG_URL, else the shared database's URL. */
  pgUrl?: string;
  /** Queue name: REKINDLE_QUEUE (default rekindle-steps). */
  name: string;
  /** Key prefix in Redis: REKINDLE_QUEUE_PREFIX (default rekindle); tests use one per run. */
  prefix: string;
  /** Batches a worker process steps at once: REKINDLE_WORKER_CONCURRENCY (default 1, config/settings.ts). */
  concurrency: number;
  /** How long a worker holds a job before BullMQ thinks it stalled (REKINDLE_WORKER_LOCK_MS, default 30 s). */
  lockMs: number;
  /** How often workers look for stalled jobs (REKINDLE_WORKER_STALLED_MS, default 30 s). */
  stalledMs: number;
  /** Stalls a job may survive before it fails (REKINDLE_WORKER_MAX_STALLED, default 10). */
  maxStalled: number;
  /** Attempts of a failing job (REKINDLE_JOB_ATTEMPTS, default 5; exponential back-off from 1 s). */
  attempts: number;
}

const int = (v: string | undefined, fallback: number, name: string): number => {
  if (v === undefined || v.trim() === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number (got "${v}")`);
  return n;
};

export function queueSettings(env: NodeJS.ProcessEnv = process.env, over: Partial<QueueSettings> = {}): QueueSettings {
  // An empty variable is its default, as config/settings.ts reads it (`REDIS_URL=` in an env file).
  const backend = env.REKINDLE_QUEUE_BACKEND || 'redis';
  if (backend !== 'redis' && backend !== 'postgres') throw new Error(`REKINDLE_QUEUE_BACKEND must be "redis" or "postgres" (got "${backend}")`);
  return {
    backend,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    pgUrl: env.REKINDLE_QUEUE_PG_URL || (env.DATABASE_URL && /^postgres/.test(env.DATABASE_URL) ? env.DATABASE_URL : undefined),
    name: env.REKINDLE_QUEUE || 'rekindle-steps',
    prefix: env.REKINDLE_QUEUE_PREFIX || 'rekindle',
    concurrency: int(env.REKINDLE_WORKER_CONCURRENCY, settingDefault('REKINDLE_WORKER_CONCURRENCY') as number, 'REKINDLE_WORKER_CONCURRENCY'),
    lockMs: int(env.REKINDLE_WORKER_LOCK_MS, 30_000, 'REKINDLE_WORKER_LOCK_MS'),
    stalledMs: int(env.REKINDLE_WORKER_STALLED_MS, 30_000, 'REKINDLE_WORKER_STALLED_MS'),
    maxStalled: int(env.REKINDLE_WORKER_MAX_STALLED, 10, 'REKINDLE_WORKER_MAX_STALLED'),
    attempts: int(env.REKINDLE_JOB_ATTEMPTS, 5, 'REKINDLE_JOB_ATTEMPTS'),
    ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)),
  };
}

/** Whether the server hands stepping to workers (REKINDLE_STEP_QUEUE=bullmq) or steps in-process (default). */
export function stepQueueMode(env: NodeJS.ProcessEnv = process.env): 'in-process' | 'bullmq' {
  const v = env.REKINDLE_STEP_QUEUE || 'in-process';
  if (v !== 'in-process' && v !== 'bullmq') throw new Error(`REKINDLE_STEP_QUEUE must be "in-process" or "bullmq" (got "${v}")`);
  return v;
}

/** Hides the user and password of a Redis URL in what is printed: up to the LAST `@`, as a password may hold a raw `@` or `/`. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/.*@/, '//');
}

/** The environment both `rekindle worker` and `rekindle scheduler` read (docs/scale-out.md lists all). */
export const QUEUE_ENV_HELP = `
Environment (the same for the server, the scheduler and every worker):
  DATABASE_URL          postgres://… shared store (or --db)
  REDIS_URL             BullMQ's Redis (default redis://127.0.0.1:6379)
  REKINDLE_WORKER_LOCK_MS / REKINDLE_WORKER_STALLED_MS
                        when a dead worker's batch is handed on (default 30000 / 30000)
  REKINDLE_JOB_ATTEMPTS attempts of a failing batch (default 5)
See docs/scale-out.md for every setting and what to watch.`;
