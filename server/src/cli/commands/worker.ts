import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { shownDatabaseUrl } from '../../persistence/data-source.js';
import { shopStampOf } from '../../persistence/shop-identity.js';
import { createEngineRuntime } from '../../runtime/engine-runtime.js';
import { QUEUE_ENV_HELP, queueSettings, safeUrl } from '../../workers/queue-settings.js';
import { CliError, commandContext } from '../context.js';
import { openToRunUnlessACopy } from '../simulation-copy-guard.js';

interface WorkerOptions {
  concurrency?: string;
  queue?: string;
  queuePrefix?: string;
}

/**
 * `rekindle worker`: a worker process. Takes stepping batches from BullMQ on Redis and steps each
 * in one PostgreSQL transaction. Run as many as the database keeps up with; stop with SIGTERM
 * (finishes the batches in hand) — or kill it: its batch is handed to another worker.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('step journey batches from the BullMQ queue on Redis, writing to the shared PostgreSQL (scale-out, see docs/scale-out.md)')
    .option('--concurrency <n>', 'batches stepped at once in this process (default $REKINDLE_WORKER_CONCURRENCY or 1)')
    .option('--queue <name>', 'queue name (default $REKINDLE_QUEUE or rekindle-steps)')
    .option('--queue-prefix <prefix>', 'Redis key prefix (default $REKINDLE_QUEUE_PREFIX or rekindle)')
    .addHelpText('after', QUEUE_ENV_HELP)
    .action(async (o: WorkerOptions, cmd: Command) => {
      const ctx = commandContext(cmd);
      // The flags first: a mistyped --concurrency is said without opening the database (the copy check opens it).
      const s = queueSettings(process.env, { name: o.queue, prefix: o.queuePrefix, concurrency: o.concurrency ? Number(o.concurrency) : undefined, pgUrl: process.env.REKINDLE_QUEUE_PG_URL || ctx.database.url });
      if (!Number.isInteger(s.concurrency) || s.concurrency < 1) throw new CliError(`--concurrency must be a positive whole number (got "${o.concurrency}")`);
      // A simulation's copy moves no journey (cli/simulation-copy-guard.ts): nothing to step there.
      // Asked before the dialect, so a SQLite copy is said as a copy, not as "give a postgres:// URL".
      // On PostgreSQL the database the check opened is the one the worker runs on.
      const ds = await openToRunUnlessACopy(ctx, { command: 'rekindle worker', refused: 'runs' });
      if (!ds) throw new CliError('workers share the database with the planner: give a postgres:// URL (--db or $DATABASE_URL); SQLite steps in the server itself');
      // BullMQ (and ioredis) are loaded by the commands that use them, not by every command.
      const { startStepWorker } = await import('../../workers/step-worker.js');
      const { shortShopId } = await import('../../workers/shop-check.js');
      const { CommittedBatches } = await import('../../workers/committed-batches.js');
      const { queueConnectionRejections, reportQueueErrors } = await import('../../workers/queue-errors.js');
      const batches = new CommittedBatches();
      const mine = await shopStampOf(ds, shownDatabaseUrl(ctx.database.url));
      const rt = createEngineRuntime(ds, ctx.workspace, systemClock);
      const figures = { jobs: 0, steps: 0, ms: 0 };
      // Why the worker stopped: null for a stop signal.
      let stop: (why: string | null) => void = () => undefined;
      const stopped = new Promise<string | null>((resolve) => (stop = resolve));
      const worker = startStepWorker(
        rt.engine.stepper,
        s,
        (r, ms) => {
          figures.jobs++;
          figures.steps += r.steps;
          figures.ms += ms;
        },
        batches,
        {
          mine,
          // A worker on the wrong database would give back every job it takes: it stops, once, saying why.
          onOtherShop: (id, why) => stop(`worker ${process.pid} stopped: batch ${id ?? '?'}: ${why}`),
        },
      );
      // While Redis is unreachable BullMQ reconnects by itself; say so once per distinct error, not per retry.
      // Attached before anything awaits: the worker connects at once, and an 'error' it emits with no
      // listener yet is printed by BullMQ with its stack (two stack traces before the one line).
      // A job Redis lost after its batch committed is said as such (committed-batches.ts), not as "(retrying)".
      process.on('unhandledRejection', queueConnectionRejections(reportQueueErrors('worker', s, [worker], undefined, (err) => batches.explain(err))));
      worker.on('failed', (job, err) => process.stderr.write(`worker: batch ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message}\n`));
      await worker.waitUntilReady();
      process.stdout.write(`worker ${process.pid}: shop ${shortShopId(mine.shop)} (${mine.db}), queue ${s.prefix}:${s.name} on ${s.backend === 'redis' ? `Redis ${safeUrl(s.redisUrl)}` : 'PostgreSQL (experimental backend)'}, concurrency ${s.concurrency}\n`);
      const report = setInterval(() => {
        if (figures.jobs === 0) return;
        process.stdout.write(`worker ${process.pid}: ${figures.jobs} batch(es), ${figures.steps} step(s), ${Math.round(figures.steps / (figures.ms / 1000 || 1))} steps/s while busy\n`);
        figures.jobs = figures.steps = figures.ms = 0;
      }, 10_000);
      process.once('SIGTERM', () => stop(null));
      process.once('SIGINT', () => stop(null));
      const why = await stopped;
      clearInterval(report);
      await worker.close();
      await ds.destroy();
      if (why !== null) throw new CliError(why);
    });
}
