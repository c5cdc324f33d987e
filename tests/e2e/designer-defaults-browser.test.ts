/**
 * What a new step defaults to, as a marketer meets it (twenty-sixth wave walk-through):
 * - a send step added to a 催付 journey was 营销, so the payment reminder took a slot of the shop's
 *   marketing caps (model/send-kind.ts): now 交易通知, shown on the card and said in the inspector,
 *   changeable, and 营销 on a reminder is warned about (core/flow/send-kind-checks.ts);
 * - 重复进入 was offered on a one-off audience, where it means nothing (model/reentry-applies.ts);
 * - a journey named in Chinese got the id journey-<date>: the first publish asks for the id with a
 *   suggestion from what the journey does (model/flow-id.ts suggestFlowId, ui/editor/PublishDialog.tsx).
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock). Each case sets up what it needs: run alone with -t, it passes.
 * The set-up is the marketer-walk file's (the shared helper is being written apart).
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';
import { buildDesignerIfStale } from '../support/designer-build.js';

process.env.REKINDLE_QUIET = '1';
const CHROMIUM = '/usr/bin/chromium';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const SHOTS = 'test-results';

describe('the designer: what a new step defaults to', () => {
  let server: TestApp;
  let browser: BrowserContext;
  let page: Page;
  let base: string;
  let drop: (() => Promise<void>) | undefined;
  const rules = tempDir('rekindle-defaults-rules-');
  const profile = tempDir('rekindle-defaults-chromium-');
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/browser.sh (npm test does)`);
    buildDesignerIfStale();
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite');
    drop = t.drop;
    server = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
    await server.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.app.getHttpServer().address() as AddressInfo).port}`;
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      viewport: { width: 1600, height: 1000 },
      locale: 'zh-CN',
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => errors.push(String(e)));
    // 404s are answers here (no draft yet); anything else at 400+ is a failure.
    page.on('response', (r) => r.status() >= 400 && r.status() !== 404 && errors.push(`${r.status()} ${r.url()}`));
  }, 120_000);

  afterEach(() => void errors.splice(0, errors.length));

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await drop?.();
    for (const dir of [rules, profile]) rmSync(dir, { recursive: true, force: true });
  });

  function api(method: string, url: string) {
    return fetch(base + url, { method, headers: server.headers('admin') });
  }

  async function textOf(locator: ReturnType<Page['locator']>, want: RegExp | string, timeout = 15_000) {
    const until = Date.now() + timeout;
    let last = '';
    while (Date.now() < until) {
      last = (await locator.textContent({ timeout }).catch(() => '')) ?? '';
      if (typeof want === 'string' ? last.includes(want) : want.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`expected ${String(want)}, found "${last}"`);
  }

  async function until(check: () => Promise<boolean>, what: string, timeout = 15_000) {
    const end = Date.now() + timeout;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** Signed in as the marketer, on a new blank journey of this name. */
  async function newJourney(name: string) {
    await page.goto(base + '/');
    await page.getByTestId('sign-in-username').or(page.getByTestId('session-user')).first().waitFor();
    if (await page.getByTestId('sign-in-username').isVisible()) {
      await page.getByTestId('sign-in-username').fill('marketer');
      await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
      await page.getByTestId('sign-in-submit').click();
      await textOf(page.getByTestId('session-user'), 'marketer');
    }
    await page.getByTestId('new-journey').click();
    await page.getByTestId('new-name').fill(name);
    await page.getByTestId('template-blank').click();
    await page.getByTestId('create-flow').click();
    await page.getByTestId('palette-entry').waitFor();
  }

  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const inspector = (id: string) => page.getByTestId(`inspector-${id}`);
  async function add(type: string, id: string) {
    await page.getByTestId(`palette-${type}`).click();
    await inspector(id).waitFor();
  }
  /** The canvas once it stops moving (adding a step fits the view a moment later). */
  async function settled() {
    const transform = () => page.evaluate<string>("document.querySelector('.react-flow__viewport')?.style.transform ?? ''");
    let last = await transform();
    for (let still = 0, polls = 0; still < 3 && polls < 100; polls++) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await transform();
      still = now === last ? still + 1 : 0;
      last = now;
    }
  }


  const field = (id: string, path: string, tag = 'select') => inspector(id).locator(`[data-field="${path}"] ${tag}`).first();
  async function connect(from: string, handle: string, to: string) {
    await node(from).click();
    await inspector(from).getByTestId(`edge-${handle}`).selectOption(to);
  }

  it('makes a send step added to a 催付 journey 交易通知, shows the kind on the card and what it counts against, lets the marketer change it and warns when a reminder is marked 营销', async () => {
    await newJourney('催付默认类别');
    await add('entry', 'start'); // a new entry: 下单 (order_created), keyed by 订单号
    await add('wait', 'wait-1');
    await add('send', 'send-1');
    await add('exit', 'exit-1');
    await node('send-1').click();
    await textOf(page.getByTestId('kind-send-1'), '交易通知');
    expect(await field('send-1', 'category').inputValue()).toBe('transactional');
    await textOf(inspector('send-1').getByTestId('send-kind-words'), '交易通知：关于顾客自己的订单');
    await textOf(inspector('send-1').getByTestId('send-kind-reason'), '这个旅程由「下单」触发');
    await field('send-1', 'template', 'textarea').fill('您的订单{{key}}还没有付款');
    await textOf(page.getByTestId('problems'), '(0)', 10_000);
    await settled();
    await page.screenshot({ path: join(SHOTS, 'defaults-send-kind-transactional.png') });
    // The marketer may still make it 营销: the card follows, and the Problems panel says why not.
    await field('send-1', 'category').selectOption('marketing');
    await textOf(page.getByTestId('kind-send-1'), '营销');
    await textOf(inspector('send-1').getByTestId('send-kind-words'), '营销：计入店铺的营销触达上限');
    await textOf(page.getByTestId('problems'), '这是催付提醒', 10_000);
    await textOf(inspector('send-1').locator('[data-field="category"] [data-testid="field-warning"]'), '请把「消息类别」改成「交易通知」');
    await page.screenshot({ path: join(SHOTS, 'defaults-send-kind-marketing-warned.png') });
    await field('send-1', 'category').selectOption('transactional');
    await textOf(page.getByTestId('problems'), '(0)', 10_000);
    // Published, the reminder is bound by no marketing cap: only the SMS quiet hours.
    await page.getByTestId('publish').click();
    await textOf(page.getByTestId('publish-sends'), '发送 1 个消息步骤：短信 1 个；交易通知 1 个');
    await textOf(page.getByTestId('publish-caps'), '短信 21:00–09:00 不发送');
    expect(await page.getByTestId('publish-caps').textContent()).not.toContain('营销消息');
    await page.getByTestId('publish-cancel').click();
    // A journey after a purchase defaults to 关怀; a one-off audience to 营销.
    await node('start').click();
    await field('start', 'trigger.event').selectOption('order_shipped');
    await node('exit-1').click();
    await page.getByTestId('palette-send').click();
    const added = page.locator('[data-testid^="kind-send-"]');
    await until(async () => (await added.count()) === 2, 'a second send step');
    await textOf(page.getByTestId('kind-send-2'), '关怀');
    expect(errors).toEqual([]);
  }, 120_000);

  it('says why 重复进入 is not asked on a one-off audience, keeps the choice on an event entry, and sets it back to 不允许 when the trigger becomes a one-off audience', async () => {
    await newJourney('一次性活动');
    const id = decodeURIComponent(page.url().split('#/flows/')[1]);
    await add('entry', 'start');
    await add('exit', 'exit-1');
    await node('start').click();
    const policy = field('start', 'reentry.policy');
    await policy.selectOption('always'); // an event entry: a customer may come back
    await until(async () => (await policy.inputValue()) === 'always', 'the choice');
    await inspector('start').locator('[data-field="trigger"] select').first().selectOption('audience');
    await inspector('start').getByTestId('reentry-not-applicable').waitFor();
    await textOf(inspector('start').getByTestId('reentry-not-applicable'), '一次性人群只在开始时间进入一次');
    expect(await inspector('start').locator('[data-field="reentry.policy"]').count()).toBe(0);
    expect(await inspector('start').getByTestId('reentry-reset').count()).toBe(0); // already 不允许
    await page.screenshot({ path: join(SHOTS, 'defaults-reentry-audience.png') });
    await until(async () => {
      const r = await api('GET', `/api/flows/${id}/draft`);
      if (r.status !== 200) return false;
      const start = ((await r.json()) as { flow: { nodes: { id: string; trigger?: { type?: string }; reentry?: { policy?: string } }[] } }).flow.nodes.find((n) => n.id === 'start');
      return start?.trigger?.type === 'audience' && start.reentry?.policy === 'never';
    }, 'the draft to say a one-off audience with reentry never');
    // A file that sets it anyway (imported, hand-written): warned in words, with a way back.
    const bad = { id: 'audience-always', name: '一次性 重复', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'd11-audience', startAt: '2027-10-27T09:00:00+08:00' }, reentry: { policy: 'always' }, next: 'done' }, { id: 'done', type: 'exit' }] };
    expect((await fetch(base + '/api/flows/audience-always/draft', { method: 'PUT', headers: { ...server.headers('marketer'), 'content-type': 'application/json' }, body: JSON.stringify({ flow: bad, revision: null, create: true }) })).status).toBe(200);
    await page.goto(base + '/#/flows/audience-always');
    await node('start').click();
    await textOf(inspector('start').locator('[data-testid="field-warning"]'), '一次性人群只在开始时间进入一次，之后不会再运行');
    await inspector('start').getByTestId('reentry-reset').click();
    await textOf(page.getByTestId('problems'), '(0)', 10_000);
    // Back on an event entry, the choice is there again.
    await inspector('start').locator('[data-field="trigger"] select').first().selectOption('event');
    await field('start', 'reentry.policy').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('asks for a telling id when a journey named in Chinese is first published: suggests one from the trigger and channels, refuses a bad or taken one naming 「旅程 ID」, and publishes under it', async () => {
    await newJourney('双十二催付');
    expect(page.url()).toMatch(/#\/flows\/journey-\d{8}/); // no template, a Chinese name: the stand-in until the publish
    const standIn = decodeURIComponent(page.url().split('#/flows/')[1]);
    await add('entry', 'start');
    await add('send', 'send-1');
    await field('send-1', 'template', 'textarea').fill('您的订单{{key}}还没有付款');
    await add('exit', 'exit-1');
    await textOf(page.getByTestId('problems'), '(0)', 10_000);
    await page.getByTestId('publish').click();
    const input = page.getByTestId('publish-id-input');
    await until(async () => (await input.inputValue()) === 'order-created-sms', 'the suggested id');
    await textOf(page.getByTestId('publish-id-help'), 'rules/flows/order-created-sms.flow.yaml');
    await page.screenshot({ path: join(SHOTS, 'defaults-publish-id.png') });
    await input.fill('双十二');
    await textOf(page.getByTestId('publish-id-error'), '「旅程 ID」：ID 只能用小写字母、数字和 -');
    expect(await page.getByTestId('publish-confirm').isDisabled()).toBe(true);
    await input.fill('payment-reminder'); // a shipped journey's
    await textOf(page.getByTestId('publish-id-error'), '「旅程 ID」：已有同名的旅程，请换一个 ID');
    await page.screenshot({ path: join(SHOTS, 'defaults-publish-id-taken.png') });
    await page.getByTestId('publish-id-suggestion').click();
    expect(await input.inputValue()).toBe('order-created-sms');
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    await until(async () => page.url().endsWith('#/flows/order-created-sms'), 'the editor of the new id');
    expect(existsSync(join(rules, 'flows', 'order-created-sms.flow.yaml'))).toBe(true);
    expect(existsSync(join(rules, 'flows', `${standIn}.flow.yaml`))).toBe(false);
    expect((await api('GET', `/api/flows/${standIn}/draft`)).status).toBe(204); // nothing left under the stand-in
    await textOf(page.getByTestId('flow-status'), 'v1');
    // Published: the id no longer changes, and a second publish does not ask for it.
    await node('send-1').click();
    await field('send-1', 'template', 'textarea').fill('您的订单{{key}}还没有付款，请尽快付款');
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-title').waitFor();
    expect(await page.getByTestId('publish-id').count()).toBe(0);
    await page.getByTestId('publish-cancel').click();
    expect(errors).toEqual([]);
  }, 120_000);
});
