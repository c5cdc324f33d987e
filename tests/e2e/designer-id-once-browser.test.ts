/**
 * A marketer's walkthrough found:
 * - a new journey named in Chinese got the id `journey-20261206`; at publish the dialog proposed
 *   `audience-20261206-1538-email-sms` (from the auto-named segment file) and asked for English,
 *   and changing it then re-drew the A/B groups of the simulation just run. The id is now asked
 *   for once, in 新建旅程, prefilled with what the journey does and the month (model/flow-id.ts);
 *   the publish dialog shows that id, and says plainly that a simulation's A/B groups no longer
 *   apply if it is changed after all (model/id-change-resplit.ts);
 * - 放弃修改 on a published journey turned the 实时数据 view off without a word (model/live-after-discard.ts);
 * - the 事件接入 line of a scheduled journey read 本旅程要处理「付款」事件 while its tooltip explained
 *   待处理, 待推进 and 处理延迟, none of them shown (model/intake-words.ts: intakeTitle).
 * Headless chromium through playwright-core against the real server.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2027-03-02T10:00:00+08:00');
const LIVE = 'winback-live';
const FLOW = `id: ${LIVE}
name: 唤醒实时
exitOn:
  - { event: order_paid, goal: true }
nodes:
  - { id: start, type: entry, trigger: { type: schedule, segment: sleeping-reactivation-candidates, every: day, at: '09:00' }, next: done }
  - { id: done, type: exit }
`;

describe('the journey id decided once, and the live view after 放弃修改', () => {
  const clock = new VirtualClock(T0);
  const errors: string[] = [];
  const d = designerInBrowser({
    name: 'id-once',
    clock: () => clock,
    errors,
    viewport: { width: 1440, height: 900 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', `${LIVE}.flow.yaml`), FLOW);
    },
  });
  const { textOf, until } = d;
  let page: Page;

  beforeAll(async () => {
    ({ page } = d.session());
    expect((await d.api('POST', `/api/flows/${LIVE}/publish`, {})).status).toBe(200);
  }, 120_000);

  it('asks for a readable id in 新建旅程, and the publish dialog keeps it; changed after a simulation, it says the A/B groups no longer apply', async () => {
    await d.signedIn();
    await page.getByTestId('new-journey').click();
    await page.getByTestId('new-name').fill('新品上市提醒');
    await page.getByTestId('template-new-product-launch').click();
    // The browser's month (the dialog runs there), not a timestamp of anything.
    const month = await page.evaluate<string>('new Date().toISOString().slice(0, 7)');
    const id = `product-launch-${month}`;
    expect(await page.getByTestId('new-id').inputValue()).toBe(id);
    await textOf(page.getByTestId('new-id-help'), '发布后不能再改');
    await page.getByTestId('new-flow-dialog').screenshot({ path: join(SHOTS, 'id-once-new.png') });
    await page.getByTestId('create-flow').click();
    await page.getByTestId('palette-entry').waitFor();
    await until(async () => page.url().endsWith(`#/flows/${id}`), 'the editor of the chosen id');
    await d.problemsSay('(0)', 15_000);

    await page.getByTestId('publish').click();
    const input = page.getByTestId('publish-id-input');
    await page.getByTestId('publish-id-help').waitFor();
    await textOf(page.getByTestId('publish-id-help'), `rules/flows/${id}.flow.yaml`);
    expect(await input.inputValue()).toBe(id); // not one built from the segment file
    expect(await page.getByTestId('publish-id-suggestion').count()).toBe(0);
    await input.fill(`${id}-x`);
    expect(await page.getByTestId('publish-id-resplit').count()).toBe(0); // no simulation yet: no groups to stop applying
    await page.getByTestId('publish-cancel').click();

    await page.getByTestId('simulate').click();
    await textOf(page.getByTestId('counts-note'), '画布上是模拟的数字', 30_000);
    await page.getByTestId('publish').click();
    await until(async () => (await input.inputValue()) === id, 'the same id after the simulation');
    expect(await page.getByTestId('publish-id-resplit').count()).toBe(0);
    await input.fill(`${id}-x`);
    await textOf(page.getByTestId('publish-id-resplit'), `刚才模拟的 A/B 分组不再适用`);
    await textOf(page.getByTestId('publish-id-resplit'), `保留「${id}」模拟结果才作数`);
    await page.getByTestId('publish-dialog').screenshot({ path: join(SHOTS, 'id-once-resplit.png') });
    await page.getByTestId('publish-cancel').click();
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps the 实时数据 view on after 放弃修改, and the intake tooltip explains no figure the line does not show', async () => {
    await d.signedIn();
    await page.goto(`${d.session().base}/#/flows/${LIVE}`);
    await page.getByTestId('toolbar').waitFor();
    await page.getByTestId('live-counts').click();
    const note = page.getByTestId('counts-note');
    await textOf(note, '画布上是实时数字');
    const intake = page.getByTestId('intake-lag');
    await textOf(intake, '本旅程要处理「付款」事件');
    const title = (await intake.getAttribute('title')) ?? '';
    for (const figure of ['待处理：', '待推进', '处理延迟：']) expect(title).not.toContain(figure);
    expect(title).toContain('收到后这里会显示待处理的个数和处理延迟');
    // An unpublished change, then 放弃修改.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.getByTestId('flow-inspector').locator('div[data-field="name"] input').first().fill('唤醒实时（改）');
    await page.getByTestId('discard').click();
    await page.getByTestId('confirm-ok').click();
    await textOf(page.getByTestId('flow-name'), '唤醒实时');
    await until(async () => ((await page.getByTestId('flow-name').textContent()) ?? '') === '唤醒实时', 'the live version back in the editor');
    await textOf(note, '画布上是实时数字');
    await intake.waitFor();
    await page.screenshot({ path: join(SHOTS, 'id-once-discarded-live.png') });
    expect(errors).toEqual([]);
  }, 90_000);
});
