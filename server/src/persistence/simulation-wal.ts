import type { DataSource } from 'typeorm';
import { DEFAULT_WAL_AUTOCHECKPOINT } from './data-source.js';
import { isSqlite } from './write-transaction.js';

/**
 * WAL pages after which a simulation's SQLite connection checkpoints (4× a connection's default,
 * 256 MB). A simulation writes its copy of the shop as fast as it can, and its batches rewrite the
 * same pages (index ends, the enrollments they move, random-key index pages) many times between
 * two checkpoints: the longer the span, the more of those rewrites a checkpoint copies to the file
 * once instead of once per span. Nothing else reads the copy meanwhile, so the longer WAL costs no
 * reader anything.
 */
export const SIMULATION_WAL_AUTOCHECKPOINT = 4 * DEFAULT_WAL_AUTOCHECKPOINT;

/**
 * Sets a simulation's connection to checkpoint every SIMULATION_WAL_AUTOCHECKPOINT pages, and keeps
 * a WAL file of that size when it starts over (journal_size_limit), so the file is not cut back and
 * grown again at each checkpoint. PostgreSQL: nothing to set.
 */
export async function widenWalForSimulation(ds: DataSource): Promise<void> {
  if (!isSqlite(ds)) return;
  await ds.query(`PRAGMA wal_autocheckpoint = ${SIMULATION_WAL_AUTOCHECKPOINT}`);
  await ds.query(`PRAGMA journal_size_limit = ${SIMULATION_WAL_AUTOCHECKPOINT * 4096}`);
}
