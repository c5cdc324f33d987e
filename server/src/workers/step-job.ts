import type { StepJob } from '../core/engine/step-queue.js';
import type { ShopStamp } from '../persistence/shop-identity.js';

/**
 * What a stepping job carries on Redis: the instant and the batch's enrollment and customer ids
 * (never the rows: the worker re-reads and locks them in the batch's transaction, so a job that
 * runs twice finds its enrollments moved on). A job is a batch of customers, never one.
 */
export interface StepJobData {
  now: number;
  ids: number[];
  customers: number[];
  /** The planner's shop id, database as shown in logs and physical database (shop-check.ts); absent in jobs of versions before them. */
  shop?: string;
  db?: string;
  dbid?: string;
}

export function toJobData(job: StepJob, stamp?: ShopStamp): StepJobData {
  const data: StepJobData = { now: job.now, ids: job.enrollments.map((e) => e.id), customers: job.enrollments.map((e) => e.customerId) };
  return stamp ? { ...data, shop: stamp.shop, db: stamp.db, ...(stamp.dbid !== undefined ? { dbid: stamp.dbid } : {}) } : data;
}

export function refsOf(data: StepJobData): { id: number; customerId: number }[] {
  if (!Array.isArray(data?.ids) || !Array.isArray(data.customers) || data.ids.length !== data.customers.length || typeof data.now !== 'number') {
    throw new Error('stepping job: malformed data (expected { now, ids[], customers[] })');
  }
  return data.ids.map((id, i) => ({ id, customerId: data.customers[i] }));
}

/** The same batch planned twice for the same instant is the same job (BullMQ ignores a second add). */
export function jobIdOf(data: StepJobData): string {
  return `${data.now}-${data.ids[0]}-${data.ids[data.ids.length - 1]}-${data.ids.length}`;
}
