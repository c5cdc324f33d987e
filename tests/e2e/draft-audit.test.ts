/**
 * Draft edits in the audit log (docs/security.md): the designer autosaves 0.4 s after each change,
 * so saves are coalesced — one entry when someone starts a draft, takes it over from someone else
 * or resumes after 30 minutes — while an import from a file (with its name) and a discard are
 * each recorded. Read back through GET /api/audit and `rekindle audit`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const MIN = 60_000;
const flow = (name: string) => ({ id: 'gift-card', name, nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid' } }] });
type Entry = { actor: string; action: string; target: string; detail: Record<string, unknown>; at: number };

describe('draft saves, imports and discards in the audit log', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let db: string;
  let rulesDir: string;
  const clock = new VirtualClock(T0);
  const draftEntries = async (): Promise<Entry[]> => ((await t.http('admin').get('/api/audit?target=flow:gift-card').expect(200)).body.entries as Entry[]).filter((e) => e.action.startsWith('draft-')).reverse();

  beforeAll(async () => {
    const target = await freshTarget('sqlite');
    drop = target.drop;
    db = target.target.url as string;
    rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    t = await createTestApp({ database: target.target, rulesDir, clock, schedulers: false });
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('records one entry per editing session, not one per autosave', async () => {
    let revision: number | null = null;
    const save = async (role: 'marketer' | 'admin', name: string, extra: Record<string, unknown> = {}) => {
      const r = await t.http(role).put('/api/flows/gift-card/draft').send({ flow: flow(name), revision, ...extra }).expect(200);
      revision = r.body.revision;
    };
    await save('marketer', 'a');
    for (let i = 0; i < 20; i++) {
      clock.set(clock.now() + 2_000);
      await save('marketer', `a${i}`);
    }
    // 21 saves in 40 seconds: one entry.
    expect((await draftEntries()).map((e) => [e.actor, e.action, e.target, e.detail, e.at])).toEqual([['marketer', 'draft-saved', 'flow:gift-card', { name: 'a', started: true, revision: 1 }, T0]]);
    // Someone else takes over; then the first editor comes back after lunch.
    await save('admin', 'b');
    clock.set(clock.now() + 45 * MIN);
    await save('marketer', 'c');
    clock.set(clock.now() + 29 * MIN);
    await save('marketer', 'd');
    const entries = await draftEntries();
    expect(entries.map((e) => [e.actor, e.action, e.detail])).toEqual([
      ['marketer', 'draft-saved', { name: 'a', started: true, revision: 1 }],
      ['admin', 'draft-saved', { name: 'b', takenOverFrom: 'marketer', revision: 22 }],
      ['marketer', 'draft-saved', { name: 'c', takenOverFrom: 'admin', revision: 23 }],
    ]);
    // An import is always recorded, with the file's name; so is discarding (each with the journey's name as drawn then).
    clock.set(clock.now() + MIN);
    await save('marketer', 'imported', { importedFrom: '双十一-2027.flow.yaml' });
    await t.http('marketer').delete('/api/flows/gift-card/draft').expect(200);
    const last = (await draftEntries()).slice(-2);
    expect(last.map((e) => [e.actor, e.action, e.detail])).toEqual([
      ['marketer', 'draft-imported', { name: 'imported', file: '双十一-2027.flow.yaml', revision: 25 }],
      ['marketer', 'draft-discarded', { name: 'imported' }],
    ]);
  });

  it('records a resumed session after a pause of 30 minutes by the same person', async () => {
    const r = await t.http('marketer').put('/api/flows/gift-card/draft').send({ flow: flow('x'), revision: null }).expect(200);
    clock.set(clock.now() + 31 * MIN);
    await t.http('marketer').put('/api/flows/gift-card/draft').send({ flow: flow('y'), revision: r.body.revision }).expect(200);
    expect((await draftEntries()).slice(-2).map((e) => [e.action, e.detail])).toEqual([
      ['draft-saved', { name: 'x', started: true, revision: 1 }],
      ['draft-saved', { name: 'y', resumedAfterMinutes: 31, revision: 2 }],
    ]);
  });

  it('refuses an import name that is not a file name-sized string (400 naming importedFrom)', async () => {
    const r = await t.http('marketer').put('/api/flows/gift-card/draft').send({ flow: flow('z'), revision: 2, importedFrom: 'x'.repeat(201) }).expect(400);
    expect(JSON.stringify(r.body)).toContain('importedFrom');
  });

  it('`rekindle audit` lists them in shop time, filters by action and target, and names a mistyped action', async () => {
    const r = await cli(['--db', db, '--rules', rulesDir, 'audit', '--target', 'flow:gift-card', '--action', 'draft-imported']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2026-12-01 1\d:\d\d \+08:00  marketer  draft-imported  flow gift-card \(imported\)  file 双十一-2027\.flow\.yaml, revision 25\n$/);
    const json = JSON.parse((await cli(['--db', db, '--rules', rulesDir, '--json', 'audit', '--target', 'flow:gift-card', '--limit', '3'])).stdout) as Entry[];
    expect(json.map((e) => e.action)).toEqual(['draft-saved', 'draft-saved', 'draft-discarded']);
    const bad = await cli(['--db', db, '--rules', rulesDir, 'audit', '--action', 'draft-save']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--action: "draft-save" is not an audited action — did you mean "draft-saved"?');
  });
});
