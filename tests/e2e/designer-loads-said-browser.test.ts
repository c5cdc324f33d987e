/**
 * The designer's one-off loads when the server cannot answer (a restart, an overloaded gateway):
 * the server's check of the drawing, the forms' choices (events, coupons), the live numbers, the
 * journeys in flight before a pause, the ids taken in 确认发布, the customer page's time zone and
 * its step names, and the live view's event-intake line dropped their errors, so a marketer saw 正在检查 for ever, empty choices, numbers that had
 * stopped updating, "0 位顾客在旅程中" and an id said free without anything said. Now each is
 * asked again (model/retried.ts), then says in Chinese what did not load, and 重试 brings it.
 * A mistake in the designer's own code while opening a flow is said at once, not asked again.
 * Headless chromium through playwright-core against the real server.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page, Route } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { join } from 'node:path';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { ENGINE_RUNTIME } from '../../server/src/api/journeys/engine-runtime.provider.js';
import type { EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DataSource } from 'typeorm';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-05T10:00:00+08:00');

describe('the designer: what did not load is said, and 重试 brings it', () => {
  const d = designerInBrowser({ name: 'loads-said', clock: () => new VirtualClock(T0) });
  const { errors, textOf, signedIn, node, api, until, newJourney, add } = d;
  let page: Page;
  beforeAll(async () => {
    ({ page } = d.session());
    // The page's timers on a clock the test moves (it flows as usual otherwise): see afterRetries.
    await page.clock.install();
  });
  /** The requests the server answers 503 to, by name; the others go through. */
  const down = new Set<string>();
  const asked = new Map<string, number>();
  const unavailable = (what: string) => async (route: Route) => {
    asked.set(what, (asked.get(what) ?? 0) + 1);
    if (!down.has(what)) return route.continue();
    return route.fulfill({ status: 503, contentType: 'application/json', body: '{"statusCode":503,"message":"Service Unavailable"}' });
  };
  const gone = (testId: string) => page.getByTestId(testId).waitFor({ state: 'detached' });
  /**
   * What the designer says once its tries are spent, the waits between them (0.5 + 1 + 2 + 4 + 8 s)
   * jumped over on the page's clock instead of sat out (the file spent a minute and a quarter
   * waiting). A second of the page's time at a time, so every try still goes to the server.
   */
  const afterRetries = async (testId: string, want: string) => {
    const said = page.getByTestId(testId);
    for (let i = 0; i < 60; i++) {
      if ((await said.count()) > 0 && ((await said.textContent()) ?? '').includes(want)) break;
      await page.clock.fastForward(1_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    return textOf(said, want);
  };

  it('in the flow editor: the check, the forms\' choices, the live numbers and the journeys in flight', async () => {
    await signedIn();
    expect((await api('POST', '/api/flows/payment-reminder/publish', {})).status).toBe(200);
    await page.route('**/api/flows/validate', unavailable('validate'));
    await page.route('**/api/coupons', unavailable('coupons'));
    await page.route('**/api/event-types', unavailable('events'));
    await page.route('**/api/flows/payment-reminder/counts', unavailable('counts'));
    ['validate', 'coupons', 'events'].forEach((w) => down.add(w));
    await page.goto(`${d.session().base}/#/flows/payment-reminder`);
    await node('start').waitFor();
    // The Problems panel said 正在检查… for ever; the forms offered no events and no coupons.
    await afterRetries('problems-check-failed', '服务器的检查没能完成，下面只列出设计器自己发现的问题：服务器出错（503）');
    expect(await page.getByTestId('problems-checking').count()).toBe(0);
    const choices = await afterRetries('catalogue-failed', '表单的选项暂时加载不了（');
    expect(choices).toMatch(/事件/);
    expect(choices).toMatch(/优惠券/);
    expect(choices).toMatch(/服务器出错（503）/);
    expect(asked.get('validate')).toBeGreaterThan(1); // asked again before saying so
    await page.screenshot({ path: join(SHOTS, 'loads-said-editor.png') });
    down.clear();
    await page.getByTestId('problems-check-failed-retry').click();
    await gone('problems-check-failed');
    await until(async () => (await page.getByTestId('problems-checking').count()) === 0, 'the check to answer');
    await page.getByTestId('catalogue-failed-retry').click();
    await gone('catalogue-failed');

    // The live numbers: read, then a poll fails — the canvas keeps them, marked as not updated.
    await page.getByTestId('live-counts').click();
    await page.getByTestId('counts-note').waitFor();
    down.add('counts');
    await afterRetries('counts-stale', '实时数字没能更新，画布上仍是上次读取的数字：服务器出错（503）');
    // Pausing asks how many are in the journey: not "0 位顾客" when that cannot be read.
    await page.getByTestId('pause').click();
    const body = await afterRetries('confirm-body', '旅程中的顾客人数暂时查不到：服务器出错（503）');
    expect(body).not.toMatch(/0 位顾客/);
    await page.screenshot({ path: join(SHOTS, 'loads-said-pause.png') });
    await page.getByTestId('confirm-cancel').click();
    down.clear();
    await page.getByTestId('counts-stale-retry').click();
    await gone('counts-stale');
    await page.getByTestId('counts-note').waitFor();
    await page.getByTestId('pause').click();
    await textOf(page.getByTestId('confirm-body'), /目前有 \d+ 位顾客在旅程中/);
    await page.getByTestId('confirm-cancel').click();

    // The event-intake line polls every 5 s: a failed poll is said, not left counting as if current.
    await page.getByTestId('intake-lag').waitFor();
    await page.route('**/api/events/intake', unavailable('intake'));
    down.add('intake');
    await afterRetries('intake-stale', '事件接入的数字没能更新，这里仍是上次读取的数字：服务器出错（503）');
    expect(await page.getByTestId('intake-lag').count()).toBe(1); // the last figures stay, marked
    down.clear();
    await page.getByTestId('intake-stale-retry').click();
    await gone('intake-stale');
    await page.unrouteAll();
    expect(errors.filter((e) => !/503/.test(e))).toEqual([]);
  }, 180_000);

  it('in 确认发布: the ids taken are not said free when they could not be read', async () => {
    await newJourney('取名字');
    await add('entry', 'start');
    await add('exit', 'exit-1');
    const standIn = decodeURIComponent(page.url().split('#/flows/')[1]!);
    await page.route('**/api/home', unavailable('home'));
    down.add('home');
    await page.getByTestId('publish').click();
    await afterRetries('publish-id-unknown', '已有旅程的 ID 暂时加载不了，无法确认这个 ID 没有被占用（发布时服务器仍会检查）：服务器出错（503）');
    expect(await page.getByTestId('publish-id-input').inputValue()).toBe(standIn); // the id chosen in 新建旅程
    await page.screenshot({ path: join(SHOTS, 'loads-said-publish-id.png') });
    down.clear();
    await page.getByTestId('publish-id-unknown-retry').click();
    await gone('publish-id-unknown');
    // Once the taken ones are known, a taken id is said on the field.
    await page.getByTestId('publish-id-input').fill('payment-reminder');
    await textOf(page.getByTestId('publish-id-error'), '已有同名的旅程');
    await page.getByTestId('publish-cancel').click();
    await page.unrouteAll();
    expect(errors.filter((e) => !/503/.test(e))).toEqual([]);
  }, 120_000);

  it('on the customers page: times are said to be in the browser\'s zone when the shop\'s did not load', async () => {
    await signedIn();
    await page.route('**/api/shop', unavailable('shop'));
    down.add('shop');
    await page.goto(`${d.session().base}/#/customers`);
    await afterRetries('timezone-failed', '店铺的时区暂时加载不了，时间按浏览器的时区显示：服务器出错（503）');
    down.clear();
    await page.getByTestId('timezone-failed-retry').click();
    await gone('timezone-failed');
    await page.unrouteAll();
    expect(errors.filter((e) => !/503/.test(e))).toEqual([]);
  }, 120_000);

  it('on the customers page: steps shown by their id are said to be so when their journey could not be read', async () => {
    await signedIn();
    expect((await api('POST', '/api/flows/payment-reminder/publish', {})).status).toBe(200); // already, in the whole file
    const { server } = d.session();
    const ds = server.app.get(DataSource);
    const [id] = await addCustomers(ds, [{ externalId: 'names-1', name: '步骤名' }], T0 - 86_400_000);
    const rt = server.app.get(ENGINE_RUNTIME) as EngineRuntime;
    const live = (await rt.flows.published()).find((v) => v.flowId === 'payment-reminder')!;
    await rt.engine.enrollCustomers(live.version, [{ customerId: id!, journeyKey: 'o-names', entryKey: 'names-1' }], T0, 'test');
    await page.route('**/api/flows/payment-reminder/file', unavailable('file'));
    down.add('file');
    await page.goto(`${d.session().base}/#/customers`);
    await page.getByTestId('customer-search').fill('names-1');
    await page.getByTestId('customer-search').press('Enter');
    await page.getByText('names-1 · 步骤名').click();
    await textOf(page.getByTestId('step-names-failed'), '旅程的步骤名称暂时加载不了，下面有些步骤只显示它的 ID：服务器出错（503）');
    down.clear();
    await page.getByTestId('step-names-failed-retry').click();
    await gone('step-names-failed');
    await page.unrouteAll();
    expect(errors.filter((e) => !/503/.test(e))).toEqual([]);
  }, 120_000);

  it('says a mistake in the designer while opening a flow at once, without asking the server again', async () => {
    await signedIn();
    let drafts = 0;
    // A draft the designer cannot convert (its steps are not a list): a TypeError in the designer, not the server's failure.
    await page.route('**/api/flows/payment-reminder/draft', async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      drafts += 1;
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ flow: { id: 'payment-reminder', name: 'x', nodes: null }, layout: null, revision: 1, updatedAt: T0, baseVersion: 1 }) });
    });
    const started = Date.now();
    await page.goto(`${d.session().base}/#/flows/payment-reminder`);
    await textOf(page.getByTestId('flow-load-failed'), '这个旅程暂时打不开：设计器出错（');
    expect(Date.now() - started).toBeLessThan(8_000); // not after half a minute of tries
    await new Promise((r) => setTimeout(r, 1_500));
    expect(drafts).toBe(1);
    await page.unrouteAll();
    expect(errors.filter((e) => !/503/.test(e))).toEqual([]);
  }, 60_000);
});
