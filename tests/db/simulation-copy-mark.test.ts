/**
 * The mark of a simulation's copy (migration SimulationCopy, persistence/simulation-copy-mark.ts)
 * on both dialects, and what it holds outside the server: `rekindle worker` and `rekindle scheduler`
 * refuse to step or plan on a simulation's copy, saying which simulation it holds (cli/simulation-copy-guard.ts;
 * on a SQLite copy: tests/e2e/cli-on-simulation-copy-refuses-going-live.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase, shownDatabaseUrl, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { markSimulationCopy, simulationRunsIn } from '../../server/src/persistence/simulation-copy-mark.js';
import { simulationCopyHold } from '../../server/src/runtime/simulation-copy-hold.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';

const TZ = 'Asia/Shanghai';
const FROM = Date.parse('2026-11-01T00:00:00+08:00');
const DAY = 86_400_000;

describe.each(DIALECTS)("a simulation's copy on %s", (dialect) => {
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  let ds: DataSource;

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    target = t.target;
    drop = t.drop;
    ds = await openDatabase(target);
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it('is no simulation\'s copy until marked (the live shop never is)', async () => {
    expect(await simulationRunsIn(ds)).toEqual([]);
    expect(await simulationCopyHold(ds, TZ)).toBeNull();
  });

  it('keeps each simulation run in it, flow and virtual period, and says them in one line', async () => {
    await markSimulationCopy(ds, { flowId: 'payment-reminder', from: FROM, to: FROM + DAY }, FROM + 40 * DAY);
    await markSimulationCopy(ds, { flowId: 'winback', from: FROM + DAY / 2, to: FROM + 7.5 * DAY }, FROM + 41 * DAY);
    expect(await simulationRunsIn(ds)).toEqual([
      { flowId: 'payment-reminder', from: FROM, to: FROM + DAY },
      { flowId: 'winback', from: FROM + DAY / 2, to: FROM + 7.5 * DAY },
    ]);
    expect((await simulationCopyHold(ds, TZ))?.line).toBe("this database is a simulation's copy (payment-reminder, 2026-11-01 – 2026-11-02; winback, 2026-11-01 12:00 – 2026-11-08 12:00): nothing is sent and no journey moves");
  });

  it.each(['worker', 'scheduler'])('`rekindle %s` refuses to run on it, naming the simulation and how to unmark it (on SQLite too: not "give a postgres:// URL")', async (command) => {
    const r = await cli(['--db', target.url, command, ...(command === 'scheduler' ? ['--once'] : [])]);
    expect(r.code).not.toBe(0);
    const db = shownDatabaseUrl(target.url);
    expect(r.stderr).toContain(`rekindle ${command} does not run: ${db} is a simulation's copy (payment-reminder, 2026-11-01 – 2026-11-02; winback, 2026-11-01 12:00 – 2026-11-08 12:00): nothing is sent and no journey moves; nothing is stepped, planned or sent from it. Nothing was written.`);
    expect(r.stderr).toContain(`rekindle simulate unmark --db ${db} --yes`);
    expect(r.stdout).toBe('');
  }, 60_000);
});
