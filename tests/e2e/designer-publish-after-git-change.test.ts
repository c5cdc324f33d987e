import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

/**
 * A developer keeps post-purchase-care in git; a marketer edits it in the designer. The designer
 * publishes by writing the whole file, so a drawing opened before the developer's commit and
 * published after it put the old text back: the commit silently undone on disk and the undone
 * text published as the new version (walkthrough: "care: better wording" reverted by 第一天关怀（营销改）).
 */
describe('a designer publish never undoes a change made to the flow file in git since the drawing was opened', () => {
  let t: TestApp;
  const rules = tempDir('rekindle-publish-git-change-');
  const file = join(rules, 'flows', 'post-purchase-care.flow.yaml');
  const gitEdit = () => writeFileSync(file, readFileSync(file, 'utf8').replace('正在加急打包', '正在加急打包（开发者改）'));

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    t = await createTestApp({ database: (await freshTarget('sqlite')).target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
    await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({}).expect(200);
  });
  afterAll(() => t?.close());

  /** What the designer does on opening a flow without a draft and changing one label: the file, then a draft save. */
  const openAndEdit = async (label: string) => {
    const opened = (await t.http('marketer').get('/api/flows/post-purchase-care/file').expect(200)).body;
    expect(opened.fileVersion).toMatch(/^[0-9a-f]{16}$/);
    const flow = { ...opened.flow, nodes: opened.flow.nodes.map((n: { id: string }) => (n.id === 'preparing' ? { ...n, label } : n)) };
    await t.http('marketer').put('/api/flows/post-purchase-care/draft').send({ flow, layout: opened.layout, baseVersion: 1, revision: null, fileVersion: opened.fileVersion }).expect(200);
    return { flow, layout: opened.layout, fileVersion: opened.fileVersion as string };
  };

  it('refuses (409 file-changed) to publish a draft drawn before a commit to the file, writing and publishing nothing; the draft says the file changed', async () => {
    const drawing = await openAndEdit('第 1 天（营销改）');
    gitEdit();
    const committed = readFileSync(file, 'utf8');
    expect((await t.http('marketer').get('/api/flows/post-purchase-care/draft').expect(200)).body.fileChanged).toBe(true);
    // As the designer publishes (flow and layout, no file version: the draft's is used)…
    const refused = await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: drawing.flow, layout: drawing.layout }).expect(409);
    expect(refused.body.code).toBe('file-changed');
    expect(refused.body.message).toContain('rules/flows/post-purchase-care.flow.yaml was changed after this drawing was opened from it');
    expect(refused.body.ifFileVersion).toBe(drawing.fileVersion);
    // …and naming the version it was opened from.
    await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: drawing.flow, layout: drawing.layout, ifFileVersion: drawing.fileVersion }).expect(409);
    expect(readFileSync(file, 'utf8')).toBe(committed);
    const listed = (await t.http('marketer').get('/api/flows').expect(200)).body.find((f: { id: string }) => f.id === 'post-purchase-care');
    expect(listed.currentVersion).toBe(1);
    // Replacing the file knowingly (the version it has now) still publishes.
    const knowingly = await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: drawing.flow, layout: drawing.layout, ifFileVersion: refused.body.fileVersion }).expect(200);
    expect(knowingly.body.version).toBe(2);
    await t.http('marketer').delete('/api/flows/post-purchase-care/draft').expect(200);
  });

  it('publishes a drawing opened after the commit, keeping the commit', async () => {
    gitEdit();
    const drawing = await openAndEdit('第 1 天（再改）');
    expect((await t.http('marketer').get('/api/flows/post-purchase-care/draft').expect(200)).body.fileChanged).toBe(false);
    await t.http('marketer').post('/api/flows/post-purchase-care/publish').send({ flow: drawing.flow, layout: drawing.layout }).expect(200);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('（开发者改）');
    expect(text).toContain('第 1 天（再改）');
  });
});
