import { cpSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { executeBatch } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import request from 'supertest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const DAY = 24 * MS_PER_HOUR;

/** Half a flow: an entry with nothing after it (a problem), as a marketer leaves it mid-edit. */
const unfinished = { id: 'half-done', name: '半成品', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' } }] };

describe('designer drafts and journeys home', () => {
  let t: TestApp;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-drafts-rules-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    t = await createTestApp({ database: (await freshTarget('sqlite')).target, rulesDir: rules, clock, schedulers: false });
  });
  afterAll(() => t?.close());

  it('keeps a draft with problems, gives it back with its problems, and writes no flow file', async () => {
    const put = await t.http().put('/api/flows/half-done/draft').send({ flow: unfinished, layout: { positions: { start: { x: 1, y: 2 } } }, revision: null }).expect(200);
    expect(put.body.problems.length).toBeGreaterThan(0);
    const got = await t.http().get('/api/flows/half-done/draft').expect(200);
    expect(got.body.flow).toEqual(unfinished);
    expect(got.body.layout.positions.start).toEqual({ x: 1, y: 2 });
    expect(got.body.updatedAt).toBe(T0);
    expect(got.body.revision).toBe(1);
    expect(got.body.problems.some((p: { severity: string }) => p.severity === 'error')).toBe(true);
    expect(existsSync(join(rules, 'flows', 'half-done.flow.yaml'))).toBe(false);
  });

  it('never lets 新建旅程 land on an existing journey: a draft, a file in rules/flows/ or a published flow answers 409 flow-exists and nothing is written', async () => {
    // The dialog checks the id against the home's list, which may not have loaded (a large shop's
    // home takes seconds) or may be stale: its save replaced the existing journey's drawing.
    const blank = (id: string) => ({ flow: { id, name: '新旅程', nodes: [] }, layout: { positions: {} }, baseVersion: null, revision: null, create: true });
    const before = (await t.http().get('/api/flows/half-done/draft').expect(200)).body;
    for (const id of ['half-done', 'post-purchase-care']) {
      const r = await t.http().put(`/api/flows/${id}/draft`).send(blank(id)).expect(409);
      expect(r.body).toMatchObject({ code: 'flow-exists', flowId: id, message: `a flow "${id}" already exists; choose another id (nothing was written)` });
    }
    expect((await t.http().get('/api/flows/half-done/draft').expect(200)).body).toEqual(before);
    await t.http().get('/api/flows/post-purchase-care/draft').expect(204);
    // A free id is created as before; a save of that draft goes on without `create`.
    const made = await t.http().put('/api/flows/brand-new/draft').send(blank('brand-new')).expect(200);
    expect(made.body.revision).toBe(1);
    await t.http().put('/api/flows/brand-new/draft').send({ ...blank('brand-new'), create: undefined, revision: 1 }).expect(200);
    expect((await t.http().delete('/api/flows/brand-new/draft').expect(200)).body.discarded).toBe(true);
    // Only a marketer creates journeys: an analyst is refused before anything is looked up.
    await t.http('analyst').put('/api/flows/brand-new/draft').send(blank('brand-new')).expect(403);
    await t.http('anonymous').put('/api/flows/brand-new/draft').send(blank('brand-new')).expect(401);
  });

  it("says who saved a draft a 409 refuses a save over: this tab, another tab of this login session, this account signed in elsewhere, or someone else", async () => {
    // It was told by username alone: the same account on another machine read 你在另一个标签页或窗口里改过.
    const flow = { id: 'where-from', name: '从哪里保存的', nodes: [] };
    const save = (role: 'marketer' | 'admin', tab: string, headers?: Record<string, string>) => {
      const put = t.http(role).put('/api/flows/where-from/draft');
      return (headers ? put.set(headers) : put).send({ flow, revision: null, tab });
    };
    expect((await save('marketer', 'tab-one-aaaa').expect(200)).body.revision).toBe(1);
    // This tab again on the revision it opened (its first save's answer lost on the way).
    expect((await save('marketer', 'tab-one-aaaa').expect(409)).body.conflict).toEqual({ author: 'marketer', updatedAt: T0, revision: 1, by: 'this-tab' });
    // Another tab of this browser: the same login session, another tab id (or none).
    expect((await save('marketer', 'tab-two-bbbb').expect(409)).body.conflict.by).toBe('this-session');
    expect((await t.http('marketer').put('/api/flows/where-from/draft').send({ flow, revision: null }).expect(409)).body.conflict.by).toBe('this-session');
    // The same account signed in on another machine: a login session of its own.
    const elsewhere = await request(t.app.getHttpServer()).post('/api/auth/sign-in').send({ username: 'marketer', password: TEST_PASSWORD }).expect(200);
    const cookie = ([] as string[]).concat(elsewhere.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    expect((await save('marketer', 'tab-one-aaaa', { Cookie: cookie, 'x-csrf-token': elsewhere.body.csrfToken }).expect(409)).body.conflict.by).toBe('your-other-session');
    // Someone else.
    expect((await save('admin', 'tab-one-aaaa').expect(409)).body.conflict.by).toBe('someone-else');
    // Where it was saved from is never given back.
    const got = (await t.http().get('/api/flows/where-from/draft').expect(200)).body;
    expect(Object.keys(got).filter((k) => /saved|tab|session/i.test(k))).toEqual([]);
    // A tab id is letters, digits and "-": anything else is refused by its field.
    expect((await t.http('marketer').put('/api/flows/where-from/draft').send({ flow, revision: 1, tab: 'a b' }).expect(400)).body.message).toEqual(['tab: a tab is 8 to 64 letters, digits or "-"']);
    await t.http().delete('/api/flows/where-from/draft').expect(200);
  });

  it('renames a draft that was never published; refuses ids in use', async () => {
    // Each refusal names the field (the designer's 确认发布 says it beside 旅程 ID).
    const taken = await t.http().post('/api/flows/half-done/draft/rename').send({ to: 'payment-reminder' }).expect(409);
    expect(taken.body).toMatchObject({ message: 'to: a flow "payment-reminder" already exists; choose another id', code: 'flow-exists', flowId: 'payment-reminder' });
    const bad = await t.http().post('/api/flows/half-done/draft/rename').send({ to: 'Bad Id' }).expect(400);
    expect(bad.body.message).toEqual(['to: flow ids are lower-case letters, digits and "-"']);
    const r = await t.http().post('/api/flows/half-done/draft/rename').send({ to: 'half-done-2' }).expect(200);
    expect(r.body.flowId).toBe('half-done-2');
    await t.http().get('/api/flows/half-done/draft').expect(204);
    expect((await t.http().get('/api/flows/half-done-2/draft').expect(200)).body.flow.id).toBe('half-done-2');
  });

  it("answers a save to a draft that 确认发布 moved to another id with where it went, so the other tab does not re-create it (walk-mkt)", async () => {
    // Two tabs on a new journey: one publishes it under a new id; the other saves on its revision.
    const flow = (id: string) => ({ id, name: '两个标签页', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'end' }, { id: 'end', type: 'exit' }] });
    await t.http().put('/api/flows/journey-20261120/draft').send({ flow: flow('journey-20261120'), revision: null, create: true }).expect(200);
    await t.http().post('/api/flows/journey-20261120/draft/rename').send({ to: 'order-created-tabs' }).expect(200);
    const stale = await t.http().put('/api/flows/journey-20261120/draft').send({ flow: flow('journey-20261120'), revision: 1 }).expect(409);
    // (The rename's audit entry is stamped by the wall clock, not the test's virtual one.)
    expect(stale.body.conflict).toEqual({ author: null, updatedAt: null, revision: null, movedTo: { flowId: 'order-created-tabs', author: 'admin', at: expect.any(Number), version: null } });
    expect(stale.body.message).toMatch(/^flow "journey-20261120" has no draft any more: admin published it as "order-created-tabs" at \S+Z \(its id changed at the first publish\); nothing was written$/);
    // Published: the live version, for the other tab to carry its edit there as that journey's draft.
    await t.http().put('/api/flows/order-created-tabs/file').send({ flow: flow('order-created-tabs'), create: true }).expect(200);
    await t.http().post('/api/flows/order-created-tabs/publish').send({}).expect(200);
    await t.http().delete('/api/flows/order-created-tabs/draft').expect(200);
    expect((await t.http().put('/api/flows/journey-20261120/draft').send({ flow: flow('journey-20261120'), revision: 1 }).expect(409)).body.conflict.movedTo).toMatchObject({ flowId: 'order-created-tabs', version: 1 });
    // An old link (#/flows/journey-20261120, bookmarked before the first publish): the file's 404 says where the journey went.
    const old = await t.http().get('/api/flows/journey-20261120/file').expect(404);
    expect(old.body.movedTo).toEqual({ flowId: 'order-created-tabs', author: 'admin', at: expect.any(Number), version: 1 });
    expect(old.body.message).toBe('no flow file rules/flows/journey-20261120.flow.yaml; the journey was renamed "order-created-tabs" at its first publish');
    // A journey never renamed: the plain 404, nothing more.
    expect((await t.http().get('/api/flows/never-was/file').expect(404)).body).toMatchObject({ message: 'no flow file rules/flows/never-was.flow.yaml' });
    expect((await t.http().get('/api/flows/never-was/file').expect(404)).body.movedTo).toBeUndefined();
    await t.http().put('/api/flows/discard-me/draft').send({ flow: flow('discard-me'), revision: null, create: true }).expect(200);
    await t.http().delete('/api/flows/discard-me/draft').expect(200);
    // Discarded, not moved: the 409 names who discarded it (the designer tells "you, in another tab" from someone else).
    const gone = await t.http().put('/api/flows/discard-me/draft').send({ flow: flow('discard-me'), revision: 1 }).expect(409);
    expect(gone.body.conflict).toEqual({ author: null, updatedAt: null, revision: null, goneBy: { author: 'admin', at: expect.any(Number) } });
    expect(gone.body.message).toMatch(/^flow "discard-me" has no draft any more: admin published or discarded it at \S+Z; nothing was written$/);
    // A new journey under the freed id is created as any other.
    await t.http().put('/api/flows/journey-20261120/draft').send({ flow: flow('journey-20261120'), revision: null, create: true }).expect(200);
    // …and while it exists, its id is not said to have moved.
    expect((await t.http().get('/api/flows/journey-20261120/file').expect(404)).body.movedTo).toBeUndefined();
    await t.http().delete('/api/flows/journey-20261120/draft').expect(200);
  });

  it('refuses to rename a published flow and discards a draft', async () => {
    await t.http().post('/api/flows/payment-reminder/publish').send({}).expect(200);
    await t.http().put('/api/flows/payment-reminder/draft').send({ flow: { id: 'payment-reminder', name: 'x', nodes: [] }, baseVersion: 1, revision: null }).expect(200);
    await t.http().post('/api/flows/payment-reminder/draft/rename').send({ to: 'other-name' }).expect(409);
    expect((await t.http().delete('/api/flows/payment-reminder/draft').expect(200)).body.discarded).toBe(true);
    await t.http().get('/api/flows/payment-reminder/draft').expect(204);
    // Published, no draft, no file: 新建旅程 with its id is refused all the same.
    const file = join(rules, 'flows', 'payment-reminder.flow.yaml');
    renameSync(file, `${file}.aside`);
    try {
      const r = await t.http().put('/api/flows/payment-reminder/draft').send({ flow: { id: 'payment-reminder', name: '新旅程', nodes: [] }, revision: null, create: true }).expect(409);
      expect(r.body.code).toBe('flow-exists');
      await t.http().get('/api/flows/payment-reminder/draft').expect(204);
    } finally {
      renameSync(`${file}.aside`, file);
    }
  });

  it('gives a published version back for the diff and for restoring', async () => {
    const v = await t.http().get('/api/flows/payment-reminder/versions/1').expect(200);
    expect(v.body.version).toBe(1);
    expect(v.body.flow.id).toBe('payment-reminder');
    expect(v.body.text).toContain('payment-reminder');
    await t.http().get('/api/flows/payment-reminder/versions/9').expect(404);
  });

  it('names the version parameter and what it takes when it is not a version number (it said "expected number, received NaN"); an analyst may read, anonymous may not', async () => {
    for (const bad of ['abc', '1.5', '0', '-1'])
      expect((await t.http('analyst').get(`/api/flows/payment-reminder/versions/${bad}`).expect(400)).body).toEqual({ statusCode: 400, error: 'Bad Request', message: [`version: expected a whole number from 1 to 2147483647, got "${bad}"`] });
    await t.http('anonymous').get('/api/flows/payment-reminder/versions/1').expect(401);
  });

  it('names each missing field of a draft save, and what it holds, instead of "expected record, received undefined"; anonymous may not save', async () => {
    const r = await t.http('marketer').put('/api/flows/empty-body/draft').send({}).expect(400);
    expect(r.body.message).toEqual([
      'flow: required: the flow as drawn (an object with its name, trigger and nodes)',
      'revision: required: the draft revision this save is based on (GET /api/flows/:id/draft gives it), or null when the flow has no draft yet',
    ]);
    // A value of the wrong kind keeps saying what came.
    expect((await t.http('marketer').put('/api/flows/empty-body/draft').send({ flow: 3, revision: null }).expect(400)).body.message).toEqual(['flow: Invalid input: expected record, received number']);
    await t.http('anonymous').put('/api/flows/empty-body/draft').send({}).expect(401);
    await t.http().get('/api/flows/empty-body/draft').expect(204);
  });

  it('lists every flow on the home with its numbers of the last 7 and 30 days', async () => {
    const ds = t.app.get(DataSource);
    const [c1, c2] = await addCustomers(ds, [{ externalId: 'h-1' }, { externalId: 'h-2' }], T0 - 60 * DAY);
    const enrol = (id: number, customer: number, status: string, at: number) => ({
      sql: `INSERT INTO enrollments (id, flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES (?, 'payment-reminder', 1, ?, 'k', 'start', ?, ?, ?, 0, ?, ?)`,
      params: [id, customer, status, at, at, `e-${id}`, at],
    });
    await executeBatch(ds, [
      enrol(9001, c1, 'active', T0 - 2 * DAY),
      enrol(9002, c2, 'completed', T0 - 20 * DAY),
      { sql: "INSERT INTO orders (external_id, customer_id, status, amount, created_at, paid_at, items, updated_at) VALUES ('ho-1', ?, 'paid', 199.5, ?, ?, '[]', ?)", params: [c1, T0 - DAY, T0 - DAY, T0 - DAY] },
    ]);
    const home = (await t.http().get('/api/home').expect(200)).body;
    const ids = home.flows.map((f: { id: string }) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['payment-reminder', 'double11-campaign', 'half-done-2']));
    const pr = home.flows.find((f: { id: string }) => f.id === 'payment-reminder');
    expect(pr).toMatchObject({ status: 'active', version: 1, active: 1, name: expect.stringContaining('催付') });
    expect(pr.last7).toMatchObject({ entered: 1, orders: 1, revenue: 199.5 });
    expect(pr.last30).toMatchObject({ entered: 2, conversions: 1 });
    expect(pr.daily).toHaveLength(30);
    // The campaign a journey belongs to (所属活动, offered in the editor), null when it names none.
    expect(pr.campaign).toBeNull();
    expect(home.flows.find((f: { id: string }) => f.id === 'double11-campaign').campaign).toMatch(/^double11-\d{4}$/);
    expect(pr.daily.reduce((a: number, b: number) => a + b, 0)).toBe(2);
    expect(home.flows.find((f: { id: string }) => f.id === 'half-done-2')).toMatchObject({ status: 'draft', draft: { updatedAt: T0 } });
  });

  // Walkthrough: every edit undone, the draft (saved again) was the live journey, and the home and the
  // editor still said 有未发布的修改 while 对比线上版本 found no difference (core/flow/journey-changes.ts).
  it("says no unpublished change on the home for a draft that is the live journey again (every edit undone, or edited back)", async () => {
    const draftOnHome = async () => ((await t.http('analyst').get('/api/home').expect(200)).body.flows.find((f: { id: string }) => f.id === 'payment-reminder') as { draft: unknown; version: number }).draft;
    const live = (await t.http().get('/api/flows/payment-reminder/versions/1').expect(200)).body.flow;
    // The designer opens a published journey from its file: that drawing is the live journey too.
    const file = (await t.http().get('/api/flows/payment-reminder/file').expect(200)).body.flow;
    const edited = { ...file, nodes: file.nodes.map((n: { id: string; type: string }) => (n.type === 'send' ? { ...n, template: '改过的文案' } : n)) };
    const first = await t.http('marketer').put('/api/flows/payment-reminder/draft').send({ flow: edited, baseVersion: 1, revision: null }).expect(200);
    expect(await draftOnHome()).toEqual({ updatedAt: T0, baseVersion: 1 });
    // Undone: the editor saves the drawing as it was opened (the file's), then as the live version gives it.
    const undone = await t.http('marketer').put('/api/flows/payment-reminder/draft').send({ flow: file, baseVersion: 1, revision: first.body.revision }).expect(200);
    expect(await draftOnHome()).toBeNull();
    await t.http('marketer').put('/api/flows/payment-reminder/draft').send({ flow: live, baseVersion: 1, revision: undone.body.revision }).expect(200);
    expect(await draftOnHome()).toBeNull();
    // The draft itself is kept (its card positions are the marketer's), and a real change is one again.
    expect((await t.http().get('/api/flows/payment-reminder/draft').expect(200)).body.revision).toBe(3);
    await t.http('marketer').put('/api/flows/payment-reminder/draft').send({ flow: { ...live, name: '催付提醒（改名）' }, baseVersion: 1, revision: 3 }).expect(200);
    expect(await draftOnHome()).toEqual({ updatedAt: T0, baseVersion: 1 });
    await t.http().delete('/api/flows/payment-reminder/draft').expect(200);
    await t.http('anonymous').get('/api/home').expect(401);
  });
});

// The conditional save is one SQL statement per dialect (INSERT … DO NOTHING / UPDATE … WHERE revision): pinned on both.
describe.each(DIALECTS)('two editors of one draft (%s)', (dialect) => {
  let t: TestApp;
  let drop: () => Promise<void> = async () => {};
  const rules = tempDir('rekindle-drafts-rules-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const db = await freshTarget(dialect, { migrated: true });
    drop = db.drop;
    t = await createTestApp({ database: db.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
  });
  afterAll(async () => {
    await t?.close();
    await drop();
  });

  it('refuses a save based on a stale revision with 409 naming who saved last, and writes nothing', async () => {
    const ds = t.app.get(DataSource);
    const flow = (name: string) => ({ id: 'two-editors', name, nodes: [] });
    // Both editors open the flow before any draft exists: the first save wins, the second is stale.
    const first = await t.http().put('/api/flows/two-editors/draft').send({ flow: flow('A0'), revision: null }).expect(200);
    expect(first.body.revision).toBe(1);
    await t.http().put('/api/flows/two-editors/draft').send({ flow: flow('B0'), revision: null }).expect(409);
    // Both now at revision 1 (as GET gives it, also as the ETag); A saves, then B saves on revision 1.
    const got = await t.http().get('/api/flows/two-editors/draft').expect(200);
    expect(got.headers.etag).toBe('"1"');
    expect((await t.http().put('/api/flows/two-editors/draft').send({ flow: flow('Edited by A'), revision: got.body.revision }).expect(200)).body.revision).toBe(2);
    const stale = await t.http().put('/api/flows/two-editors/draft').send({ flow: flow('Edited by B'), revision: got.body.revision }).expect(409);
    expect(stale.body.conflict).toEqual({ author: expect.any(String), updatedAt: T0, revision: 2, by: 'this-session' });
    expect(stale.body.message).toContain(stale.body.conflict.author);
    const [row] = await ds.query("SELECT content, revision FROM flow_drafts WHERE flow_id = 'two-editors'");
    expect(JSON.parse(row.content).name).toBe('Edited by A');
    expect(Number(row.revision)).toBe(2);
    // "Keep mine": B saves again on the revision the 409 named, and wins.
    expect((await t.http().put('/api/flows/two-editors/draft').send({ flow: flow('Edited by B'), revision: 2 }).expect(200)).body.revision).toBe(3);
    expect((await t.http().get('/api/flows/two-editors/draft').expect(200)).body.flow.name).toBe('Edited by B');
    // A save without a revision is refused (400): every client must say what it was based on.
    await t.http().put('/api/flows/two-editors/draft').send({ flow: flow('blind') }).expect(400);
  });
});
