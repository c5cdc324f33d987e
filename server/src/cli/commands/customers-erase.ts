import type { Command } from 'commander';
import { eraseCustomer } from '../../persistence/customer-erase.js';
import { CliError, cliActor, commandContext, output, withDatabase } from '../context.js';

/**
 * `rekindle customers erase <externalId> --yes`: erases the personal data of a customer in the
 * recycle bin at their request (PIPL 删除权; docs/data-import.md). It cannot be undone, so it
 * runs only with --yes, and only on a customer already in the bin.
 */
export function registerCustomersErase(customers: Command): void {
  customers
    .command('erase')
    .description("erase a binned customer's personal data for good at their request (name, contacts, message texts, event texts); counts and reports are kept")
    .argument('<externalId>')
    .option('--yes', 'really erase: it cannot be undone')
    .action(async (externalId: string, opts: { yes?: boolean }, cmd: Command) => {
      if (!opts.yes) throw new CliError(`erasing "${externalId}" cannot be undone: run again with --yes to erase their personal data`);
      const ctx = commandContext(cmd);
      const r = await withDatabase(ctx, (ds) => eraseCustomer(ds, externalId, { now: ctx.clock.now(), actor: cliActor() }), { existing: true });
      if (r.kind === 'not-found') throw new CliError(`customer "${externalId}" not found`);
      if (r.kind === 'not-in-bin') throw new CliError(`customer "${externalId}" is not in the recycle bin: move them there first (rekindle customers delete ${externalId}), then erase`);
      output(ctx, r, () => `${r.again ? 'erased again' : 'erased'} the personal data of ${externalId} (${r.sends} messages and ${r.events} events blanked); they stay in the recycle bin and cannot be restored`);
    });
}
