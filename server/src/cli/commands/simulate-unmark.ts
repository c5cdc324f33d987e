import type { Command } from 'commander';
import { shownDatabaseUrl } from '../../persistence/data-source.js';
import { unmarkSimulationCopy } from '../../persistence/simulation-copy-mark.js';
import { simulationCopyHold } from '../../runtime/simulation-copy-hold.js';
import { CliError, cliActor, commandContext, output, withDatabase } from '../context.js';

interface UnmarkOptions {
  yes?: boolean;
}

/**
 * `rekindle simulate unmark --db <copy> --yes`: removes the mark `simulate --copy-of` put on its
 * copy (runtime/simulation-copy-hold.ts), for a copy marked by mistake or one promoted to a real
 * shop (a staging restore) — before, only SQL did it. A subcommand of `simulate`, where the mark is
 * made and where `rekindle simulate --help` lists it. Without --yes it only says what the mark holds
 * and what removing it does: a server on the file then delivers the queued messages to the real
 * customers in it and steps its waiting journeys, so that is never done by a slip.
 */
export function registerSimulateUnmark(simulate: Command): void {
  simulate
    .command('unmark')
    .description("remove the simulation's-copy mark from --db: a server on it then sends and moves journeys (needs --yes)")
    .option('--yes', 'remove the mark (without it: only say what it is and what removing it does)')
    .action(async (o: UnmarkOptions, cmd: Command) => {
      const ctx = commandContext(cmd);
      const db = shownDatabaseUrl(ctx.database.url);
      await withDatabase(
        ctx,
        async (ds) => {
          const hold = await simulationCopyHold(ds, ctx.workspace.shop.timezone);
          if (!hold) throw new CliError(`--db ${db} is not a simulation's copy: there is no mark to remove`);
          const after = `after unmarking, a server on ${db} WILL send the messages queued in it to the real customers in it and step its waiting journeys (as will rekindle worker and scheduler)`;
          if (!o.yes) throw new CliError(`${hold.line.replace('this database', db)}; ${after}. Check that is what you want, then run again with --yes`);
          const runs = await unmarkSimulationCopy(ds, { actor: cliActor(), target: `database:${db}`, at: ctx.clock.now() });
          output(ctx, { database: db, unmarked: runs }, () => `unmarked ${db}: ${hold.line.replace('this database is', 'it was').replace(/: nothing is sent and no journey moves$/, '')}; ${after.replace(/^after unmarking, /, 'from now on ')}`);
        },
        { existing: true },
      );
    });
}
