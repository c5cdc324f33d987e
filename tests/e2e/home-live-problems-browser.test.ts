/**
 * The journeys home (旅程), in headless chromium (run under flock /work/wt/browser.lock): a segment
 * is renamed in git while the journey that enters by it runs. The running version still names the old
 * file, so nobody enters any more — said before only in the server's log. The home now says it under
 * the journey, in words, with the step and what to do; an analyst sees it too.
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('the designer: a live journey whose entry segment is gone from rules/', () => {
  const d = designerInBrowser({ name: 'home-live-problems', clock: () => new VirtualClock(T0) });
  const { api, errors, textOf, signIn, signedIn } = d;
  let page: Page;
  beforeAll(async () => {
    ({ page } = d.session());
    expect((await api('POST', '/api/flows/pre-sleep/publish', {}, 'marketer')).status).toBe(200);
  });

  it('says nothing while the running version finds what it names', async () => {
    await signedIn('marketer');
    await page.getByTestId('home-flow-pre-sleep').waitFor();
    expect(await page.getByTestId('home-live-problem').count()).toBe(0);
  });

  it('says under the journey that its running version names a segment no longer there, with the step', async () => {
    renameSync(join(d.rules, 'segments', 'pre-sleep.yaml'), join(d.rules, 'segments', 'about-to-sleep.yaml'));
    await page.reload();
    const row = page.getByTestId('home-flow-pre-sleep');
    await textOf(row.getByTestId('home-live-problem'), '正在运行的版本 v1 用到的内容已不在 rules/ 里：人群规则「pre-sleep」不存在');
    await textOf(row.getByTestId('home-live-problem'), '（步骤 start）。请放回该文件，或发布一个不再用到它的版本');
    await page.screenshot({ path: join(SHOTS, 'home-live-problem.png') });
    // Only that journey: the others' rows say nothing.
    expect(await page.getByTestId('home-live-problem').count()).toBe(1);
    await page.context().clearCookies();
    await signIn('analyst');
    await textOf(page.getByTestId('home-flow-pre-sleep').getByTestId('home-live-problem'), '人群规则「pre-sleep」不存在');
    expect(errors).toEqual([]);
  });
});
