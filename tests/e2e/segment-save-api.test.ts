import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { parseRuleFile } from '../../server/src/core/rules/rule-file.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

/** "Audiences in place": the designer saves an inline audience as a segment file in rules/segments/. */
describe('POST /api/segments (save an inline audience as a segment file)', () => {
  let db: TestDatabase;
  let api: TestApp;
  const rules = tempDir('rekindle-segment-save-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  const segments = join(rules, 'segments');
  const conditions = { any: [{ fact: 'recencyDays', operator: 'greaterThanInclusive', value: 200 }, { fact: 'orderCount', operator: 'greaterThanInclusive', value: 5 }] };

  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    api = await createTestApp({ database: db.target, rulesDir: rules, clock: fixedClock(Date.parse('2026-11-02T02:00:00Z')), schedulers: false });
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it('writes a canonical segment file that validates, lists and counts like the others, and audits it', async () => {
    const r = await api.http('marketer').post('/api/segments').send({ name: 'Long asleep or loyal', conditions }).expect(201);
    expect(r.body).toMatchObject({ id: 'long-asleep-or-loyal', file: 'rules/segments/long-asleep-or-loyal.yaml' });
    const text = readFileSync(join(segments, 'long-asleep-or-loyal.yaml'), 'utf8');
    expect(text).toBe(
      'name: long-asleep-or-loyal\ntitle: Long asleep or loyal\nconditions:\n  any:\n    - fact: recencyDays\n      operator: greaterThanInclusive\n      value: 200\n    - fact: orderCount\n      operator: greaterThanInclusive\n      value: 5\n',
    );
    expect(parseRuleFile(text, join(segments, 'long-asleep-or-loyal.yaml')).conditions).toEqual(conditions);
    const list = await api.http('analyst').get('/api/segments').expect(200);
    expect(list.body.rules.map((x: { name: string }) => x.name)).toContain('long-asleep-or-loyal');
    const saved = await api.http('analyst').get('/api/segments/long-asleep-or-loyal/count').expect(200);
    const inline = await api.http('analyst').post('/api/segments/preview').send({ conditions }).expect(200);
    expect(saved.body.count).toBe(inline.body.count);
    const audit = await api.http('admin').get('/api/audit').expect(200);
    expect(JSON.stringify(audit.body)).toContain('segment-created');
  });

  it('derives an id for a Chinese name and keeps the words as the title the designer lists it by', async () => {
    const r = await api.http('marketer').post('/api/segments').send({ name: '高价值沉睡客户', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThan', value: 3 }] } }).expect(201);
    // The shop's minute (Asia/Shanghai, 10:00), the time the audit log shows beside it, not UTC's 02:00.
    expect(r.body.id).toBe('audience-20261102-1000');
    expect(readFileSync(join(segments, `${r.body.id}.yaml`), 'utf8')).toContain('title: 高价值沉睡客户');
    const list = await api.http('analyst').get('/api/segments').expect(200);
    expect(list.body.rules.find((x: { name: string }) => x.name === r.body.id)).toMatchObject({ title: '高价值沉睡客户', description: null });
  });

  it('does not take the digits of a Chinese name for its file name (沉睡 90 天以上 was saved as 90.yaml, and 沉睡 90 天未付款 then refused)', async () => {
    const a = await api.http('marketer').post('/api/segments').send({ name: '沉睡 90 天以上', conditions: { all: [{ fact: 'recencyDays', operator: 'greaterThanInclusive', value: 90 }] } }).expect(201);
    const b = await api.http('marketer').post('/api/segments').send({ name: '沉睡 90 天未付款', conditions: { all: [{ fact: 'unpaidOrderCount', operator: 'greaterThan', value: 0 }] } }).expect(201);
    expect([a.body.id, b.body.id]).toEqual([expect.stringMatching(/^audience-20261102-1000(-\d+)?$/), expect.stringMatching(/^audience-20261102-1000-\d+$/)]);
    expect(existsSync(join(segments, '90.yaml'))).toBe(false);
  });

  it('saves a second Chinese-named audience in the same minute under the next free file name', async () => {
    await api.http('marketer').post('/api/segments').send({ name: '甲', conditions }).expect(201);
    const second = await api.http('marketer').post('/api/segments').send({ name: '乙', conditions }).expect(201);
    const third = await api.http('marketer').post('/api/segments').send({ name: '丙', conditions }).expect(201);
    expect([second.body.id, third.body.id]).toEqual([expect.stringMatching(/^audience-20261102-1000-\d+$/), expect.stringMatching(/^audience-20261102-1000-\d+$/)]);
    expect(second.body.id).not.toBe(third.body.id);
    expect(readFileSync(join(segments, `${third.body.id}.yaml`), 'utf8')).toContain('title: 丙');
  });

  it('refuses to overwrite an existing segment (409) and leaves it as it was', async () => {
    const before = readFileSync(join(segments, 'pre-sleep.yaml'), 'utf8');
    const taken = await api.http('marketer').post('/api/segments').send({ name: 'Pre sleep', conditions }).expect(409);
    // The code the designer says in words (model/error-words.ts), with the id it would have replaced.
    expect(taken.body).toMatchObject({ code: 'segment-exists', id: 'pre-sleep' });
    await api.http('marketer').post('/api/segments').send({ name: 'x', id: 'first-order-anniversary', conditions }).expect(409);
    expect(readFileSync(join(segments, 'pre-sleep.yaml'), 'utf8')).toBe(before);
  });

  it('refuses an invalid rule with 422 naming the field, writing nothing', async () => {
    const files = readdirSync(segments).sort();
    const r = await api.http('marketer').post('/api/segments').send({ name: 'Broken', conditions: { all: [{ fact: 'orderCount', operator: 'greaterThan', value: 'many' }] } }).expect(422);
    expect(r.body.message).toMatch(/conditions\.all\[0\]\.value/);
    expect(r.body.message).not.toMatch(/\/tmp|\/work/);
    const unknown = await api.http('marketer').post('/api/segments').send({ name: 'Broken', conditions: { all: [{ fact: 'shoeSize', operator: 'equal', value: 1 }] } }).expect(422);
    expect(unknown.body.message).toMatch(/conditions\.all\[0\]\.fact/);
    await api.http('marketer').post('/api/segments').send({ name: '', conditions }).expect(422);
    await api.http('marketer').post('/api/segments').send({ name: 'Bad id', id: '../escape', conditions }).expect(422);
    expect(readdirSync(segments).sort()).toEqual(files);
    expect(existsSync(join(segments, 'broken.yaml'))).toBe(false);
  });

  it('refuses analysts and anonymous callers', async () => {
    await api.http('analyst').post('/api/segments').send({ name: 'Analyst audience', conditions }).expect(403);
    await api.http('anonymous').post('/api/segments').send({ name: 'Anon audience', conditions }).expect(401);
    expect(existsSync(join(segments, 'analyst-audience.yaml'))).toBe(false);
  });
});
