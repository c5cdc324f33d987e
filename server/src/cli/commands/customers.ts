import { formatShopTime } from '../../core/engine/local-time.js';
import type { Command } from 'commander';
import { listDeleted, restore, softDelete, type CustomerRecord } from '../../persistence/shop-repository.js';
import { writeTransaction } from '../../persistence/write-transaction.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';
import { registerCustomersErase } from './customers-erase.js';
import type { RegisterCommand } from './index.js';

const line = (c: CustomerRecord, timezone: string) =>
  `${c.externalId}\t${c.name ?? ''}\tdeleted ${c.deletedAt === null ? '-' : formatShopTime(c.deletedAt, timezone)}${c.erasedAt === null ? '' : `\terased ${formatShopTime(c.erasedAt, timezone)}`}`;

/** `rekindle customers delete|restore|erase <externalId>` and `rekindle customers bin` (the recycle bin). */
export const registerCustomers: RegisterCommand = (program) => {
  const customers = program.command('customers').description('the recycle bin: move customers to it, restore them, list it, erase their personal data');

  customers
    .command('delete')
    .description('move a customer to the recycle bin (orders and events are kept; segments and journeys skip them)')
    .argument('<externalId>')
    .action(async (externalId: string, _opts: unknown, cmd: Command) => {
      const ctx = commandContext(cmd);
      const c = await withDatabase(ctx, (ds) => writeTransaction(ds, (m) => softDelete(m, externalId, { now: ctx.clock.now(), timezone: ctx.workspace.shop.timezone })), { existing: true });
      if (!c) throw new CliError(`customer "${externalId}" not found (or already in the recycle bin)`);
      output(ctx, c, () => `moved ${externalId} to the recycle bin`);
    });

  customers
    .command('restore')
    .description('bring a customer back from the recycle bin (facts are recomputed)')
    .argument('<externalId>')
    .action(async (externalId: string, _opts: unknown, cmd: Command) => {
      const ctx = commandContext(cmd);
      const c = await withDatabase(ctx, (ds) => writeTransaction(ds, (m) => restore(m, externalId, { now: ctx.clock.now(), timezone: ctx.workspace.shop.timezone })), { existing: true });
      if (!c) throw new CliError(`customer "${externalId}" is not in the recycle bin (or their personal data was erased: an erased customer cannot be restored)`);
      output(ctx, c, () => `restored ${externalId}`);
    });

  customers
    .command('bin')
    .description('list the recycle bin, most recently deleted first')
    .option('--limit <n>', 'at most this many', '100')
    .option('--offset <n>', 'skip this many', '0')
    .action(async (opts: { limit: string; offset: string }, cmd: Command) => {
      const limit = Number(opts.limit);
      const offset = Number(opts.offset);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit: expected a positive whole number, got "${opts.limit}"`);
      if (!Number.isInteger(offset) || offset < 0) throw new CliError(`--offset: expected a whole number >= 0, got "${opts.offset}"`);
      const ctx = commandContext(cmd);
      const page = await withDatabase(ctx, (ds) => listDeleted(ds.manager, { limit, offset }), { existing: true });
      output(ctx, page, () => (page.total === 0 ? 'the recycle bin is empty' : [`${page.total} customers in the recycle bin`, ...page.items.map((c) => line(c, ctx.workspace.shop.timezone))].join('\n')));
    });

  registerCustomersErase(customers);
};
