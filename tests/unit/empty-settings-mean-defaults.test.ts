import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';

/**
 * A variable set to nothing (`REKINDLE_TICK_MS=` in an env file) is its default, and `0`/`false`
 * are false, everywhere — as config/settings.ts validates them and docs/configuration.md says.
 * The code that read the raw variable disagreed: an empty REKINDLE_TICK_MS ticked every
 * millisecond (Number('') is 0), an empty REDIS_URL or queue prefix was used as such, and
 * REKINDLE_DEBUG=0 printed stack traces with CLI errors.
 */
const NAMES = ['REKINDLE_TICK_MS', 'REKINDLE_OUTBOX_MS', 'REKINDLE_INTAKE_POLL_MS', 'REKINDLE_DEBUG'];
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
const restore = () => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
};

describe('empty settings mean their defaults', () => {
  beforeAll(() => {
    for (const n of ['REKINDLE_TICK_MS', 'REKINDLE_OUTBOX_MS', 'REKINDLE_INTAKE_POLL_MS']) process.env[n] = '';
  });
  afterAll(restore);

  it('the server ticks, polls and dispatches at the documented intervals when their variables are empty', async () => {
    // The intervals are fixed when the modules load, so they are loaded here, after the variables are set.
    const { EngineLoops } = await import('../../server/src/api/journeys/engine-loops.js');
    const { OutboxLoop } = await import('../../server/src/api/channels/outbox-loop.js');
    const every = (fn: unknown) => (Reflect.getMetadata('SCHEDULE_INTERVAL_OPTIONS', fn as object) as { timeout: number }).timeout;
    expect(every(EngineLoops.prototype.tick)).toBe(5000);
    expect(every(OutboxLoop.prototype.dispatch)).toBe(5000);
    expect(every(EngineLoops.prototype.poll)).toBe(1000);
  });

  it('workers and the scheduler use the default Redis, queue and prefix when those are empty', async () => {
    const { queueSettings, stepQueueMode } = await import('../../server/src/workers/queue-settings.js');
    const s = queueSettings({ REDIS_URL: '', REKINDLE_QUEUE: '', REKINDLE_QUEUE_PREFIX: '', REKINDLE_QUEUE_BACKEND: '', REKINDLE_WORKER_CONCURRENCY: '' });
    expect(s).toMatchObject({ backend: 'redis', redisUrl: 'redis://127.0.0.1:6379', name: 'rekindle-steps', prefix: 'rekindle', concurrency: 1 });
    expect(stepQueueMode({ REKINDLE_STEP_QUEUE: '' })).toBe('in-process');
  });

  it('REKINDLE_DEBUG=0 (or false) prints no stack trace with a CLI error', async () => {
    for (const off of ['0', 'false', 'no', 'off']) {
      process.env.REKINDLE_DEBUG = off;
      const saveTick = process.env.REKINDLE_TICK_MS;
      process.env.REKINDLE_TICK_MS = 'fast';
      try {
        const r = await cli(['validate']);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe('error: invalid configuration: REKINDLE_TICK_MS: expected a whole number of milliseconds (got "fast")\n');
      } finally {
        process.env.REKINDLE_TICK_MS = saveTick;
      }
    }
    process.env.REKINDLE_DEBUG = '1';
    process.env.REKINDLE_TICK_MS = 'fast';
    try {
      expect((await cli(['validate'])).stderr).toMatch(/^error: \w*Error: invalid configuration[^]*\n\s+at /);
    } finally {
      process.env.REKINDLE_TICK_MS = '';
    }
  });
});
