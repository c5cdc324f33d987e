import type { ShopStamp } from '../persistence/shop-identity.js';
import type { StepJobData } from './step-job.js';

/** A short form of a shop id for lines an operator compares by eye (the first group of the UUID). */
export function shortShopId(id: string): string {
  return id.slice(0, 8);
}

const GIVEN_BACK = 'The batch goes back on the queue, untouched, for a worker of its database';

/**
 * Why a worker must not step a job, or null: the job was planned on another database than the
 * worker's — another shop's, or a copy of the same shop (a restored backup, CREATE DATABASE …
 * TEMPLATE: the same shop id, another database). Every enrollment id in it would be looked up in
 * the wrong database, where none is due (or, worse, an unrelated journey with the same id is), so
 * the worker stepped nothing the planner meant and reported the batch done; the planner planned
 * the same journeys again a tick later, for ever. `prefix`: the worker's queue prefix, which two
 * shops that are both meant to run must not share. A job without a stamp (planned by a version
 * before it) is taken as before.
 */
export function otherShopsJob(data: StepJobData, mine: ShopStamp, prefix: string): string | null {
  if (typeof data?.shop !== 'string') return null;
  const theirs = data.db ?? "the planner's database";
  if (data.shop !== mine.shop) {
    return (
      `this batch was planned on shop ${shortShopId(data.shop)} (${theirs}), but this worker's database is shop ${shortShopId(mine.shop)} (${mine.db}): ` +
      `set the worker's DATABASE_URL (or --db) to the planner's database, or, if both shops are meant to run, give each its own REKINDLE_QUEUE_PREFIX (this worker's is ${prefix}). ${GIVEN_BACK}`
    );
  }
  if (typeof data.dbid === 'string' && mine.dbid !== undefined && data.dbid !== mine.dbid) {
    return (
      `this batch was planned on ${theirs}, but this worker's database ${mine.db} is a copy of it (the same shop ${shortShopId(mine.shop)}, another database: a restored backup, or CREATE DATABASE … TEMPLATE): ` +
      `set the worker's DATABASE_URL (or --db) to the planner's database. ${GIVEN_BACK}`
    );
  }
  return null;
}
