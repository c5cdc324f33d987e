import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-12-06T10:00:00+08:00');

/**
 * The walkthrough: one marketer, one running journey open in two tabs. Tab A saved an edit; tab B
 * saved another over it (保留这里的版本). Tab A, still saying 草稿已自动保存, published its own older
 * copy: B's kept edit was gone from the live version and from the draft, and nobody was told. A
 * publish now names the draft revision its drawing was saved as (`ifDraftRevision`), and another
 * one is refused as a save based on it would be (409 draft-changed, nothing published or written);
 * the draft the tab published is dropped only at that revision.
 */
describe('a tab cannot publish its older copy over a draft saved since from elsewhere', () => {
  let t: TestApp;
  const rules = tempDir('rekindle-publish-draft-changed-');
  const file = join(rules, 'flows', 'post-purchase-care.flow.yaml');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    t = await createTestApp({ database: (await freshTarget('sqlite')).target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
    await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({}).expect(200);
  });
  afterAll(() => t?.close());

  const opened = async () => (await t.http('marketer').get('/api/flows/post-purchase-care/file').expect(200)).body as { flow: { nodes: { id: string; label?: string }[] }; layout: unknown; fileVersion: string };
  const labelled = (flow: { nodes: { id: string; label?: string }[] }, label: string) => ({ ...flow, nodes: flow.nodes.map((n) => (n.id === 'preparing' ? { ...n, label } : n)) });
  const save = async (flow: unknown, layout: unknown, revision: number | null) => (await t.http('marketer').put('/api/flows/post-purchase-care/draft').send({ flow, layout, baseVersion: 1, revision }).expect(200)).body.revision as number;
  const live = async () => (await t.http('marketer').get('/api/flows').expect(200)).body.find((f: { id: string }) => f.id === 'post-purchase-care').currentVersion as number;

  it('refuses (409 draft-changed) a drawing saved as an older revision, publishing and writing nothing, and names who saved since', async () => {
    const o = await opened();
    const tabA = labelled(o.flow, '第 1 天（A 标签页）');
    const a = await save(tabA, o.layout, null);
    const b = await save(labelled(o.flow, '第 1 天（B 标签页）'), o.layout, a);
    const before = readFileSync(file, 'utf8');
    const refused = await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: tabA, layout: o.layout, ifDraftRevision: a }).expect(409);
    expect(refused.body.code).toBe('draft-changed');
    expect(refused.body.message).toMatch(new RegExp(`^the draft of "post-purchase-care" was saved by marketer at .+ \\(revision ${b}\\), and this drawing was saved as revision ${a}; nothing was published$`));
    expect(refused.body.conflict).toMatchObject({ author: 'marketer', revision: b });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await live()).toBe(1);
    const draft = (await t.http('marketer').get('/api/flows/post-purchase-care/draft').expect(200)).body;
    expect(draft.revision).toBe(b);
    expect(draft.flow.nodes.find((n: { id: string }) => n.id === 'preparing').label).toBe('第 1 天（B 标签页）');
    // A tab that knows of no draft is refused too while there is one.
    expect((await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: tabA, layout: o.layout, ifDraftRevision: null }).expect(409)).body.code).toBe('draft-changed');
    // The draft as stored now publishes, and dropping it at that revision drops it.
    const published = await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: draft.flow, layout: draft.layout, ifDraftRevision: b }).expect(200);
    expect(published.body.version).toBe(2);
    expect(readFileSync(file, 'utf8')).toContain('第 1 天（B 标签页）');
    expect((await t.http('marketer').delete(`/api/flows/post-purchase-care/draft?revision=${b}`).expect(200)).body.discarded).toBe(true);
    expect((await t.http('marketer').get('/api/flows/post-purchase-care/draft')).status).toBe(204);
  });

  it('keeps a draft saved after the publish when the publishing tab drops the revision it published', async () => {
    const o = await opened();
    const mine = labelled(o.flow, '第 1 天（发布的）');
    const r = await save(mine, o.layout, null);
    await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: mine, layout: o.layout, ifDraftRevision: r }).expect(200);
    // Another tab saves between the publish and the publishing tab's discard.
    await save(labelled(o.flow, '第 1 天（之后改的）'), o.layout, r);
    expect((await t.http('marketer').delete(`/api/flows/post-purchase-care/draft?revision=${r}`).expect(200)).body.discarded).toBe(false);
    const kept = (await t.http('marketer').get('/api/flows/post-purchase-care/draft').expect(200)).body;
    expect(kept.flow.nodes.find((n: { id: string }) => n.id === 'preparing').label).toBe('第 1 天（之后改的）');
    await t.http('marketer').delete('/api/flows/post-purchase-care/draft').expect(200);
  });

  it('says who published or discarded a draft that is gone since the drawing was saved', async () => {
    const o = await opened();
    const mine = labelled(o.flow, '第 1 天（被放弃前）');
    const r = await save(mine, o.layout, null);
    await t.http('admin').delete('/api/flows/post-purchase-care/draft').expect(200);
    const refused = await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: mine, layout: o.layout, ifDraftRevision: r }).expect(409);
    expect(refused.body.code).toBe('draft-changed');
    expect(refused.body.conflict).toMatchObject({ author: null, revision: null, goneBy: { author: 'admin' } });
    expect(refused.body.message).toMatch(/^flow "post-purchase-care" has no draft any more: admin published or discarded it at .+; nothing was published$/);
    expect(existsSync(file)).toBe(true);
  });

  it('refuses to move a new journey to its id at the first publish when its draft was saved since from elsewhere', async () => {
    const o = await opened();
    const flow = { ...o.flow, id: 'journey-20261206', name: '新旅程' };
    const first = (await t.http('marketer').put('/api/flows/journey-20261206/draft').send({ flow, layout: o.layout, revision: null, create: true }).expect(200)).body.revision as number;
    const since = (await t.http('marketer').put('/api/flows/journey-20261206/draft').send({ flow: { ...flow, name: '新旅程（另一个标签页）' }, layout: o.layout, revision: first }).expect(200)).body.revision as number;
    const refused = await t.http('marketer').post('/api/flows/journey-20261206/draft/rename').send({ to: 'new-journey', revision: first }).expect(409);
    expect(refused.body).toMatchObject({ code: 'draft-changed', conflict: { author: 'marketer', revision: since } });
    expect((await t.http('marketer').get('/api/flows/journey-20261206/draft').expect(200)).body.flow.name).toBe('新旅程（另一个标签页）');
    expect((await t.http('marketer').get('/api/flows/new-journey/draft')).status).toBe(204);
    // At the revision stored it moves, and says the moved draft's revision (the publish after it names it).
    expect((await t.http('marketer').post('/api/flows/journey-20261206/draft/rename').send({ to: 'new-journey', revision: since }).expect(200)).body).toEqual({ flowId: 'new-journey', revision: since + 1 });
    await t.http('marketer').delete(`/api/flows/new-journey/draft?revision=${since + 1}`).expect(200);
  });

  it('refuses a malformed revision with 400 naming the field, and a stale one to an analyst or anonymous caller as before (403, 401)', async () => {
    const o = await opened();
    const bad = await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: o.flow, layout: o.layout, ifDraftRevision: 'two' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('ifDraftRevision');
    expect((await t.http('marketer').delete('/api/flows/post-purchase-care/draft?revision=x').expect(400)).body.message).toEqual(['revision: expected a whole number from 1 to 2147483647, got "x"']);
    await t.http('analyst').post('/api/flows/post-purchase-care/publish').send({ flow: o.flow, ifDraftRevision: 1 }).expect(403);
    await t.http('anonymous').post('/api/flows/post-purchase-care/publish').send({ flow: o.flow, ifDraftRevision: 1 }).expect(401);
    await t.http('analyst').delete('/api/flows/post-purchase-care/draft?revision=1').expect(403);
  });
});
