/**
 * A switch's case by a saved audience, as a marketer picks it: 使用规则文件 on a case swaps its
 * conditions for the same 人群 picker the entry and a condition step have (titles, search, what the
 * audience selects in words), the journey's draft keeps the case's `rule` and nothing of the
 * conditions it replaced, and the choice is still there after a reload. The picker is the same
 * component as the condition step's (SchemaForm's SegmentPicker), but reached through the cases
 * array: this is its own check of that path. Headless chromium through playwright-core against the
 * real server (tests/support/designer-browser.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-05T10:00:00+08:00');

interface Draft {
  flow: { nodes: { id: string; cases?: Record<string, unknown>[] }[] };
}

describe("the designer: a switch case's 人群", () => {
  const d = designerInBrowser({ name: 'switch-case-audience', clock: () => new VirtualClock(T0), viewport: { width: 1600, height: 1100 } });
  const { errors, textOf, until, newJourney, inspector, add, api, select } = d;
  let page: Page;
  beforeAll(() => void ({ page } = d.session()));

  const flowId = () => decodeURIComponent(new URL(page.url()).hash.replace(/^#\/flows\//, '').split(/[/?]/)[0]);
  async function firstCase(): Promise<Record<string, unknown> | undefined> {
    const r = await api('GET', `/api/flows/${flowId()}/draft`);
    if (r.status !== 200) return undefined;
    return ((await r.json()) as Draft).flow.nodes.find((n) => n.id === 'switch-1')?.cases?.[0];
  }

  it('picks a saved audience for a case by its title, keeps it in the draft without the old conditions, and shows it again after a reload', async () => {
    await newJourney('Switch by audience');
    await add('entry', 'start');
    await add('switch', 'switch-1');
    const form = inspector('switch-1');
    // A new case starts from conditions (palette.ts); the button swaps them for a saved audience.
    expect(await form.getByTestId('segment-picker').count()).toBe(0);
    await form.getByRole('button', { name: '使用规则文件' }).first().click();
    const picker = form.getByTestId('segment-picker').first();
    const options = () => picker.getByTestId('segment-select').locator('option').allTextContents();
    // Titles, as at the entry: no option is a file's id.
    expect(await options()).toContain('用手机购物的顾客');
    expect((await options()).filter((o) => /^[a-z0-9-]+$/.test(o))).toEqual([]);
    await picker.getByTestId('segment-search').fill('手机');
    await until(async () => !(await options()).includes('高价值沉睡客户'), 'the search to narrow the list');
    await picker.getByTestId('segment-select').selectOption('mobile-customers');
    // What it selects, in words; a case is no entry, so no "how to change" and no head count.
    await textOf(picker.getByTestId('segment-rule'), /^条件：/);
    expect(await picker.getByTestId('segment-how-to-change').count()).toBe(0);
    expect(await picker.getByTestId('segment-count').count()).toBe(0);
    await until(async () => (await firstCase())?.rule === 'mobile-customers', "the draft to hold the case's audience");
    expect(await firstCase()).not.toHaveProperty('conditions');
    await page.screenshot({ path: join(SHOTS, 'switch-case-audience.png') });

    // A reload opens the draft: the case still names its audience, picked in the picker.
    await page.reload();
    await page.getByTestId('palette-entry').waitFor();
    await select('switch-1');
    await until(async () => (await inspector('switch-1').getByTestId('segment-select').first().inputValue()) === 'mobile-customers', 'the reloaded picker to show the audience');
    expect(errors).toEqual([]);
  }, 90_000);
});
