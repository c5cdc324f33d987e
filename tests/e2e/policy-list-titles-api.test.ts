import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { listTitleSaveWords } from '../../designer/src/model/list-title-edit.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { PolicyFile } from '../../server/src/persistence/policy-file.js';
import { cli } from '../support/cli.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A block list's title (what people call it: 差评顾客) beside its name (the file's id): GET
 * /api/policy gives each list with its title, PUT /api/policy/lists/:name sets one (admins), kept as
 * the `# title:` line at the top of rules/lists/<name>.txt (core/policy/list-title.ts).
 */
describe.each(DIALECTS)('block list titles over HTTP on %s', (dialect) => {
  let db: TestDatabase;
  let api: TestApp;
  const rules = tempDir('rekindle-list-titles-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  const listFile = (name: string) => join(rules, 'lists', `${name}.txt`);

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    api = await createTestApp({ database: db.target, rulesDir: rules, clock: fixedClock(Date.parse('2026-11-02T02:00:00Z')), schedulers: false });
    // A list from before titles: ids only, a comment at its top that is no title.
    writeFileSync(listFile('bad-reviews'), '# from the review export\nc000003\nc000007\n');
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it('gives every list with its title, null for a list without one, and the names as before', async () => {
    const r = (await api.http('analyst').get('/api/policy').expect(200)).body;
    expect(r.lists).toEqual(expect.arrayContaining(['bad-reviews', 'do-not-contact']));
    expect(r.blockLists).toContainEqual({ name: 'bad-reviews', title: null });
    expect(r.blockLists).toContainEqual({ name: 'do-not-contact', title: '要求不再联系的顾客' });
  });

  it('sets a title, keeps the ids (the engine reads the same list), says the one before, and audits it', async () => {
    const first = await api.http().put('/api/policy/lists/bad-reviews').send({ title: '  差评顾客 ' }).expect(200);
    expect(first.body).toEqual({ name: 'bad-reviews', title: '差评顾客', titleBefore: null });
    expect(readFileSync(listFile('bad-reviews'), 'utf8')).toBe('# title: 差评顾客\n# from the review export\nc000003\nc000007\n');
    const again = await api.http().put('/api/policy/lists/bad-reviews').send({ title: '留过差评的顾客' }).expect(200);
    expect(again.body.titleBefore).toBe('差评顾客');
    expect(readFileSync(listFile('bad-reviews'), 'utf8')).toBe('# title: 留过差评的顾客\n# from the review export\nc000003\nc000007\n');
    expect((await api.http().get('/api/policy').expect(200)).body.blockLists).toContainEqual({ name: 'bad-reviews', title: '留过差评的顾客' });
    const audit = (await api.http().get('/api/audit?action=block-list-changed').expect(200)).body.entries as { target: string; actor: string; detail: Record<string, unknown> }[];
    expect(audit[0]).toMatchObject({ target: 'list:bad-reviews', actor: 'admin', detail: { file: 'rules/lists/bad-reviews.txt', titleBefore: '差评顾客', title: '留过差评的顾客' } });
  });

  it('refuses an empty, overlong or multi-line title and a bad or unknown list, naming the field, the file unchanged', async () => {
    const before = readFileSync(listFile('bad-reviews'), 'utf8');
    const said = async (body: unknown, name = 'bad-reviews', status = 400) => String((await api.http().put(`/api/policy/lists/${name}`).send(body as object).expect(status)).body.message);
    expect(await said({ title: '   ' })).toMatch(/title.*must not be empty/);
    expect(await said({ title: '差'.repeat(61) })).toMatch(/title.*at most 60 characters \(got 61\)/);
    expect(await said({ title: '差评\n顾客' })).toMatch(/title.*one line/);
    expect(await said({})).toMatch(/title.*required/);
    expect(await said({ title: 7 })).toMatch(/title/);
    expect(await said({ title: '差评顾客' }, 'Bad%20Name')).toMatch(/name.*lower-case letters/);
    expect(await said({ title: '差评顾客' }, 'no-such-list', 404)).toMatch(/name: no block list "no-such-list"/);
    expect(readFileSync(listFile('bad-reviews'), 'utf8')).toBe(before);
    expect(await said({ title: '   ' })).not.toContain(rules);
  });

  it('refuses in answers the contact-rules page says naming the field (名单名称), never in English', async () => {
    // As the designer's api.ts throws them: the status, and the whole answer as the body.
    const said = async (body: object, role: 'admin' | 'marketer' = 'admin') => {
      const r = await api.http(role).put('/api/policy/lists/bad-reviews').send(body);
      return listTitleSaveWords('zh', { status: r.status, message: 'Bad Request', body: r.body }, 'bad-reviews');
    };
    expect(await said({ title: '   ' })).toBe('「名单名称」不能为空');
    expect(await said({ title: '差'.repeat(61) })).toBe('「名单名称」最多 60 个字（现在 61 个）');
    expect(await said({ title: '差评\n顾客' })).toBe('「名单名称」只能是一行，不能有换行或控制字符');
    expect(await said({})).toBe('「名单名称」没有填写或不是文字');
    expect(await said({ title: '差评顾客' }, 'marketer')).toBe('只有管理员可以给屏蔽名单起名称');
  });

  it("says a send held back by a block list by the list's title in a customer's journey (`why`), an untitled one by its id, reading the titles once per request", async () => {
    // It said the file's id (on block list "do-not-contact") where the designer and the exports say the title.
    writeFileSync(listFile('phone-reminded'), 'c-reminded\n'); // untitled
    const customerId = await insertCustomer(db.dataSource, { externalId: 'c-listed', phone: '1' });
    await insertSend(db.dataSource, { customerId, channel: 'sms', status: 'blocked', reason: 'blocked:list:do-not-contact', scheduledAt: 1 });
    await insertSend(db.dataSource, { customerId, channel: 'sms', status: 'blocked', reason: 'blocked:list:phone-reminded', scheduledAt: 2 });
    const whys = (sends: { reason: string; why: string }[]) => sends.map((x) => [x.reason, x.why]);
    const read = jest.spyOn(PolicyFile.prototype, 'titledLists');
    try {
      const j = (await api.http('analyst').get('/api/customers/c-listed/journey').expect(200)).body;
      expect(whys(j.sends)).toEqual([
        ['blocked:list:do-not-contact', 'on block list "要求不再联系的顾客" (do-not-contact)'],
        ['blocked:list:phone-reminded', 'on block list "phone-reminded"'],
      ]);
      expect(read).toHaveBeenCalledTimes(1);
    } finally {
      read.mockRestore();
    }
    // `rekindle explain --json` prints the same JSON.
    const out = await cli(['--db', db.target.url, '--rules', rules, '--json', 'explain', 'c-listed']);
    expect(out.code).toBe(0);
    expect(whys(JSON.parse(out.stdout).sends)).toEqual([
      ['blocked:list:do-not-contact', 'on block list "要求不再联系的顾客" (do-not-contact)'],
      ['blocked:list:phone-reminded', 'on block list "phone-reminded"'],
    ]);
  });

  it('is for admins: anonymous callers, analysts and marketers are refused and nothing changes', async () => {
    const before = readFileSync(listFile('bad-reviews'), 'utf8');
    await api.http('anonymous').put('/api/policy/lists/bad-reviews').send({ title: '别人起的名字' }).expect(401);
    for (const role of ['analyst', 'marketer'] as const) await api.http(role).put('/api/policy/lists/bad-reviews').send({ title: '别人起的名字' }).expect(403);
    expect(readFileSync(listFile('bad-reviews'), 'utf8')).toBe(before);
  });
});
