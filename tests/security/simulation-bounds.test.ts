import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { removeStaleCopies, simulationDir, SimulationRuns } from '../../server/src/api/designer/simulation-runs.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const mine = () => (existsSync(simulationDir()) ? readdirSync(simulationDir()).filter((n) => n.startsWith(`${process.pid}-`)) : []);

describe('designer simulations are bounded', () => {
  let api: TestApp;
  const rules = tempDir('rekindle-simb-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
  });
  afterAll(async () => api?.close());

  it('refuses 90 days at a 1 s step, naming the step and what would do, and copies nothing', async () => {
    const r = await api.http('marketer').post('/api/flows/payment-reminder/simulate').send({ days: 90, step: '1s' }).expect(400);
    expect(r.body.message).toMatch(/^step: 90 day\(s\) at a 1s step is 7,776,001 ticks; at most 20,000 — use a step of at least \d+ minutes/);
    await api.http('marketer').post('/api/flows/payment-reminder/simulate').send({ days: 91 }).expect(400);
    expect(mine()).toEqual([]);
  });

  it('runs one simulation per flow at a time, and a marketer can cancel it', async () => {
    const runs = api.app.get(SimulationRuns);
    const first = api.http('marketer').post('/api/flows/payment-reminder/simulate').send({ days: 90, step: '7m' }).then((r) => r);
    const until = Date.now() + 10_000;
    while (!runs.isRunning('payment-reminder') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(runs.isRunning('payment-reminder')).toBe(true);
    const second = await api.http('admin').post('/api/flows/payment-reminder/simulate').send({ days: 1 }).expect(409);
    expect(second.body.message).toMatch(/started by marketer is still running/);
    await api.http('analyst').delete('/api/flows/payment-reminder/simulate').expect(403);
    await api.http('marketer').delete('/api/flows/payment-reminder/simulate').expect(200);
    const res = await first;
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/stopped after \d+ tick\(s\): cancelled by marketer/);
    expect(runs.isRunning('payment-reminder')).toBe(false);
    expect(mine()).toEqual([]); // its copy is gone
    await api.http('marketer').delete('/api/flows/payment-reminder/simulate').expect(404);
    // And the slot is free again.
    const ok = await api.http('marketer').post('/api/flows/payment-reminder/simulate').send({ days: 1 }).expect(200);
    expect(ok.body.summary.ticks).toBe(25);
  }, 60_000);

  it('removes copies left by a server that died, and keeps those of live ones', () => {
    mkdirSync(simulationDir(), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = `${dead}-${randomUUID()}.sqlite`;
    const live = `${process.pid}-${randomUUID()}.sqlite`;
    writeFileSync(join(simulationDir(), stale), 'x'.repeat(1000));
    writeFileSync(join(simulationDir(), stale + '-wal'), 'x');
    writeFileSync(join(simulationDir(), live), 'x');
    expect(removeStaleCopies().sort()).toEqual([stale, stale + '-wal'].sort());
    expect(existsSync(join(simulationDir(), live))).toBe(true);
    expect(existsSync(join(simulationDir(), stale))).toBe(false);
  });
});
