import type { StepJobData } from './step-job.js';

/** Which shop a process works for: its database's shop id (persistence/shop-identity.ts) and that database as logs show it (no password). */
export interface ShopStamp {
  shop: string;
  db: string;
}

/** A short form of a shop id for lines an operator compares by eye (the first group of the UUID). */
export function shortShopId(id: string): string {
  return id.slice(0, 8);
}

/**
 * Why a worker must not step a job, or null: the job was planned on another shop's database than
 * the worker's. Every enrollment id in it would be looked up in the wrong database, where none is
 * due (or, worse, an unrelated journey with the same id is), so the worker stepped nothing and
 * reported the batch done; the planner planned the same journeys again a tick later, for ever.
 * A job without a stamp (planned by a version before the stamp) is taken as before.
 */
export function otherShopsJob(data: StepJobData, mine: ShopStamp): string | null {
  if (typeof data?.shop !== 'string' || data.shop === mine.shop) return null;
  return (
    `this batch was planned on shop ${shortShopId(data.shop)} (${data.db ?? 'the planner’s database'}), but this worker's database is shop ${shortShopId(mine.shop)} (${mine.db}): ` +
    'set the worker’s DATABASE_URL (or --db) to the planner’s database. The batch goes back on the queue, untouched, for a worker of its shop'
  );
}
