/**
 * The walkthrough: a link to a new journey copied before its first publish (#/flows/journey-<date>,
 * the stand-in id of a Chinese name) said 找不到旅程 once 确认发布 had given the journey its real
 * id, as if it had been deleted. Now the editor says 这个旅程已改名为「…」 and opens it
 * (the file's 404 names `movedTo`, from the audit log's draft-renamed; model/missing-flow.ts,
 * ui/editor/MissingFlowNotice.tsx). Headless chromium through playwright-core against the real
 * server (run under flock /work/wt/browser.lock); the set-up is every designer browser test's.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-04T21:00:00+08:00');

describe('an old link to a journey whose id changed at its first publish', () => {
  const d = designerInBrowser({ name: 'old-link', clock: () => new VirtualClock(T0), viewport: { width: 1366, height: 768 } });
  const { errors, api, textOf, until, newJourney, add, node } = d;
  let page: Page;
  let base: string;
  beforeAll(() => void ({ page, base } = d.session()));

  it('says where the journey went and opens it, instead of 找不到旅程', async () => {
    await newJourney('旧链接');
    await add('entry', 'start');
    await add('exit', 'exit-1');
    const old = decodeURIComponent(page.url().split('#/flows/')[1]);
    expect(old).toMatch(/^journey-\d{4}-\d{2}$/); // a Chinese name, no template: journey and the month
    await until(async () => {
      const r = await api('GET', `/api/flows/${old}/draft`);
      return r.status === 200 && ((await r.json()) as { flow: { nodes: unknown[] } }).flow.nodes.length === 2;
    }, 'both steps saved');
    await page.getByTestId('publish').click();
    // The id chosen in 新建旅程 is changed after all, typed in the dialog (it proposes none).
    const id = 'old-link-moved';
    await page.getByTestId('publish-id-help').waitFor();
    await page.getByTestId('publish-id-input').fill(id);
    await page.getByTestId('publish-confirm').click();
    await until(async () => page.url().endsWith(`#/flows/${id}`), 'on the published journey');
    // The old link, opened afresh (a bookmark, a link in a chat).
    await page.goto(`${base}/#/flows/${old}`);
    await textOf(page.getByTestId('flow-moved'), `这个旅程已改名为「${id}」`);
    expect(await page.getByTestId('flow-missing').count()).toBe(0);
    await page.getByTestId('flow-moved-open').click();
    await until(async () => page.url().endsWith(`#/flows/${id}`), 'the journey opened under its new id');
    await node('start').waitFor();
    // Nothing was created under the old id by opening it.
    expect((await api('GET', `/api/flows/${old}/draft`)).status).toBe(204);
    expect(errors).toEqual([]);
  }, 120_000);
});
