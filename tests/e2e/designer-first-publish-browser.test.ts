/**
 * A marketer's walkthrough: a new journey drawn from blank (a daily audience, an end) and published
 * said 运行中 v1 · 有未发布的修改 at once, and 对比线上版本 listed 入口（频率 每天 → 未设置；时间
 * 09:00 → 未设置） and 提前结束条件已修改: the drawing lacked the schema's defaults the server wrote into
 * the version (every: day, at: 09:00, exitOn: []). 发布修改 then published nothing new, and only a
 * reload cleared it. After a publish the canvas is now the journey as it went live.
 * Headless chromium through playwright-core against the real server.
 */
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2027-03-02T10:00:00+08:00');

describe('a new journey right after its first publish', () => {
  const clock = new VirtualClock(T0);
  const errors: string[] = [];
  const d = designerInBrowser({ name: 'first-publish', clock: () => clock, errors, viewport: { width: 1440, height: 900 } });
  const { textOf, until } = d;

  it('says 运行中 v1 and no unpublished change, and 对比线上版本 is not offered', async () => {
    const { page } = d.session();
    await d.signedIn();
    await page.getByTestId('new-journey').click();
    await page.getByTestId('new-name').fill('测试首发');
    await page.getByTestId('template-blank').click();
    await page.getByTestId('new-id').fill('first-publish-test');
    await page.getByTestId('create-flow').click();
    await page.getByTestId('palette-entry').waitFor();
    await until(async () => page.url().endsWith('#/flows/first-publish-test'), 'the new journey');
    // An entry, turned into a daily audience: its frequency and time left as shown (每天 09:00).
    await page.getByTestId('palette-entry').click();
    await page.locator('select[data-variant="trigger.type"]').selectOption('schedule');
    await page.getByTestId('segment-select').selectOption('pre-sleep');
    await page.getByTestId('palette-exit').click();
    await d.problemsSay('(0)', 15_000);

    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').click();
    await textOf(page.getByTestId('flow-status'), 'v1');
    await textOf(page.getByTestId('message'), 'v1');
    // The live version is read after the publish (useLiveVersion): give the badge the time it took to come.
    await new Promise((r) => setTimeout(r, 1_500));
    await page.getByTestId('toolbar').screenshot({ path: join(SHOTS, 'first-publish-toolbar.png') });
    expect(await page.getByTestId('unpublished').count()).toBe(0);
    expect(await page.getByTestId('diff').count()).toBe(0);
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    // What runs has the schedule's defaults, and the canvas says so too.
    const version = (await (await d.api('GET', '/api/flows/first-publish-test/versions/1')).json()) as { flow: { nodes: { type: string; trigger?: { every?: string; at?: string } }[] } };
    expect(version.flow.nodes.find((n) => n.type === 'entry')!.trigger).toMatchObject({ type: 'schedule', segment: 'pre-sleep', every: 'day', at: '09:00' });
    expect(errors).toEqual([]);
  }, 120_000);
});
