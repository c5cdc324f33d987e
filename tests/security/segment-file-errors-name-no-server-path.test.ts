import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A segment file with a mistake in the shop's rules folder (a developer's push, walked on 2 Dec
 * 2026): GET /api/segments answered `/tmp/…/rules/segments/bad.yaml:5: …` — the server's own
 * path on its disk — and so did saving an audience in the designer. The answer names the file as
 * `rules/segments/bad.yaml` with its line and field, as `rekindle validate` does. And `npm start`
 * with such a file died in Nest's injector with a stack trace: it now stops before Nest starts,
 * naming the file, line and field, as it does for a bad setting.
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-20T10:00:00+08:00');
const BAD = `name: bad\ntitle: 坏的\nconditions:\n  all:\n    - fact: recencyDay\n      operator: greaterThan\n      value: 30\n`;

describe('a broken segment file, named in the API\'s answers', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-seg-paths-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const target = await freshTarget('sqlite');
    drop = target.drop;
    t = await createTestApp({ database: target.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
    // Broken while the server runs (a pull into its rules folder): the files are read per request.
    writeFileSync(join(rules, 'segments', 'bad.yaml'), BAD);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('GET /api/segments names rules/segments/bad.yaml, its line and field, and not the server\'s rules folder', async () => {
    const r = await t.http('analyst').get('/api/segments').expect(400);
    expect(r.body.message).toMatch(/^rules\/segments\/bad\.yaml:5: conditions\.all\[0\]\.fact: unknown fact "recencyDay"/);
    expect(r.body.problems).toEqual([expect.objectContaining({ source: 'rules/segments/bad.yaml', line: 5, path: 'conditions.all[0].fact' })]);
    expect(JSON.stringify(r.body)).not.toContain(rules);
  });

  it('saving an audience names the broken file the same way, and writes nothing', async () => {
    const r = await t.http('marketer').post('/api/segments').send({ name: 'vip', id: 'vip-audience', conditions: { all: [{ fact: 'aov', operator: 'greaterThan', value: 300 }] } }).expect(422);
    expect(r.body.message).toMatch(/^rules\/segments\/bad\.yaml:5: /);
    expect(JSON.stringify(r.body)).not.toContain(rules);
    await t.http('analyst').get('/api/segments/vip-audience/count').expect(400);
  });

  it('npm start refuses to start, naming the file, line and field, without a stack trace', () => {
    const main = join(process.cwd(), 'dist/server/src/main.js');
    expect(existsSync(main)).toBe(true); // npm test builds it first
    const db = join(tempDir('rekindle-seg-start-'), 'shop.sqlite');
    const r = spawnSync(process.execPath, [main], { env: { ...process.env, PORT: '0', DATABASE_URL: db, REKINDLE_RULES: rules, REKINDLE_DEMO_CUSTOMERS: '10' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('invalid segment files (`rekindle validate` lists every problem):');
    expect(lines[1]).toMatch(/\/segments\/bad\.yaml:5: conditions\.all\[0\]\.fact: unknown fact "recencyDay"/);
    expect(lines).toHaveLength(2);
    expect(r.stderr).not.toMatch(/ExceptionHandler|\n\s+at /);
    // Nothing was started: no demo shop was written.
    expect(existsSync(db)).toBe(false);
  });
});
