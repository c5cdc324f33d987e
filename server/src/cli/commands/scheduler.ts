import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { parseDuration } from '../../core/flow/duration.js';
import { shownDatabaseUrl } from '../../persistence/data-source.js';
import { PlannerLease } from '../../persistence/planner-lease.js';
import { shopStampOf } from '../../persistence/shop-identity.js';
import { PlannerTurn } from '../../runtime/planner-turn.js';
import { shortShopId } from '../../workers/shop-check.js';
import { createEngineRuntime } from '../../runtime/engine-runtime.js';
import { runEventRetention, retentionRunText } from '../../runtime/event-retention-run.js';
import { setting } from '../../config/settings.js';
import type { BullMqStepQueue } from '../../workers/bullmq-step-queue.js';
import { QUEUE_ENV_HELP, queueSettings, safeUrl } from '../../workers/queue-settings.js';
import type { StepJobData } from '../../workers/step-job.js';
import type { StepJobResult } from '../../core/engine/step-queue.js';
import { CliError, commandContext } from '../context.js';
import { openToRunUnlessACopy } from '../simulation-copy-guard.js';

interface SchedulerOptions {
  every: string;
  batch: string;
  once?: boolean;
  queue?: string;
  queuePrefix?: string;
}

/**
 * `rekindle scheduler`: the planner without the HTTP server. Every interval it consumes stored
 * events, runs due entries, and puts the due enrollments on the queue in batches (customer-id
 * order, one job per batch), then waits for the workers to finish them before the next tick.
 * One planner plans at a time (the shop's planner lease, persistence/planner-lease.ts): beside the
 * server's ticker or another scheduler it stands by, and takes over when that one stops.
 */
export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description('plan journey batches onto the BullMQ queue on Redis for `rekindle worker` processes (docs/scale-out.md)')
    .option('--every <duration>', 'time between ticks, e.g. 5s, 1m', '5s')
    .option('--batch <n>', 'enrollments per job', '1000')
    .option('--once', 'one tick, then exit')
    .option('--queue <name>', 'queue name (default $REKINDLE_QUEUE or rekindle-steps)')
    .option('--queue-prefix <prefix>', 'Redis key prefix (default $REKINDLE_QUEUE_PREFIX or rekindle)')
    .addHelpText('after', QUEUE_ENV_HELP)
    .action(async (o: SchedulerOptions, cmd: Command) => {
      const ctx = commandContext(cmd);
      // A simulation's copy moves no journey (cli/simulation-copy-guard.ts): nothing to plan there.
      // The flags first: a mistyped --every is said without opening the database (the copy check opens it).
      const every = /^\d+s$/.test(o.every) ? Number(o.every.slice(0, -1)) * 1000 : safeDuration(o.every);
      // 0s planned without a pause: a tick after every tick, each reading what is due, at full CPU on both sides.
      if (every < 1000) throw new CliError(`--every must be at least 1s (got "${o.every}")`);
      const batch = Number(o.batch);
      if (!Number.isInteger(batch) || batch < 1) throw new CliError(`--batch must be a positive whole number (got "${o.batch}")`);
      const s = queueSettings(process.env, { name: o.queue, prefix: o.queuePrefix, pgUrl: process.env.REKINDLE_QUEUE_PG_URL || ctx.database.url });
      // Then the copy, before the dialect, so a SQLite copy is said as a copy, not as "give a postgres:// URL".
      // On PostgreSQL the database the check opened is the one the scheduler plans on.
      const ds = await openToRunUnlessACopy(ctx, { command: 'rekindle scheduler', refused: 'runs' });
      if (!ds) throw new CliError('the scheduler plans for worker processes that share the database: give a postgres:// URL (--db or $DATABASE_URL)');
      // BullMQ (and ioredis) are loaded by the commands that use them, not by every command.
      const { makeQueue, makeQueueEvents } = await import('../../workers/queue-backend.js');
      const { BullMqStepQueue } = await import('../../workers/bullmq-step-queue.js');
      const { closeWithin, queueConnectionRejections, reportQueueErrors } = await import('../../workers/queue-errors.js');
      // Every job names this shop, so a worker on another database gives it back (workers/shop-check.ts).
      const stamp = await shopStampOf(ds, shownDatabaseUrl(ctx.database.url));
      const queue = makeQueue<StepJobData, StepJobResult>(s);
      const events = makeQueueEvents(s);
      process.on('unhandledRejection', queueConnectionRejections(reportQueueErrors('scheduler', s, [queue, events])));
      let adapter: BullMqStepQueue | null = null;
      // One planner at a time: a second scheduler (or the server's ticker) stands by (persistence/planner-lease.ts).
      const turn = new PlannerTurn(new PlannerLease(ds, `rekindle scheduler ${process.pid}`), (line) => void (!o.once && process.stdout.write(`scheduler ${process.pid}: ${line}\n`)));
      const rt = createEngineRuntime(ds, ctx.workspace, systemClock, { batchSize: batch, queue: () => (adapter = new BullMqStepQueue(queue, events, { attempts: s.attempts, stamp, lostLease: turn.lostLease })) });
      let stopping = false;
      let ticking = false;
      const eventDays = setting('REKINDLE_EVENT_RETENTION_DAYS') ?? null;
      const consumedDays = setting('REKINDLE_CONSUMED_EVENT_RETENTION_DAYS') ?? null;
      const retention = eventDays === null && consumedDays === null ? null : { eventDays, consumedDays, batch: setting('REKINDLE_PRUNE_BATCH') };
      // The first planning tick prunes, then every REKINDLE_PRUNE_MS: a planner restarted more often
      // than that (a deploy a day beside an hourly prune is fine, a crash loop or a cron restart is
      // not) would otherwise never prune at all.
      let prunedAt = -Infinity;
      const stop = () => {
        stopping = true;
        // The stop waits for the tick under way, but a tick handing batches to a Redis that is down
        // never ends: the first SIGTERM only set the flag above, and a service manager's stop waited
        // for its SIGKILL (an operator's `timeout 120 … --once` ran 11 minutes). Past the grace the
        // planner goes without it: jobs already queued are stepped by the workers, what was not
        // handed over stays due, and a job planned again by the next planner repeats nothing.
        if (ticking) {
          setTimeout(() => {
            process.stderr.write(`scheduler: the tick under way did not end within ${STOP_GRACE_MS / 1000} s of the stop signal (is Redis reachable?); stopping without it: what it did not hand over stays due for the next planner\n`);
            process.exit(143);
          }, STOP_GRACE_MS).unref();
        }
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      // The worker names its queue when it starts; the scheduler said nothing until a tick had work,
      // so a scheduler planning onto another prefix than its workers' (their jobs wait forever) or
      // simply idle looked the same as one that had not started. `--once` says it too: its tick line
      // alone did not tell which queue its batches went onto.
      process.stdout.write(`scheduler ${process.pid}: shop ${shortShopId(stamp.shop)} (${stamp.db}), ${o.once ? 'one tick' : `a tick every ${o.every}`}, ${batch} enrollment(s) a job, onto queue ${s.prefix}:${s.name} on ${s.backend === 'redis' ? `Redis ${safeUrl(s.redisUrl)}` : 'PostgreSQL (experimental backend)'}; workers must use the same queue and prefix\n`);
      try {
        do {
          const t = performance.now();
          ticking = true;
          try {
            const lease = await turn.take();
            if (!lease.held && o.once) throw new CliError(`another planner plans this shop (${lease.holder}): --once would plan beside it; stop that planner first, or leave --once out to stand by`);
            if (lease.held) {
              const intake = await rt.intake.drain();
              const { entries, steps } = await rt.engine.tick();
              const enrolled = entries.reduce((n, e) => n + e.enrolled, 0);
              if (o.once || enrolled || steps.batches || intake.events) {
                process.stdout.write(`tick: ${intake.events} event(s), ${enrolled} entered, ${steps.batches} batch(es) of ${steps.enrollments} enrollment(s) → ${steps.steps} step(s), ${steps.sends} message(s) queued, in ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
              }
              // The planner also prunes (as a planning server does, api/journeys/event-pruner.ts): one process of the shop.
              if (!o.once && retention && performance.now() - prunedAt >= setting('REKINDLE_PRUNE_MS')) {
                prunedAt = performance.now();
                try {
                  const run = await runEventRetention(ds, ctx.workspace, systemClock, retention, false, 'rekindle');
                  process.stdout.write(`retention prune: ${retentionRunText(run)} (${run.tookMs} ms)\n`);
                } catch (e) {
                  process.stderr.write(`retention prune failed: ${(e as Error).message}; the rest waits for the next run\n`);
                }
              }
            }
          } catch (e) {
            if (o.once) throw e;
            // A failed tick (a batch that failed every attempt, jobs lost with a Redis restarted
            // empty, PostgreSQL gone for a moment) leaves its enrollments due: the next tick plans
            // them again. Ending the planner here stopped all stepping until someone restarted it.
            process.stderr.write(`tick failed: ${(e as Error).message}\n`);
          } finally {
            ticking = false;
          }
          if (o.once) break;
          const wait = Math.max(0, every - (performance.now() - t));
          for (let slept = 0; slept < wait && !stopping; slept += 200) await new Promise((r) => setTimeout(r, Math.min(200, wait - slept)));
        } while (!stopping);
      } finally {
        await turn.release();
        await (adapter as BullMqStepQueue | null)?.close();
        await closeWithin(events);
        await closeWithin(queue);
        await ds.destroy();
        // A Redis that is down keeps its client reconnecting after close gave up on it: the
        // command is done, so the process ends (after its last lines are written).
        setTimeout(() => process.exit(), 1000).unref();
      }
    });
}

/** How long a stop signal waits for the tick under way before the scheduler ends without it. */
const STOP_GRACE_MS = 20_000;

function safeDuration(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new CliError(`--every: "${text}" is not a duration (e.g. 5s, 1m, 1h)`);
  }
}
