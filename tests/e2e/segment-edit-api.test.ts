import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import type { Flow } from '../../server/src/core/flow/schema.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');
const WEST = { all: [{ fact: 'province', operator: 'equal', value: '新疆' }] };
const WEST_OR_EAST = { all: [{ fact: 'province', operator: 'in', value: ['新疆', '浙江'] }] };

/** A journey whose entry audience uses `west` through `west-loyal`, and whose condition step uses `west` itself. */
const FLOW_TEXT = [
  'id: west-hello',
  'name: 西部问候',
  'nodes:',
  '  - id: start',
  '    type: entry',
  '    trigger: { type: schedule, segment: west-loyal, every: day }',
  '    next: far',
  '  - id: far',
  '    type: condition',
  '    conditions: { all: [{ condition: west }] }',
  '    yes: hello',
  '    no: done',
  '  - id: hello',
  '    type: send',
  '    channel: sms',
  '    template: "{{customer.name}}，好久不见 退订回T"',
  '    next: done',
  '  - id: done',
  '    type: exit',
  '',
].join('\n');

type Listed = { name: string; revision: string; editNeedsAdmin: boolean; liveJourneys: { flowId: string; name: string; status: string; uses: string[] }[] };

/**
 * Editing a saved audience in place (PUT /api/segments/:name): only over the text the editor read
 * (revision), checked as a new one is, written whole or not at all, audited with the old and new
 * text, and naming the live journeys whose behaviour it changes from their next run.
 */
describe('PUT /api/segments/:name (change a saved audience in place)', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-segment-edit-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  const segments = join(rules, 'segments');
  const file = join(segments, 'west.yaml');
  const listed = async (name: string): Promise<Listed> => (await api.http('analyst').get('/api/segments').expect(200)).body.rules.find((r: Listed) => r.name === name);

  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
    await addCustomers(api.app.get(DataSource), [{ externalId: 'west-1', province: '新疆' }, { externalId: 'east-1', province: '浙江' }, { externalId: 'north-1', province: '黑龙江' }], NOW - 86_400_000);
    await api.http('marketer').post('/api/segments').send({ name: '西部顾客', id: 'west', conditions: WEST }).expect(201);
    await api.http('marketer').post('/api/segments').send({ name: '西部老客', id: 'west-loyal', conditions: { all: [{ condition: 'west' }, { fact: 'orderCount', operator: 'greaterThanInclusive', value: 0 }] } }).expect(201);
    writeFileSync(join(rules, 'flows', 'west-hello.flow.yaml'), FLOW_TEXT);
    const pub = await api.http('marketer').post('/api/flows/west-hello/publish').send({});
    expect([pub.status, pub.body.problems ?? []]).toEqual([200, []]);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('lists each segment with the revision of its text and the live journeys that use it, through other segments too', async () => {
    const west = await listed('west');
    expect(west.revision).toMatch(/^[0-9a-f]{16}$/);
    expect(west.liveJourneys).toEqual([{ flowId: 'west-hello', name: '西部问候', status: 'active', uses: ['entry', 'branch'] }]);
    // Publish approval is off here: a marketer may change it though live journeys use it.
    expect(west.editNeedsAdmin).toBe(false);
    expect((await listed('west-loyal')).liveJourneys).toEqual([{ flowId: 'west-hello', name: '西部问候', status: 'active', uses: ['entry'] }]);
    expect((await listed('mobile-customers')).liveJourneys).toEqual([]);
  });

  it('refuses anonymous callers (401) and analysts (403), leaving the file as it was', async () => {
    const before = readFileSync(file, 'utf8');
    const edit = { name: '西部顾客', conditions: WEST_OR_EAST, revision: (await listed('west')).revision };
    await api.http('anonymous').put('/api/segments/west').send(edit).expect(401);
    await api.http('analyst').put('/api/segments/west').send(edit).expect(403);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses a wrong rule with 422 naming the field, and a body without the revision, writing nothing', async () => {
    const before = readFileSync(file, 'utf8');
    const files = readdirSync(segments).sort();
    const { revision } = await listed('west');
    const bad = await api.http('marketer').put('/api/segments/west').send({ name: '西部顾客', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThan', value: 'many' }] }, revision }).expect(422);
    expect(bad.body.message).toMatch(/conditions\.all\[0\]\.value/);
    expect(bad.body.message).not.toMatch(/\/tmp|\/work/);
    const unknown = await api.http('marketer').put('/api/segments/west').send({ name: '西部顾客', conditions: { all: [{ fact: 'shoeSize', operator: 'equal', value: 1 }] }, revision }).expect(422);
    expect(unknown.body.message).toMatch(/conditions\.all\[0\]\.fact/);
    // west-loyal uses west: west using west-loyal would be a cycle.
    const cycle = await api.http('marketer').put('/api/segments/west').send({ name: '西部顾客', conditions: { all: [{ condition: 'west-loyal' }] }, revision }).expect(422);
    expect(cycle.body.message).toMatch(/reference cycle/);
    expect((await api.http('marketer').put('/api/segments/west').send({ name: '西部顾客', conditions: WEST_OR_EAST }).expect(422)).body.message).toMatch(/^revision: /);
    expect((await api.http('marketer').put('/api/segments/west').send({ name: ' ', conditions: WEST_OR_EAST, revision }).expect(422)).body.message).toMatch(/^name: /);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(segments).sort()).toEqual(files);
  });

  it('answers 404 for a segment that is not there', async () => {
    const r = await api.http('marketer').put('/api/segments/no-such-audience').send({ name: '没有', conditions: WEST, revision: '0123456789abcdef' }).expect(404);
    expect(r.body.message).toContain('no-such-audience');
  });

  it('changes the file in place, names the live journeys it changes from their next run, counts by the new rule, and audits the old and new text', async () => {
    const before = readFileSync(file, 'utf8');
    expect((await api.http('analyst').get('/api/segments/west/count').expect(200)).body.count).toBe(1);
    const { revision } = await listed('west');
    const r = await api.http('marketer').put('/api/segments/west').send({ name: '西部和浙江顾客', conditions: WEST_OR_EAST, revision }).expect(200);
    expect(r.body).toMatchObject({ id: 'west', name: '西部和浙江顾客', file: 'rules/segments/west.yaml', changed: true, liveJourneys: [{ flowId: 'west-hello', name: '西部问候', status: 'active', uses: ['entry', 'branch'] }] });
    const text = readFileSync(file, 'utf8');
    expect(text).toBe('name: west\ntitle: 西部和浙江顾客\nconditions:\n  all:\n    - fact: province\n      operator: in\n      value:\n        - 新疆\n        - 浙江\n');
    expect(r.body.revision).toBe((await listed('west')).revision);
    expect(r.body.revision).not.toBe(revision);
    expect((await api.http('analyst').get('/api/segments/west/count').expect(200)).body.count).toBe(2);
    // No temporary file left beside it.
    expect(readdirSync(segments).filter((f) => f.startsWith('.'))).toEqual([]);
    const audit = (await api.http('admin').get('/api/audit').expect(200)).body.entries.find((e: { action: string }) => e.action === 'segment-changed');
    expect(audit).toMatchObject({ actor: 'marketer', target: 'rules/segments/west.yaml', detail: { name: '西部和浙江顾客', liveJourneys: ['west-hello'], before, after: text } });
  });

  it('refuses an edit made on an older text (409 naming the conflict), leaving the newer one', async () => {
    const { revision } = await listed('west');
    // Someone else saves first (or a git pull changes the file).
    await api.http('admin').put('/api/segments/west').send({ name: '西部顾客', conditions: WEST, revision }).expect(200);
    const theirs = readFileSync(file, 'utf8');
    const r = await api.http('marketer').put('/api/segments/west').send({ name: '我的版本', conditions: WEST_OR_EAST, revision }).expect(409);
    expect(r.body).toMatchObject({ code: 'segment-changed', id: 'west', revision: (await listed('west')).revision });
    expect(r.body.message).toMatch(/changed since you opened it/);
    expect(readFileSync(file, 'utf8')).toBe(theirs);
  });

  it('keeps the description of the file and writes nothing (nor audits) when nothing changed', async () => {
    writeFileSync(file, 'name: west\ntitle: 西部顾客\ndescription: 新疆的顾客\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 新疆\n');
    const { revision } = await listed('west');
    const same = await api.http('marketer').put('/api/segments/west').send({ name: '西部顾客', conditions: WEST, revision }).expect(200);
    expect(same.body).toMatchObject({ changed: false, revision });
    await api.http('marketer').put('/api/segments/west').send({ name: '新疆顾客', conditions: WEST, revision }).expect(200);
    expect(readFileSync(file, 'utf8')).toContain('description: 新疆的顾客');
  });
});

describe('PUT /api/segments/:name with publish approval on', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-segment-edit-approval-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  writeFileSync(join(rules, 'shop.yaml'), `${readFileSync(join(rules, 'shop.yaml'), 'utf8')}\napproval:\n  publish: true\n`);
  const revisionOf = async (name: string): Promise<string> => (await api.http('analyst').get('/api/segments').expect(200)).body.rules.find((r: Listed) => r.name === name).revision;

  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
    // A journey live on pre-sleep (published before approval was turned on).
    const flow = { id: 'pre-sleep-live', name: '沉睡前提醒', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'pre-sleep', every: 'day', at: '10:00' }, reentry: { policy: 'never' }, next: 'done' }, { id: 'done', type: 'exit' }] } as unknown as Flow;
    await new FlowRepository(api.app.get(DataSource)).publish(flow, 'admin', NOW);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('takes an admin to change a segment a live journey uses: a marketer gets 403 saying why, the file as it was', async () => {
    const file = join(rules, 'segments', 'pre-sleep.yaml');
    const before = readFileSync(file, 'utf8');
    const edit = { name: '沉睡前', conditions: WEST, revision: await revisionOf('pre-sleep') };
    const r = await api.http('marketer').put('/api/segments/pre-sleep').send(edit).expect(403);
    expect(r.body).toMatchObject({ code: 'segment-edit-needs-admin', liveJourneys: [{ flowId: 'pre-sleep-live' }] });
    expect(r.body.message).toMatch(/publish approval is on .*pre-sleep-live.*only an admin may change it/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const ok = await api.http('admin').put('/api/segments/pre-sleep').send(edit).expect(200);
    expect(ok.body.liveJourneys.map((j: { flowId: string }) => j.flowId)).toEqual(['pre-sleep-live']);
  });

  it('lists which segments take an admin to change, to anyone who reads the list', async () => {
    const listed = (await api.http('marketer').get('/api/segments').expect(200)).body.rules as Listed[];
    expect(listed.find((r) => r.name === 'pre-sleep')?.editNeedsAdmin).toBe(true);
    expect(listed.find((r) => r.name === 'mobile-customers')?.editNeedsAdmin).toBe(false);
  });

  it('lets a marketer change a segment no live journey uses', async () => {
    await api.http('marketer').put('/api/segments/mobile-customers').send({ name: '手机顾客', conditions: WEST, revision: await revisionOf('mobile-customers') }).expect(200);
  });
});
