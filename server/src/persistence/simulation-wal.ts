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
 * grown again at each checkpoint. And without fsyncs (`synchronous = OFF`): with NORMAL each
 * checkpoint waited for the disk to take its 256 MB (in bench/double11 at 300,000 customers the 16
 * checkpoints' commits took 5.3 s, 3.0 s without), for durability against a power cut that a
 * simulation's copy does not need: a run cut short is of no use and is made again (the CLI removes
 * a copy whose run failed), and a process that dies leaves the WAL as whole as with NORMAL. Only
 * this connection's: whoever opens the copy afterwards (a server on it) syncs as usual.
 * PostgreSQL: nothing to set.
 */
export async function widenWalForSimulation(ds: DataSource): Promise<void> {
  if (!isSqlite(ds)) return;
  await ds.query(`PRAGMA wal_autocheckpoint = ${SIMULATION_WAL_AUTOCHECKPOINT}`);
  await ds.query(`PRAGMA journal_size_limit = ${SIMULATION_WAL_AUTOCHECKPOINT * 4096}`);
  await ds.query('PRAGMA synchronous = OFF');
}
