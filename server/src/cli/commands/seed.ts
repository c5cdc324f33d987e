import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseShopInstant } from '../../core/shop-instant.js';
import { generateDemoShop } from '../../core/seed/generate-shop.js';
import { seedFromText } from '../../core/seed/prng.js';
import { bulkWriteShop, countCustomers, resetShop } from '../../persistence/bulk-writer.js';
import { shownDatabaseUrl } from '../../persistence/data-source.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';
import type { RegisterCommand } from './index.js';

interface SeedOptions {
  customers: string;
  seed: string;
  now?: string;
  reset?: boolean;
}

/**
 * `rekindle seed`: fills the database with the deterministic demo clothing shop (docs/demo-shop.md).
 * Same --customers, --seed and --now give byte-identical data, so benchmarks and bug reports can
 * name the exact shop they ran on.
 */
export const registerSeed: RegisterCommand = (program: Command) => {
  program
    .command('seed')
    .description('generate the demo clothing shop (customers, orders, facts) into the database')
    .option('--customers <n>', 'number of customers', '20000')
    .option('--seed <s>', 'random seed (same seed, customers and --now give the same shop)', '42')
    .option('--now <iso>', "the shop's today (default: the current time)")
    .option('--reset', 'empty the shop tables first (required when the shop is not empty)')
    .action(async (o: SeedOptions, cmd: Command) => {
      const ctx = commandContext(cmd);
      const customers = Number(o.customers);
      if (!Number.isInteger(customers) || customers < 1) throw new CliError(`--customers: "${o.customers}" is not a positive whole number`);
      let now: number;
      try {
        now = o.now ? parseShopInstant(o.now, '--now', ctx.workspace.shop.timezone) : ctx.clock.now();
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const seed = seedFromText(o.seed);
      const timezone = ctx.workspace.shop.timezone;

      const result = await withDatabase(ctx, async (ds) => {
        const existing = await countCustomers(ds);
        if (existing > 0 && !o.reset) {
          throw new CliError(`the shop in ${shownDatabaseUrl(ctx.database.url)} already has ${existing} customers; run with --reset to replace them with the demo shop`);
        }
        if (o.reset) await resetShop(ds);
        const bar = ctx.json ? null : new cliProgress.SingleBar({ stream: process.stderr, format: 'seeding [{bar}] {percentage}% | {value}/{total} customers | {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic);
        bar?.start(customers, 0);
        const started = performance.now();
        try {
          const written = await bulkWriteShop(ds, generateDemoShop({ customers, seed, now, timezone }), {
            timezone,
            now,
            onProgress: (n) => bar?.update(n),
          });
          return { ...written, seconds: Math.round((performance.now() - started) / 100) / 10 };
        } finally {
          bar?.stop();
        }
      });

      const nowIso = new Date(now).toISOString();
      output(ctx, { ...result, seed: o.seed, now: nowIso, timezone, database: shownDatabaseUrl(ctx.database.url) }, () =>
        `Seeded ${result.customers} customers and ${result.orders} orders (seed ${o.seed}, now ${nowIso}, ${timezone}) into ${shownDatabaseUrl(ctx.database.url)} in ${result.seconds} s`,
      );
    });
};
