import { cpSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

describe.each(DIALECTS)('GET/PUT /api/policy on %s', (dialect) => {
  let db: TestDatabase;
  let app: INestApplication;
  let api: TestApp;
  const rules = tempDir('rekindle-policy-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    api = await createTestApp({ database: db.target, rulesDir: rules, clock: fixedClock(Date.parse('2026-11-02T02:00:00Z')), schedulers: false });
    app = api.app;
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it('returns the shop policy with its caps and quiet hours', async () => {
    const r = await api.http().get('/api/policy').expect(200);
    expect(r.body.policy.caps.map((c: { id: string }) => c.id)).toEqual(['marketing-per-day', 'sms-per-month']);
    expect(r.body.policy.quietHours.sms).toMatchObject({ from: '21:00', to: '09:00' });
    expect(r.body.lists).toContain('do-not-contact');
  });

  it('rejects a bad policy naming the field, and leaves the file unchanged', async () => {
    const before = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    const r = await api.http()
      .put('/api/policy')
      .send({ caps: [{ id: 'x', max: 1, window: '24h', period: 'month' }] })
      .expect(400);
    expect(r.body.problems.join('\n')).toMatch(/caps\.0\.window: give exactly one of window, period, campaign/);
    const bad = await api.http().put('/api/policy').send({ yaml: 'caps:\n  - id: y\n    max: -1\n    window: 1d\n' }).expect(400);
    expect(bad.body.problems.join('\n')).toMatch(/policy\.yaml:3 caps\.0\.max/);
    // Named as the repository names it, never by the server's own folders.
    expect(bad.body.problems.join('\n')).toMatch(/^rules\/policy\.yaml:3 caps\.0\.max/);
    expect(JSON.stringify(bad.body)).not.toContain(rules);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(before);
  });

  it('refuses two caps with one id, naming the second cap\'s id field, and leaves the file unchanged', async () => {
    const before = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    const twice = before.replace('  - id: sms-per-month', '  - id: marketing-per-day');
    const r = await api.http().put('/api/policy').send({ yaml: twice }).expect(400);
    expect(r.body.problems).toEqual([expect.stringMatching(/policy\.yaml:11 caps\.1\.id: "marketing-per-day" is already the id of caps\.0$/)]);
    const json = await api.http().put('/api/policy').send({ caps: [{ id: 'a', max: 1, window: '24h' }, { id: 'a', max: 2, period: 'month' }] }).expect(400);
    expect(json.body.problems).toEqual(['body caps.1.id: "a" is already the id of caps.0']);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(before);
  });

  it('an analyst and a marketer read the policy (the designer shows it to them) but may not replace it', async () => {
    const before = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    for (const role of ['analyst', 'marketer'] as const) {
      await api.http(role).get('/api/policy').expect(200);
      await api.http(role).put('/api/policy').send({ yaml: before.replace('max: 1', 'max: 9') }).expect(403);
    }
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(before);
  });

  it('keeps the file\'s comments when sent as {yaml}, and drops them when sent as JSON (why the designer sends the text)', async () => {
    const text = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    expect(text).toContain("# The shop's contact policy");
    await api.http().put('/api/policy').send({ yaml: text.replace('max: 1', 'max: 2') }).expect(200);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toContain("# The shop's contact policy");
    const policy = (await api.http().get('/api/policy').expect(200)).body.policy;
    await api.http().put('/api/policy').send(policy).expect(200);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).not.toContain("# The shop's contact policy");
    await api.http().put('/api/policy').send({ yaml: text }).expect(200);
  });

  it('refuses a save based on a version the file no longer has (409 naming it), the file unchanged', async () => {
    const loaded = (await api.http().get('/api/policy').expect(200)).body;
    expect(loaded.version).toMatch(/^[0-9a-f]{16}$/);
    // Someone else saves (or a git pull changes the file) after the page loaded.
    const theirs = await api.http().put('/api/policy').send({ yaml: loaded.yaml.replace('max: 1', 'max: 2'), ifVersion: loaded.version }).expect(200);
    expect(theirs.body.version).not.toBe(loaded.version);
    const after = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    const stale = await api.http().put('/api/policy').send({ yaml: loaded.yaml.replace('max: 2', 'max: 5'), ifVersion: loaded.version }).expect(409);
    expect(stale.body).toMatchObject({ code: 'policy-changed', ifVersion: loaded.version, version: theirs.body.version });
    expect(stale.body.message).toContain(`version ${loaded.version}`);
    expect(stale.body.message).toMatch(/^rules\/policy\.yaml was changed since/);
    expect(JSON.stringify(stale.body)).not.toContain(rules);
    const staleJson = await api.http().put('/api/policy').send({ ...loaded.policy, ifVersion: loaded.version }).expect(409);
    expect(staleJson.body.version).toBe(theirs.body.version);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(after);
    // The current version saves, and `ifVersion` is not written into the file.
    const now = (await api.http().get('/api/policy').expect(200)).body;
    expect(now.version).toBe(theirs.body.version);
    await api.http().put('/api/policy').send({ ...now.policy, ifVersion: now.version }).expect(200);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).not.toContain('ifVersion');
    await api.http().put('/api/policy').send({ yaml: loaded.yaml, ifVersion: 42 }).expect(400);
    // Without a version (scripts) the file is replaced as before.
    await api.http().put('/api/policy').send({ yaml: loaded.yaml }).expect(200);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(loaded.yaml);
  });

  it('never shows or saves back a policy.yaml that is not UTF-8 (GBK from a Windows editor, copied over keeping its mtime): 400 naming the file and line, the file unchanged', async () => {
    const file = join(rules, 'policy.yaml');
    const utf8 = readFileSync(file, 'utf8');
    const mtime = new Date('2026-10-01T00:00:00Z');
    utimesSync(file, mtime, mtime);
    const loaded = (await api.http().get('/api/policy').expect(200)).body;
    // The same text saved as GBK, with the mtime the server read the UTF-8 file at (cp -p, tar, a checkout).
    writeFileSync(file, iconv.encode(utf8, 'gbk'));
    utimesSync(file, mtime, mtime);
    const line = utf8.split('\n').findIndex((l) => /[^\x00-\x7f]/.test(l)) + 1;
    const read = await api.http().get('/api/policy').expect(400);
    // With statusCode and error, as every error answer (error-body.ts): an answer given as an object came without them.
    expect(read.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'rules/policy.yaml is not valid' });
    expect(read.body.problems).toEqual([expect.stringMatching(new RegExp(`^rules/policy\\.yaml:${line}: not UTF-8 text: it looks like GBK/GB18030`))]);
    expect(JSON.stringify(read.body)).not.toContain('�');
    // A save based on the version the page had is refused as the file's problem, not as someone's change (409), and writes nothing.
    const save = await api.http().put('/api/policy').send({ yaml: loaded.yaml.replace('max: 1', 'max: 2'), ifVersion: loaded.version }).expect(400);
    expect(save.body.message).toBe('policy not saved: rules/policy.yaml unchanged');
    expect(save.body.problems).toEqual([expect.stringMatching(/^rules\/policy\.yaml:\d+: not UTF-8 text/)]);
    expect(readFileSync(file)).toEqual(iconv.encode(utf8, 'gbk'));
    // Replacing the whole file (no ifVersion, as scripts do) mends it.
    await api.http().put('/api/policy').send({ yaml: utf8 }).expect(200);
    expect((await api.http().get('/api/policy').expect(200)).body.yaml).toBe(utf8);
  });

  it('an admin edits the give-up rule and the suppression lists as {yaml}: comments kept; an analyst or a marketer is refused (403), anonymous 401', async () => {
    const before = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    const edited = before.replace('  after: 4', '  after: 3 # agreed with customer service').replace('segments: []', 'segments: [d11-lost]');
    for (const role of ['analyst', 'marketer'] as const) await api.http(role).put('/api/policy').send({ yaml: edited }).expect(403);
    await api.http('anonymous').put('/api/policy').send({ yaml: edited }).expect(401);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(before);
    const r = await api.http().put('/api/policy').send({ yaml: edited }).expect(200);
    expect(r.body.policy.giveUp).toMatchObject({ after: 3 });
    expect(r.body.policy.suppression.segments).toEqual(['d11-lost']);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toContain('after: 3 # agreed with customer service');
    await api.http().put('/api/policy').send({ yaml: before }).expect(200);
  });

  it('refuses a give-up rule or suppression it could not apply, naming the field (a block list without its file, a block rule that is not a segment, no give-up count), the file unchanged', async () => {
    const before = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    const bad = before.replace('  after: 4', '  after: 0').replace('lists: [do-not-contact]', 'lists: [do-not-contact, vip-complaints]').replace('segments: []', 'segments: [no-such-rule]');
    const r = await api.http().put('/api/policy').send({ yaml: bad }).expect(400);
    expect(r.body.problems).toEqual([expect.stringMatching(/^rules\/policy\.yaml:\d+ giveUp\.after: /)]);
    const refs = await api.http().put('/api/policy').send({ yaml: bad.replace('  after: 0', '  after: 4') }).expect(400);
    expect(refs.body.problems).toEqual([
      'rules/policy.yaml suppression.lists.1: block list "vip-complaints" has no file rules/lists/vip-complaints.txt (create it with rekindle lists import vip-complaints <file>)',
      'rules/policy.yaml suppression.segments.0: block rule "no-such-rule" is not in rules/segments/',
    ]);
    expect(JSON.stringify(refs.body)).not.toContain(rules);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(before);
  });

  it('refuses a shop-wide cap with the id of a journey\'s own cap, naming the journey and its cap, the file unchanged', async () => {
    const before = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    const flowCap = parse(readFileSync(join(rules, 'flows', 'double11-campaign.flow.yaml'), 'utf8')).caps[0].id as string;
    const r = await api.http().put('/api/policy').send({ yaml: before.replace('id: sms-per-month', `id: ${flowCap}`) }).expect(400);
    expect(r.body.problems).toEqual([`rules/policy.yaml caps.1.id: "${flowCap}" is already the id of a cap of the journey double11-campaign (rules/flows/double11-campaign.flow.yaml caps.0): give the shop-wide cap another id (the send log and the designer name a cap by its id)`]);
    expect(readFileSync(join(rules, 'policy.yaml'), 'utf8')).toBe(before);
  });

  it('writes a valid policy to rules/policy.yaml', async () => {
    await api.http()
      .put('/api/policy')
      .send({ caps: [{ id: 'two-a-week', max: 2, period: 'week' }], quietHours: { sms: { from: '22:00', to: '08:00' } } })
      .expect(200);
    const text = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    expect(text).toContain('two-a-week');
    const r = await api.http().get('/api/policy').expect(200);
    expect(r.body.policy.caps).toEqual([{ id: 'two-a-week', max: 2, period: 'week', categories: ['marketing'] }]);
  });
});
