/**
 * `rekindle simulate <flow> --db <file>` straight into an existing database (no --copy-of) runs the
 * flow under its own id, in virtual time ahead of the server's clock. A server on that database
 * showed the flow's row on the journeys home with 0 entered in its 7- and 30-day windows (they end
 * at the server's clock) while the flow's funnel showed the simulated entries. The row now reads the
 * flow like a simulation's copy: windows ending at the simulation's last step, and `simulatedAt`
 * (the designer's 模拟数据，截至 …).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { experimentReportTime } from '../../server/src/persistence/report-time.js';
import { cli } from '../support/cli.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const RULES = 'rules';
/** The server's clock: the day before the simulated launch. */
const NOW = Date.parse('2027-04-19T12:00:00+08:00');
const FROM = '2027-04-20T00:00:00+08:00';

describe('the journeys home after a simulation straight into the database (--db, no copy)', () => {
  const db = join(tempDir('rekindle-home-sim-db-'), 'shop.sqlite');
  let api: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    expect((await cli(['--db', db, '--rules', RULES, 'seed', '--customers', '400', '--now', '2027-04-19T00:00:00+08:00'])).code).toBe(0);
    const sim = await cli(['--db', db, '--rules', RULES, '--json', 'simulate', 'new-product-launch', '--from', FROM, '--days', '2']);
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout).simulatedAs).toBeUndefined(); // run under the flow's own id
    // The user's own database (perhaps the live shop under another path) is not marked as a
    // simulation's copy: a server on it still sends and steps (runtime/simulation-copy-hold.ts).
    expect(JSON.parse(sim.stdout).simulationCopy).toBe(false);
    api = await createTestApp({ database: { url: db }, rulesDir: RULES, clock: fixedClock(NOW), schedulers: false });
    ds = api.app.get(DataSource);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it("shows the flow's simulated entries in its windows, as its funnel does, ending at the simulation's last step (it said 0)", async () => {
    const funnel = (await api.http('analyst').get('/api/flows/new-product-launch/funnel').expect(200)).body;
    const entered = funnel.nodes.find((n: { type: string }) => n.type === 'entry').entered;
    expect(entered).toBeGreaterThan(0);
    const home = (await api.http('analyst').get('/api/home').expect(200)).body;
    const row = home.flows.find((f: { id: string }) => f.id === 'new-product-launch');
    // Two simulated days: every entry is within the last 7 (and 30) days of the simulation's last step.
    expect({ last7: row.last7.entered, last30: row.last30.entered }).toEqual({ last7: entered, last30: entered });
    expect(row.daily.reduce((a: number, b: number) => a + b, 0)).toBe(entered);
    const lastStep = await experimentReportTime(ds, 'new-product-launch', NOW);
    expect(lastStep).toBeGreaterThan(NOW);
    expect(row.simulatedAt).toBe(lastStep);
    // A flow that was not simulated keeps today's windows and no label.
    expect(home.flows.find((f: { id: string }) => f.id === 'payment-reminder').simulatedAt).toBeNull();
  });

  it("is not made a simulation's copy: simulate did not copy it, so the server on it is not held, and simulate says so", async () => {
    expect((await api.http('analyst').get('/api/shop').expect(200)).body.simulationCopy).toBeNull();
    const again = await cli(['--db', db, '--rules', RULES, 'simulate', 'payment-reminder', '--from', FROM, '--days', '1', '--no-delivery']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`note: ${db} is not a copy this command made, so it is not marked as a simulation's copy: a server opened on it sends its queued messages and moves its journeys on (simulate on a copy: --copy-of)`);
  }, 60_000);
});
