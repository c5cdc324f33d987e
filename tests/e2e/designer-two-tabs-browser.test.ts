/**
 * A marketer's walk-through (walk-mkt): two tabs on one new journey with a Chinese name (so under
 * the stand-in id journey-<date>). Tab A publishes it, and 确认发布 gives it its real id. Tab B's
 * next save was refused with 这个旅程的草稿已被别人发布或放弃 and 保留我的版本（覆盖对方的修改）, which
 * saved B's drawing under the old id: a second journey beside the running one, the same entry
 * (下单), that published too would have started every order twice. Now B is told where the journey
 * went and can take its edit there as that journey's draft (model/moved-draft.ts,
 * ui/editor/MovedDraftBanner.tsx; the 409's conflict.movedTo, api/designer/drafts.controller.ts).
 * Headless chromium through playwright-core, against the real server (run under
 * flock /work/wt/browser.lock); the case sets up what it needs.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-04T21:00:00+08:00');

describe('two tabs on one new journey, one publishes it under its real id', () => {
  const errors: string[] = [];
  const d = designerInBrowser({ name: 'two-tabs', clock: () => new VirtualClock(T0), errors, viewport: { width: 1366, height: 768 } });
  const { api, textOf, until, newJourney, add } = d;
  let page: Page;
  beforeAll(() => void (page = d.session().page));

  it('tells the other tab where the journey went and takes its edit there, instead of re-creating it under the old id', async () => {
    await newJourney('两个标签页');
    await add('entry', 'start');
    await add('exit', 'exit-1');
    const old = decodeURIComponent(page.url().split('#/flows/')[1]);
    expect(old).toMatch(/^journey-\d{4}-\d{2}$/); // a Chinese name, no template: journey and the month
    await until(async () => {
      const r = await api('GET', `/api/flows/${old}/draft`);
      return r.status === 200 && ((await r.json()) as { flow: { nodes: unknown[] } }).flow.nodes.length === 2;
    }, 'both steps saved');
    const tabB = await page.context().newPage();
    await tabB.setViewportSize({ width: 1366, height: 768 });
    await tabB.goto(page.url());
    await tabB.locator('.react-flow__node[data-id="start"]').waitFor();
    // Tab A publishes under another id.
    await page.getByTestId('publish').click();
    // The id chosen in 新建旅程 is changed after all, typed in the dialog (it proposes none).
    const id = 'two-tabs-moved';
    await page.getByTestId('publish-id-help').waitFor();
    await page.getByTestId('publish-id-input').fill(id);
    await page.getByTestId('publish-confirm').click();
    await until(async () => page.url().endsWith(`#/flows/${id}`), 'tab A on the published journey');
    // Tab B edits: its save is refused, and it is told where the journey went.
    await d.select('start', tabB);
    await tabB.locator('.inspector [data-testid="node-id"]').waitFor();
    await tabB.locator('.inspector input').nth(1).fill('B 标签页的卡片名称');
    const moved = tabB.getByTestId('draft-moved');
    await textOf(moved, `旅程 ID 从「${old}」改成了「${id}」（线上 v1）`);
    expect(await tabB.getByTestId('draft-conflict-keep').count()).toBe(0);
    await tabB.screenshot({ path: join(SHOTS, 'two-tabs-moved.png') });
    // Taken there: the running journey's draft now holds B's edit, and no journey is left under the old id.
    await tabB.getByTestId('draft-moved-carry').click();
    await until(async () => tabB.url().endsWith(`#/flows/${id}`), 'tab B on the published journey');
    await textOf(tabB.getByTestId('toolbar'), '有未发布的修改');
    const draft = (await (await api('GET', `/api/flows/${id}/draft`)).json()) as { flow: { id: string; nodes: { id: string; label?: string }[] }; baseVersion: number };
    expect([draft.flow.id, draft.baseVersion, draft.flow.nodes.find((n) => n.id === 'start')?.label]).toEqual([id, 1, 'B 标签页的卡片名称']);
    expect((await api('GET', `/api/flows/${old}/draft`)).status).toBe(204);
    const home = (await (await api('GET', '/api/home')).json()) as { flows: { id: string }[] };
    expect(home.flows.map((f) => f.id)).not.toContain(old);
    await tabB.close();
    expect(errors.filter((e) => !/ 409 /.test(e))).toEqual([]);
  }, 120_000);
});
