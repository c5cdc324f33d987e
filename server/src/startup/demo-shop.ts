import { openWorkspace } from '../config/workspace.js';
import { generateDemoShop } from '../core/seed/generate-shop.js';
import { bulkWriteShop, countCustomers } from '../persistence/bulk-writer.js';
import { cannotOpenDatabase, openDatabase, type DatabaseTarget } from '../persistence/data-source.js';

export const DEMO_SEED = 42;
export const DEFAULT_DEMO_CUSTOMERS = 20_000;

export interface DemoShopOptions {
  /** Default: $REKINDLE_DEMO_CUSTOMERS or 20,000 (tests use a few hundred). */
  customers?: number;
  /**
   * false: an empty database stays empty and the log says how to fill it. Only `npm start` (the
   * newcomer's command, scripts/start.sh) asks for the demo: the production path (`npm run serve`,
   * a new PostgreSQL shop) used to get 20,000 made-up customers and 54,000 orders mixed into the real
   * shop's segments, counts and exports, with ids (c000001…) that a real import could merge into.
   * Default true, as the tests that call it directly expect.
   */
  generate?: boolean;
  /** The demo's "today"; default the current time, so the demo shop looks alive when opened. */
  now?: number;
  log?: (line: string) => void;
}

/**
 * When the database is empty, generate the demo shop so a newcomer sees a living product
 * (`npm start`), unless `generate: false`. A shop with any customer is never touched.
 */
export async function ensureDemoShop(database: DatabaseTarget, rulesDir: string, options: DemoShopOptions = {}): Promise<{ seeded: boolean; customers: number }> {
  const { shop } = openWorkspace(rulesDir);
  const ds = await openDatabase(database).catch((e: unknown) => {
    // The first thing start-up does with the database: a wrong DATABASE_URL said only
    // "connect ECONNREFUSED 127.0.0.1:1", not which setting to look at.
    throw new Error(cannotOpenDatabase(database, e, 'from DATABASE_URL'));
  });
  try {
    const existing = await countCustomers(ds);
    if (existing > 0) return { seeded: false, customers: existing };
    if (options.generate === false) {
      (options.log ?? console.log)(
        "Empty database: no customers yet. Import the shop's customers and orders (`rekindle import customers <file>`, POST /api/import/customers; docs/data-import.md); only `npm start` generates a demo shop",
      );
      return { seeded: false, customers: 0 };
    }
    const customers = options.customers ?? (Number(process.env.REKINDLE_DEMO_CUSTOMERS) || DEFAULT_DEMO_CUSTOMERS);
    // Startup code, not core: reading the wall clock here is the point (the demo is "today").
    const now = options.now ?? Date.now();
    const started = performance.now();
    const written = await bulkWriteShop(ds, generateDemoShop({ customers, seed: DEMO_SEED, now, timezone: shop.timezone }), { timezone: shop.timezone, now });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    (options.log ?? console.log)(
      `Empty database: generated the demo shop (${written.customers} customers, ${written.orders} orders, seed ${DEMO_SEED}) in ${seconds} s; \`rekindle seed --reset\` regenerates it`,
    );
    return { seeded: true, customers: written.customers };
  } finally {
    await ds.destroy();
  }
}
