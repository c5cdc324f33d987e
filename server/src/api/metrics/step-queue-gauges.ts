import { Gauge, type Registry } from 'prom-client';
import type { StepQueueDepth } from '../../workers/step-queue-depth.js';

/** How long a scrape waits for the queue before it reports `rekindle_step_queue_up 0`, unless told (REKINDLE_METRICS_QUEUE_TIMEOUT_MS, config/settings.ts). */
export const STEP_QUEUE_SCRAPE_TIMEOUT_MS = 1000;

export interface StepQueueGaugeOptions {
  /** Queue name, the `queue` label of every series (one value per server: no cardinality). */
  queue: string;
  /** Reads the depth (workers/step-queue-depth.ts on BullMQ). */
  read: () => Promise<StepQueueDepth>;
  /** How long a scrape waits for the queue (REKINDLE_METRICS_QUEUE_TIMEOUT_MS); said in the help of `rekindle_step_queue_up`. */
  timeoutMs?: number;
  /** Wall clock (Unix ms) the oldest job's age is measured with: BullMQ stamps jobs with Date.now(). */
  now?: () => number;
}

type Reading = { ok: true; depth: StepQueueDepth } | { ok: false };

/**
 * The step queue's depth on `/metrics` (REKINDLE_STEP_QUEUE=bullmq): read at scrape time, once per
 * scrape for all three series, and given up after `timeoutMs`. A Redis that is down or slow never
 * fails or holds up the scrape: `rekindle_step_queue_up` says 0 and the depth series are absent
 * (not 0, which would read as "empty queue"). A read still hanging from an earlier scrape is
 * joined, not repeated, so a dead Redis does not collect one pending command per scrape.
 */
export function registerStepQueueGauges(registry: Registry, opts: StepQueueGaugeOptions): void {
  const timeoutMs = opts.timeoutMs ?? STEP_QUEUE_SCRAPE_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  const label = { queue: opts.queue };
  let inFlight: Promise<StepQueueDepth> | null = null;
  let scrape: { at: number; value: Promise<Reading> } | null = null;

  const readWithTimeout = (): Promise<Reading> => {
    if (!inFlight) {
      const p = opts.read();
      inFlight = p;
      const clear = () => {
        if (inFlight === p) inFlight = null;
      };
      p.then(clear, clear);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Reading>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false }), timeoutMs);
      timer.unref();
    });
    const reading = inFlight.then(
      (depth): Reading => ({ ok: true, depth }),
      (): Reading => ({ ok: false }),
    );
    return Promise.race([reading, timeout]).finally(() => clearTimeout(timer));
  };
  // The three collect() calls of one scrape share one reading (they run within the same second).
  const read = (): Promise<Reading> => {
    const wall = Date.now();
    if (!scrape || wall - scrape.at > 1000) scrape = { at: wall, value: readWithTimeout() };
    return scrape.value;
  };

  const registers = [registry];
  new Gauge({
    name: 'rekindle_step_queue_up',
    // The limit in force, where the operator reading 0 looks (it is a setting: REKINDLE_METRICS_QUEUE_TIMEOUT_MS).
    help: `Whether the last scrape could read the BullMQ step queue (1) or not: Redis down or slower than ${timeoutMs} ms (REKINDLE_METRICS_QUEUE_TIMEOUT_MS) (0).`,
    labelNames: ['queue'],
    registers,
    async collect() {
      scrape = null; // every scrape reads the queue afresh; this series is collected first
      this.set(label, (await read()).ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rekindle_step_queue_jobs',
    help: 'Stepping jobs (batches) in the BullMQ queue, by state: waiting, active, delayed (retry back-off), failed (every attempt). Absent when the queue cannot be read.',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const r = await read();
      this.reset();
      if (!r.ok) return;
      for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ ...label, state }, r.depth[state]);
    },
  });
  new Gauge({
    name: 'rekindle_step_queue_oldest_waiting_age_seconds',
    help: 'How long the oldest waiting stepping job has waited for a worker (0 when none waits). Absent when the queue cannot be read.',
    labelNames: ['queue'],
    registers,
    async collect() {
      const r = await read();
      this.reset();
      if (!r.ok) return;
      const at = r.depth.oldestWaitingAt;
      this.set(label, at === null ? 0 : Math.max(0, (now() - at) / 1000));
    },
  });
}
