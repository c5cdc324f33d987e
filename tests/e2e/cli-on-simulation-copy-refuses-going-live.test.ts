/**
 * The command line on a simulation's copy made by `rekindle simulate --copy-of`: the server already
 * answered 409 there to publishing, pausing, resuming and stopping a journey, but
 * `rekindle flows publish|pause|resume|stop --db <copy>` did them — a new version, an audit entry
 * "published", a flow paused — and said "published", so a marketer took a journey for live (or
 * stopped) from a rehearsal file. Now they, and `rekindle worker` and `scheduler` (which on a SQLite
 * copy said only "give a postgres:// URL"), refuse naming the file and how to unmark it, and write
 * nothing (cli/simulation-copy-guard.ts). Reading still works on the copy; after
 * `rekindle simulate unmark --yes` publishing does again.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const dir = tempDir('rekindle-cli-sim-copy-');
const rules = join(dir, 'rules');
const live = join(dir, 'live.sqlite');
const copy = join(dir, 'copy.sqlite');
const COPY = `${copy} is a simulation's copy (payment-reminder, 2026-11-11 – 2026-11-12): nothing is sent and no journey moves`;
const UNMARK = `Nothing was written. Only if ${copy} is a real shop now (a copy promoted, or marked by mistake): rekindle simulate unmark --db ${copy} --yes — a server on it then sends its queued messages to the real customers in it`;

describe("the command line on a simulation's copy made by `rekindle simulate --copy-of`", () => {
  let ds: DataSource;
  const run = (...args: string[]) => cli(['--db', copy, '--rules', rules, ...args]);
  /** What a publish, pause, resume or stop writes, and what a worker or scheduler would move. */
  const state = async () => ({
    flows: await queryRows(ds, 'SELECT id, status FROM flows ORDER BY id'),
    versions: await queryRows(ds, 'SELECT flow_id, version FROM flow_versions ORDER BY flow_id, version'),
    audit: await queryRows(ds, 'SELECT id, action, target FROM audit_log ORDER BY id'),
    enrollments: await queryRows(ds, 'SELECT status, COUNT(*) AS n FROM enrollments GROUP BY status ORDER BY status'),
    sends: await queryRows(ds, 'SELECT status, COUNT(*) AS n FROM sends GROUP BY status ORDER BY status'),
  });

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    expect((await cli(['--db', live, '--rules', rules, 'seed', '--customers', '500', '--now', '2026-11-20T00:00:00+08:00'])).code).toBe(0);
    // Live journeys the copy takes along: post-purchase-care stays active in it.
    for (const flow of ['payment-reminder', 'post-purchase-care']) expect((await cli(['--db', live, '--rules', rules, 'flows', 'publish', flow])).code).toBe(0);
    const sim = await cli(['--db', copy, '--rules', rules, '--json', 'simulate', 'payment-reminder', '--copy-of', live, '--from', '2026-11-11T00:00:00+08:00', '--days', '1', '--no-delivery']);
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout).simulationCopy).toBe(true);
    ds = await openDatabase({ url: copy });
  }, 120_000);
  afterAll(async () => {
    await ds?.destroy();
  });

  it('refuses `flows publish|pause|resume|stop`, naming the file and how to unmark it; no version, no audit entry, no status change', async () => {
    const before = await state();
    expect(before.flows).toContainEqual({ id: 'post-purchase-care', status: 'active' });
    expect(before.sends.length).toBeGreaterThan(0);
    for (const [action, flow] of [
      ['publish', 'pre-sleep'],
      ['pause', 'post-purchase-care'],
      ['resume', 'payment-reminder'],
      ['stop', 'post-purchase-care'],
    ]) {
      const r = await run('flows', action, flow);
      expect({ action, code: r.code, stdout: r.stdout }).toEqual({ action, code: 1, stdout: '' });
      expect(r.stderr).toBe(`error: rekindle flows ${action} ${flow} is refused: ${COPY}; a journey published, paused, resumed or stopped in it would run nowhere: do it on the live shop's database. ${UNMARK}\n`);
    }
    // --without-approval does not make it go live either.
    expect((await run('flows', 'publish', 'pre-sleep', '--without-approval')).stderr).toContain(`is refused: ${COPY}`);
    expect(await state()).toEqual(before);
  }, 60_000);

  it.each(['worker', 'scheduler'])('refuses `rekindle %s` on the SQLite copy as a copy (not "give a postgres:// URL"), moving and sending nothing', async (command) => {
    const before = await state();
    const r = await run(command, ...(command === 'scheduler' ? ['--once'] : []));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: rekindle ${command} does not run: ${COPY}; nothing is stepped, planned or sent from it. ${UNMARK}\n`);
    expect(await state()).toEqual(before);
  }, 60_000);

  it('still reads: flows list, report, explain, audit, export sends and validate --live answer as on any database', async () => {
    const list = await run('flows', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^post-purchase-care +active +v1/m);
    const report = await run('report', 'payment-reminder');
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const [customer] = await queryRows<{ external_id: string }>(ds, 'SELECT c.external_id FROM customers c JOIN sends s ON s.customer_id = c.id ORDER BY s.id LIMIT 1');
    expect((await run('explain', customer.external_id)).code).toBe(0);
    const audit = await run('audit');
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('post-purchase-care');
    const sends = await run('export', 'sends', '--format', 'csv');
    expect(sends.code).toBe(0);
    expect(sends.stdout.split('\n').length).toBeGreaterThan(2);
    expect((await run('validate', '--live')).code).toBe(0);
  }, 60_000);

  it('after `rekindle simulate unmark --yes` publishes and pauses again, and worker is refused only for SQLite', async () => {
    expect((await run('simulate', 'unmark', '--yes')).code).toBe(0);
    const published = await run('flows', 'publish', 'pre-sleep');
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^published pre-sleep v1 /);
    expect((await run('flows', 'pause', 'post-purchase-care')).stdout).toMatch(/^post-purchase-care: paused/);
    expect(await queryRows(ds, "SELECT id, status FROM flows WHERE id IN ('pre-sleep', 'post-purchase-care') ORDER BY id")).toEqual([
      { id: 'post-purchase-care', status: 'paused' },
      { id: 'pre-sleep', status: 'active' },
    ]);
    expect((await queryRows(ds, "SELECT action FROM audit_log WHERE target = 'flow:pre-sleep'")).map((r) => r.action)).toEqual(['flow-published']);
    expect((await run('worker')).stderr).toContain('give a postgres:// URL');
  }, 60_000);
});
