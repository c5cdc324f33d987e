import pg from 'pg';

/**
 * Jest's global set-up and tear-down for the PostgreSQL test databases (jest.config.js).
 *
 * Set-up stamps the run (REKINDLE_TEST_RUN, its start in ms; jest starts its workers afterwards,
 * so they inherit it): tests/support/databases.ts names each test database `rekindle_t_<stamp>_…`
 * and, when a test is done with one, only closes it to connections. Tear-down drops the run's
 * databases, several at a time. PostgreSQL 15's DROP DATABASE requests a checkpoint and waits for
 * it; dropped one by one inside the tests, each drop waited for every dirty page the other jest
 * worker's tests had written to be written and synced (0.3-3.7 s a database on the 2-core test
 * machine). At the end nothing else writes, and concurrent drops share their checkpoints.
 *
 * Set-up also drops what a run that was killed before its tear-down left (a stamp over 6 h old:
 * no run takes that long, and a run of another checkout on the same cluster is never touched).
 */
const ADMIN_URL = process.env.REKINDLE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'rekindle_t_';
const STALE_MS = 6 * 3_600_000;
const AT_ONCE = 6;

async function admin(fn) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The test databases whose stamp `keep` says to drop; a cluster that cannot be reached has none (the tests say so). */
async function dropWhere(keep) {
  let names;
  try {
    names = await admin(async (c) => (await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'rekindle\\_t\\_%'")).rows.map((r) => r.datname));
  } catch {
    return;
  }
  const due = names.filter((n) => {
    const m = n.slice(PREFIX.length).match(/^(\d{13})_/);
    return m && keep(Number(m[1]));
  });
  let next = 0;
  const worker = () =>
    admin(async (c) => {
      while (next < due.length) await c.query(`DROP DATABASE IF EXISTS ${due[next++]} WITH (FORCE)`);
    });
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, due.length) }, worker));
}

export async function setup() {
  const stamp = Date.now();
  process.env.REKINDLE_TEST_RUN = String(stamp);
  await dropWhere((s) => s < stamp - STALE_MS);
}

export async function teardown() {
  const stamp = Number(process.env.REKINDLE_TEST_RUN);
  if (stamp) await dropWhere((s) => s === stamp);
}
