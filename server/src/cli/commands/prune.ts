import type { Command } from 'commander';
import type { z } from 'zod';
import { SETTINGS, setting } from '../../config/settings.js';
import { runEventRetention, retentionRunText } from '../../runtime/event-retention-run.js';
import { CliError, cliActor, commandContext, output, withDatabase } from '../context.js';

/** A flag that stands for a setting, checked by the setting's own schema (the same limits, the flag named). */
function daysFlag(flag: string, name: 'REKINDLE_EVENT_RETENTION_DAYS' | 'REKINDLE_CONSUMED_EVENT_RETENTION_DAYS', given: string | undefined): number | null {
  if (given === undefined) return setting(name) ?? null;
  const r = (SETTINGS[name].schema as z.ZodType<number | undefined>).safeParse(given);
  if (!r.success || r.data === undefined) throw new CliError(`${flag}: ${r.success ? 'expected a whole number of days' : r.error.issues.map((i) => i.message).join(', ')} (got ${JSON.stringify(given)})`);
  return r.data;
}

/**
 * `rekindle prune`: what the retention settings let go of the event log (customer_events) and of
 * the engine's record of acting on events (consumed_events), deleted in short batches as the
 * server's schedule does; `--dry-run` counts the same rows and deletes nothing.
 */
export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description('delete customer events (and the engine\'s records of acting on them) older than the retention settings; --dry-run only counts')
    .option('--dry-run', 'say what would be deleted (rows per table, the cut-off on the shop\'s clock) and delete nothing')
    .option('--events-days <n>', 'keep events this many days (default: $REKINDLE_EVENT_RETENTION_DAYS)')
    .option('--consumed-days <n>', 'keep consumed_events rows this many days (default: $REKINDLE_CONSUMED_EVENT_RETENTION_DAYS, else as long as their events)')
    .option('--at <instant>', 'prune as of this instant instead of now (the shop\'s wall clock unless it has an offset)')
    .action(async (o: { dryRun?: boolean; eventsDays?: string; consumedDays?: string; at?: string }, cmd: Command) => {
      const eventDays = daysFlag('--events-days', 'REKINDLE_EVENT_RETENTION_DAYS', o.eventsDays);
      const consumedDays = daysFlag('--consumed-days', 'REKINDLE_CONSUMED_EVENT_RETENTION_DAYS', o.consumedDays);
      if (eventDays === null && consumedDays === null)
        throw new CliError('nothing to prune: no retention is set (REKINDLE_EVENT_RETENTION_DAYS, REKINDLE_CONSUMED_EVENT_RETENTION_DAYS, or --events-days / --consumed-days); events are kept forever');
      const ctx = commandContext(cmd, o.at);
      await withDatabase(
        ctx,
        async (ds) => {
          const run = await runEventRetention(ds, ctx.workspace, ctx.clock, { eventDays, consumedDays, batch: setting('REKINDLE_PRUNE_BATCH') }, !!o.dryRun, cliActor());
          const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
          output(
            ctx,
            {
              dryRun: run.dryRun,
              eventsBefore: iso(run.plan.eventsBefore),
              configuredEventsBefore: iso(run.plan.configuredEventsBefore),
              consumedBefore: iso(run.plan.consumedBefore),
              clamped: run.clamped,
              deleted: run.dryRun ? null : { customer_events: run.counts.events, consumed_events: run.counts.consumedEvents },
              wouldDelete: run.dryRun ? { customer_events: run.counts.events, consumed_events: run.counts.consumedEvents } : null,
            },
            () => `${run.dryRun ? 'dry run, nothing deleted: ' : ''}${retentionRunText(run)}`,
          );
        },
        { existing: true },
      );
    });
}
