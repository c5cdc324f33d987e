/**
 * `rekindle simulate unmark`: the mark of a simulation's copy (persistence/simulation-copy-mark.ts)
 * taken off by the CLI, on both dialects — it says what the mark is and refuses without --yes, names
 * the database when it is no copy, and with --yes removes the mark and records who did in the audit
 * log, so a server on the database runs again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase, shownDatabaseUrl, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { AuditLog } from '../../server/src/persistence/audit-log.js';
import { markSimulationCopy, simulationRunsIn } from '../../server/src/persistence/simulation-copy-mark.js';
import { simulationCopyHold } from '../../server/src/runtime/simulation-copy-hold.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';

const TZ = 'Asia/Shanghai';
const FROM = Date.parse('2026-11-01T00:00:00+08:00');
const DAY = 86_400_000;

describe.each(DIALECTS)("rekindle simulate unmark on %s", (dialect) => {
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let shown: string;

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    target = t.target;
    drop = t.drop;
    shown = shownDatabaseUrl(target.url);
    ds = await openDatabase(target);
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it('refuses a database that is no copy, naming it', async () => {
    const r = await cli(['--db', target.url, 'simulate', 'unmark', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--db ${shown} is not a simulation's copy: there is no mark to remove`);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('without --yes says which simulation the mark holds and that a server will then send to real customers, and keeps the mark', async () => {
    await markSimulationCopy(ds, { flowId: 'payment-reminder', from: FROM, to: FROM + DAY }, FROM + 40 * DAY);
    const r = await cli(['simulate', 'unmark', '--db', target.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${shown} is a simulation's copy (payment-reminder, 2026-11-01 – 2026-11-02)`);
    expect(r.stderr).toContain(`after unmarking, a server on ${shown} WILL send the messages queued in it to the real customers in it and step its waiting journeys`);
    expect(r.stderr).toContain('run again with --yes');
    expect(await simulationRunsIn(ds)).toHaveLength(1);
    expect(await new AuditLog(ds).list({ action: 'simulation-copy-unmarked' })).toEqual([]);
  }, 60_000);

  it('with --yes removes the mark, says what it was, and records it in the audit log', async () => {
    const r = await cli(['--db', target.url, 'simulate', 'unmark', '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`unmarked ${shown}: it was a simulation's copy (payment-reminder, 2026-11-01 – 2026-11-02)`);
    expect(r.stdout).toContain(`from now on a server on ${shown} WILL send the messages queued in it`);
    expect(await simulationRunsIn(ds)).toEqual([]);
    expect(await simulationCopyHold(ds, TZ)).toBeNull();
    const [entry] = await new AuditLog(ds).list({ action: 'simulation-copy-unmarked' });
    expect(entry).toMatchObject({ actor: expect.stringMatching(/^cli/), target: `database:${shown}`, detail: { runs: [{ flowId: 'payment-reminder', from: FROM, to: FROM + DAY }] } });
  }, 60_000);
});
