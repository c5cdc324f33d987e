import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { AUDIT } from '../../server/src/api/auth/auth.tokens.js';
import type { AuditLog } from '../../server/src/persistence/audit-log.js';
import { cli } from '../support/cli.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');

interface Entry {
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let db: string;
  const rules = tempDir('rekindle-audit-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    db = t.target.url;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const entries = async (q = ''): Promise<Entry[]> => (await api.http('admin').get(`/api/audit${q}`).expect(200)).body.entries;

  it('records who saved, published, paused, stopped, changed the policy, imported and exported', async () => {
    const file = await api.http('marketer').get('/api/flows/payment-reminder/file').expect(200);
    await api.http('marketer').put('/api/flows/payment-reminder/file').send({ flow: file.body.flow, layout: file.body.layout }).expect(200);
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
    await api.http('marketer').post('/api/flows/payment-reminder/pause').expect(200);
    await api.http('marketer').post('/api/flows/payment-reminder/stop').expect(200);
    const policy = await api.http('admin').get('/api/policy').expect(200);
    await api.http('admin').put('/api/policy').send({ yaml: policy.body.yaml.replace('max: 1', 'max: 2') }).expect(200);
    await api.http('admin').post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name,phone\nau-1,A,13800000001\n').expect(200);
    await api.http('marketer').get('/api/export/customers.csv').expect(200);
    await api.http('marketer').get('/api/sends?format=ndjson').expect(200);

    const log = await entries();
    const seen = log.map((e) => `${e.actor} ${e.action} ${e.target}`);
    for (const want of [
      'marketer flow-saved flow:payment-reminder',
      'marketer flow-published flow:payment-reminder',
      'marketer flow-paused flow:payment-reminder',
      'marketer flow-stopped flow:payment-reminder',
      'admin policy-changed rules/policy.yaml',
      'admin imported import:customers',
      'marketer exported export:customers',
      'marketer exported export:sends',
    ])
      expect(seen).toContain(want);
    const change = log.find((e) => e.action === 'policy-changed')!;
    expect(String(change.detail.before)).not.toBe(String(change.detail.after));
    expect(log.find((e) => e.action === 'imported')!.detail).toMatchObject({ rows: 1, created: 1 });
    expect(log.find((e) => e.action === 'flow-published')!.detail).toMatchObject({ version: 1 });
    // Newest first; filter and page.
    expect(log[0].action).toBe('exported');
    expect((await entries('?action=flow-paused')).length).toBe(1);
    expect((await entries('?limit=2')).length).toBe(2);
  });

  it('records the CLI too (as the operating-system user), block lists included', async () => {
    const ids = join(tempDir('rekindle-audit-'), 'ids.txt');
    writeFileSync(ids, 'au-1\n');
    expect((await cli(['--db', db, '--rules', rules, 'lists', 'import', 'bad-reviews', ids])).code).toBe(0);
    const [e] = await entries('?action=block-list-changed');
    expect(e).toMatchObject({ target: 'list:bad-reviews', detail: { after: 1 } });
    expect(e.actor).toMatch(/^cli/);
  });

  const said = (res: { body: { message: string | string[] } }) => ([] as string[]).concat(res.body.message).join('\n');

  it('the API filters as rekindle audit does: an unknown action is refused naming it, a flow id finds its entries', async () => {
    const bad = await api.http('admin').get('/api/audit?action=nonsense');
    expect(bad.status).toBe(400);
    expect(said(bad)).toContain('action: "nonsense" is not an audited action');
    expect(said(bad)).toContain('flow-published');
    const near = await api.http('admin').get('/api/audit?action=flow-publishd');
    expect(near.status).toBe(400);
    expect(said(near)).toContain('action: "flow-publishd" is not an audited action — did you mean "flow-published"?');
    const cliBad = await cli(['--db', db, '--rules', rules, 'audit', '--action', 'nonsense']);
    expect(cliBad.code).toBe(1);
    expect(cliBad.stderr).toContain('--action: "nonsense" is not an audited action');

    const stored = await entries('?target=flow:payment-reminder');
    expect(stored.length).toBeGreaterThanOrEqual(4);
    expect(await entries('?target=payment-reminder')).toEqual(stored);
    expect(await entries('?target=rules/flows/payment-reminder.flow.yaml')).toEqual(stored);
    const fromCli = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'audit', '--target', 'payment-reminder', '--limit', '1000'])).stdout) as Entry[];
    expect(fromCli.map((e) => `${e.action} ${e.target}`)).toEqual(stored.map((e) => `${e.action} ${e.target}`));
  });

  it("names a flow as it was called when each entry was written: a rename after publishing leaves the old entries their name (API and CLI)", async () => {
    const file = join(rules, 'flows', 'payment-reminder.flow.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: 催付提醒', 'name: 催付提醒二期'));
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
    await api.http('marketer').post('/api/flows/payment-reminder/pause').expect(200);
    const named = (e: Entry & { targetName?: string; targetNameRecorded?: boolean }) => [e.action, e.detail.version, e.targetName, e.targetNameRecorded];
    expect((await entries('?target=payment-reminder&action=flow-published')).map(named)).toEqual([
      ['flow-published', 2, '催付提醒二期', true],
      ['flow-published', 1, '催付提醒', true],
    ]);
    // A pause names the live version it paused, and that version's name.
    expect((await entries('?target=payment-reminder&action=flow-paused')).map(named)).toEqual([
      ['flow-paused', 2, '催付提醒二期', true],
      ['flow-paused', 1, '催付提醒', true],
    ]);
    const text = await cli(['--db', db, '--rules', rules, 'audit', '--target', 'payment-reminder', '--action', 'flow-published']);
    expect(text.stdout.trim().split('\n').map((l) => l.split('  ').slice(1).join('  '))).toEqual([
      expect.stringMatching(/^marketer  flow-published  flow payment-reminder \(催付提醒二期\)  version 2, hash [0-9a-f]+/),
      expect.stringMatching(/^marketer  flow-published  flow payment-reminder \(催付提醒\)  version 1, hash [0-9a-f]+/),
    ]);
    const json = JSON.parse((await cli(['--db', db, '--rules', rules, '--json', 'audit', '--target', 'payment-reminder', '--action', 'flow-published'])).stdout) as Entry[];
    expect(json.map(named)).toEqual([
      ['flow-published', 2, '催付提醒二期', true],
      ['flow-published', 1, '催付提醒', true],
    ]);
    // An entry written before names were recorded is named by the flow's name now, and says so.
    await api.app.get<AuditLog>(AUDIT).record({ actor: 'marketer', action: 'flow-resumed', target: 'flow:payment-reminder' });
    const [older] = await entries('?target=payment-reminder&action=flow-resumed');
    expect(named(older)).toEqual(['flow-resumed', undefined, '催付提醒二期', false]);
    const olderText = await cli(['--db', db, '--rules', rules, 'audit', '--target', 'payment-reminder', '--action', 'flow-resumed', '--limit', '1']);
    expect(olderText.stdout).toContain('flow-resumed  flow payment-reminder (催付提醒二期, its name now)');
  });

  it('only admins read it', async () => {
    await api.http('marketer').get('/api/audit').expect(403);
    await api.http('analyst').get('/api/audit').expect(403);
    await api.http('anonymous').get('/api/audit').expect(401);
    await api.http('anonymous').get('/api/audit?target=payment-reminder').expect(401);
    await api.http('marketer').get('/api/audit?action=nonsense').expect(403);
  });
});
