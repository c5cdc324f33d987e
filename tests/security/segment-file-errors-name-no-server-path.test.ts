import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { startUpLines } from '../support/server-process.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A segment file with a mistake in the shop's rules folder (a developer's push, walked on 2 Dec
 * 2026): GET /api/segments answered `/tmp/…/rules/segments/bad.yaml:5: …` — the server's own
 * path on its disk — and so did saving an audience in the designer. The answer names the file as
 * `rules/segments/bad.yaml` with its line and field, as `rekindle validate` does. And `npm start`
 * with such a file died in Nest's injector with a stack trace: it now stops before Nest starts,
 * naming the file, line and field, as it does for a bad setting.
 * Since w-walk15: one broken file no longer stops the rest — the list answers the other segments
 * with the broken one apart, an audience not using it is saved, and `npm start` starts, saying the
 * file once; what uses it names the file as the cause.
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

  it('GET /api/segments lists the other segments and names rules/segments/bad.yaml apart, with its line and field, not the server\'s rules folder', async () => {
    const r = await t.http('analyst').get('/api/segments').expect(200);
    // One broken file used to answer 400 for the whole list: the designer's audience list was empty.
    expect(r.body.rules.map((x: { name: string }) => x.name)).toContain('sleeping-high-value');
    expect(r.body.rules.map((x: { name: string }) => x.name)).not.toContain('bad');
    expect(r.body.broken).toEqual([{ name: 'bad', file: 'rules/segments/bad.yaml', cause: 'its file rules/segments/bad.yaml:5 has a mistake', problems: [expect.objectContaining({ source: 'rules/segments/bad.yaml', line: 5, path: 'conditions.all[0].fact', message: expect.stringMatching(/^unknown fact "recencyDay"/) })] }]);
    expect(JSON.stringify(r.body)).not.toContain(rules);
    // Counting it names the file; counting another works.
    const bad = await t.http('analyst').get('/api/segments/bad/count').expect(400);
    expect(bad.body.message).toMatch(/^segment "bad" cannot be used: its file rules\/segments\/bad\.yaml:5 has a mistake:\nrules\/segments\/bad\.yaml:5: conditions\.all\[0\]\.fact: unknown fact "recencyDay"/);
    await t.http('analyst').get('/api/segments/sleeping-high-value/count').expect(200);
  });

  it('saves an audience that does not use it; one that does is refused naming the file, and nothing is written', async () => {
    await t.http('marketer').post('/api/segments').send({ name: 'vip', id: 'vip-audience', conditions: { all: [{ fact: 'aov', operator: 'greaterThan', value: 300 }] } }).expect(201);
    const r = await t.http('marketer').post('/api/segments').send({ name: 'vip bad', id: 'vip-bad', conditions: { all: [{ condition: 'bad' }] } }).expect(422);
    expect(r.body.message).toMatch(/references rule "bad", which cannot be used: its file rules\/segments\/bad\.yaml:5 has a mistake/);
    expect(JSON.stringify(r.body)).not.toContain(rules);
    expect(existsSync(join(rules, 'segments', 'vip-bad.yaml'))).toBe(false);
  });

  it('npm start starts, saying the file, line and field once, without a stack trace', async () => {
    const db = join(tempDir('rekindle-seg-start-'), 'shop.sqlite');
    const { err } = await startUpLines({ DATABASE_URL: db, REKINDLE_RULES: rules, REKINDLE_DEMO_CUSTOMERS: '10' });
    const lines = err.trim().split('\n');
    expect(lines[0]).toBe('segment files with mistakes (not usable, nor is what uses them, until fixed; `rekindle validate` lists every problem):');
    expect(lines.filter((l) => /\/segments\/bad\.yaml:5: conditions\.all\[0\]\.fact: unknown fact "recencyDay"/.test(l))).toHaveLength(1);
    expect(err).not.toMatch(/ExceptionHandler|\n\s+at /);
  }, 90_000);
});
