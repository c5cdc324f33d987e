import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { DataSource } from 'typeorm';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';

/**
 * The designer in a real browser (Debian chromium via playwright-core; scripts/browser.sh
 * installs it): a marketer draws the payment reminder from the palette, configures a condition
 * in the rule builder, saves, publishes, simulates and sees the counts on the canvas.
 */
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const CHROMIUM = '/usr/bin/chromium';
const FLOW = 'browser-reminder';

describe('designer in headless chromium', () => {
  let app: NestExpressApplication;
  let api: TestApp;
  let browser: BrowserContext;
  let page: Page;
  let base: string;
  const rules = mkdtempSync(join(tmpdir(), 'rekindle-browser-rules-'));
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/browser.sh (npm test does)`);
    // Build what the server serves at / (npm test's setup builds it too; this keeps the test honest alone).
    execFileSync('npx', ['vite', 'build', '--config', 'designer/vite.config.ts', '--logLevel', 'error'], { stdio: 'inherit' });
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite');
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
    app = api.app;
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    // A few unpaid orders in the last days, one paid within the hour: what the simulation replays.
    const ds = app.get(DataSource);
    await addCustomers(ds, ['b-1', 'b-2', 'b-3'].map((externalId) => ({ externalId })), T0 - 30 * 24 * MS_PER_HOUR);
    const ev = (who: string, type: string, orderId: string, at: number) => ({ customerExternalId: who, type, properties: { orderId }, occurredAt: new Date(at).toISOString(), idempotencyKey: `${type}:${orderId}` });
    const res = await fetch(`${base}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...api.headers('admin') },
      body: JSON.stringify([ev('b-1', 'order_created', 'o-1', T0 - 4 * 24 * MS_PER_HOUR), ev('b-2', 'order_created', 'o-2', T0 - 3 * 24 * MS_PER_HOUR), ev('b-3', 'order_created', 'o-3', T0 - 2 * 24 * MS_PER_HOUR), ev('b-3', 'order_paid', 'o-3', T0 - 2 * 24 * MS_PER_HOUR + 3 * MS_PER_HOUR)]),
    });
    expect(res.ok).toBe(true);
    // A fresh profile each run (playwright passes it to chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'rekindle-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      viewport: { width: 1600, height: 1100 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** playwright-core has no test runner's expect: poll a locator's text until it matches. */
  async function textOf(locator: ReturnType<Page['locator']>, want: RegExp | string, timeout = 10_000) {
    const until = Date.now() + timeout;
    let last = '';
    while (Date.now() < until) {
      last = (await locator.textContent({ timeout }).catch(() => '')) ?? '';
      if (typeof want === 'string' ? last.includes(want) : want.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`expected ${String(want)}, found "${last}"`);
  }

  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const inspector = (id: string) => page.getByTestId(`inspector-${id}`);
  const field = (id: string, name: string, tag = 'input') => inspector(id).locator(`[data-field="${name}"] ${tag}`).first();

  /** Drags from a node's branch handle to another node's input, as a marketer would. */
  async function connect(source: string, handle: string, target: string) {
    const from = await node(source).locator(`.react-flow__handle[data-handleid="${handle}"]`).boundingBox();
    const to = await node(target).locator('.react-flow__handle.target').boundingBox();
    if (!from || !to) throw new Error(`handle ${source}:${handle} or ${target} not on screen`);
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.locator(`.react-flow__edge[data-id="${source}:${handle}"]`).waitFor();
  }

  async function add(type: string, id: string) {
    await page.getByTestId(`palette-${type}`).click();
    await inspector(id).waitFor();
  }

  /** The designer shows nothing of the shop until an account signs in. */
  async function signIn(username: string, password = TEST_PASSWORD) {
    await page.goto(base + '/');
    await page.getByTestId('sign-in-username').fill(username);
    await page.getByTestId('sign-in-password').fill(password);
    await page.getByTestId('sign-in-submit').click();
    await textOf(page.getByTestId('session-user'), username);
  }

  it('draws, configures, saves, publishes and simulates a payment reminder', async () => {
    await page.goto(base + '/');
    await page.getByTestId('sign-in').waitFor();
    expect(await page.locator('.react-flow').count()).toBe(0);
    // A wrong password is refused on the page (the 401 is the expected answer, not an error).
    await page.getByTestId('sign-in-username').fill('marketer');
    await page.getByTestId('sign-in-password').fill('not the password');
    await page.getByTestId('sign-in-submit').click();
    await textOf(page.getByTestId('sign-in-error'), 'Wrong username or password');
    expect(errors.filter((e) => !/^401 .*\/api\/auth\/sign-in$|status of 401/.test(e))).toEqual([]);
    errors.splice(0, errors.length);
    await signIn('marketer');
    await textOf(page.getByTestId('palette-entry'), '入口'); // Chinese by default
    await page.getByTestId('new-flow-id').fill(FLOW);
    await page.getByTestId('new-flow').click();

    await add('entry', 'start');
    await field('start', 'event').fill('order_created');
    await field('start', 'key').fill('orderId');
    await add('wait', 'wait-1');
    await field('wait-1', 'duration').fill('2h');
    await add('condition', 'check-1');
    // The rule builder: SMS consent, with the live count of matching customers.
    const row = inspector('check-1').getByTestId('rule-row').first();
    await row.getByTestId('rule-fact').selectOption('consentSms');
    await row.getByTestId('rule-operator').selectOption('equal');
    await row.getByTestId('rule-value').selectOption('true');
    await textOf(inspector('check-1').getByTestId('rule-count'), /: 3$/, 10_000);
    await add('send', 'send-1');
    await field('send-1', 'template', 'textarea').fill('【示例店】您的订单{{key}}尚未付款 {{link}}');
    await field('send-1', 'link').fill('https://shop.example.com/pay');
    await add('waitForEvent', 'wait-event-1');
    await field('wait-event-1', 'within').fill('22h');
    await field('wait-event-1', 'match', 'textarea').fill('orderId=$key');
    await field('wait-event-1', 'match', 'textarea').blur();
    await add('exit', 'exit-1');
    await field('exit-1', 'goal').check();
    await add('exit', 'exit-2');

    // Problems show on the nodes while branches are unconnected.
    await page.getByTestId('problems-check-1').waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(true); // publishing is refused while problems exist
    await connect('start', 'next', 'wait-1');
    await connect('wait-1', 'next', 'check-1');
    await connect('check-1', 'yes', 'send-1');
    await connect('check-1', 'no', 'exit-2');
    await connect('send-1', 'next', 'wait-event-1');
    await connect('wait-event-1', 'responded', 'exit-1');
    await connect('wait-event-1', 'timedOut', 'exit-2');
    await textOf(page.getByTestId('problems'), '(0)', 10_000);
    await page.getByTestId('auto-layout').click();

    await page.getByTestId('save').click();
    await textOf(page.getByTestId('message'), '已保存');
    const file = join(rules, 'flows', `${FLOW}.flow.yaml`);
    const saved = parse(readFileSync(file, 'utf8'));
    expect(saved.nodes.map((n: { id: string; type: string }) => `${n.id}:${n.type}`)).toEqual(['start:entry', 'wait-1:wait', 'check-1:condition', 'send-1:send', 'wait-event-1:waitForEvent', 'exit-1:exit', 'exit-2:exit']);
    expect(saved.nodes[0].trigger).toMatchObject({ type: 'event', event: 'order_created', key: 'orderId' });
    expect(saved.nodes[2]).toMatchObject({ conditions: { all: [{ fact: 'consentSms', operator: 'equal', value: true }] }, yes: 'send-1', no: 'exit-2' });
    expect(saved.nodes[4]).toMatchObject({ events: ['order_paid'], within: '22h', match: { orderId: '$key' }, responded: 'exit-1', timedOut: 'exit-2' });
    expect(existsSync(join(rules, 'flows', `${FLOW}.layout.yaml`))).toBe(true);
    expect([...validateFiles([file], rules).values()].flat()).toEqual([]); // what `rekindle validate` says

    await page.getByTestId('publish').click();
    await textOf(page.getByTestId('flow-status'), '运行中');

    await page.getByTestId('simulate').click();
    await textOf(page.getByTestId('counts-start'), '进入 3', 30_000);
    await page.getByTestId('counts-send-1').waitFor();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/designer.png' });

    await page.getByTestId('lang').click();
    await textOf(page.getByTestId('palette-entry'), 'Entry');
    expect(errors).toEqual([]);
  }, 120_000);

  it('starts from a template, undoes and redoes, and shows a customer with their facts', async () => {
    await page.goto(base + '/');
    await textOf(page.getByTestId('palette-entry'), 'Entry'); // the language chosen before is remembered
    await page.getByTestId('new-flow-id').fill('from-template');
    await page.getByTestId('open-templates').click();
    await page.getByTestId('templates').getByText('Use as template').first().waitFor();
    const names = await page.getByTestId('templates').locator('.template code').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['payment-reminder', 'double11-campaign']));
    await page.getByTestId('templates').locator('.template', { hasText: 'payment-reminder' }).getByRole('button').click();
    await node('wait-paid').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(10);
    await page.getByTestId('palette-exit').click();
    await textOf(page.locator('.react-flow__nodes'), 'exit-1');
    expect(await page.locator('.react-flow__node').count()).toBe(11);
    await page.keyboard.press('Escape');
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await node('exit-1').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+y');
    await node('exit-1').waitFor();
    // Drag from the palette onto the canvas; copy and paste a node (fresh id).
    await page.getByTestId('palette-action').dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 200, y: 200 } });
    await node('action-1').waitFor();
    await node('wait-2h').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await node('wait-1').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(13);

    await page.getByTestId('tab-customers').click();
    await page.getByTestId('customer-search').fill('b-1');
    await page.getByTestId('customer-search').press('Enter');
    await page.getByText('b-1 · b-1').click();
    await textOf(page.locator('.customer-detail'), 'orderCount');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows the experiment report of a published A/B split next to its settings', async () => {
    const ab = {
      id: 'ab-test',
      name: 'A/B',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'split' },
        { id: 'split', type: 'split', experiment: { id: 'ab-exp' }, arms: [{ id: 'a', weight: 50, next: 'done' }, { id: 'holdout', weight: 50, holdout: true, next: 'done' }] },
        { id: 'done', type: 'exit' },
      ],
    };
    writeFileSync(join(rules, 'flows', 'ab-test.flow.yaml'), JSON.stringify(ab)); // JSON is YAML
    const pub = await fetch(`${base}/api/flows/ab-test/publish`, { method: 'POST', headers: { 'content-type': 'application/json', ...api.headers('marketer') }, body: '{}' });
    expect(pub.status).toBe(200);
    await page.goto(base + '/');
    await page.getByTestId('flow-select').selectOption('ab-test');
    await node('split').click();
    const panel = page.getByTestId('experiment');
    await textOf(panel, 'ab-exp');
    expect(await panel.locator('tbody tr').count()).toBe(2);
    expect(await panel.locator('svg circle').count()).toBe(2);
    expect(errors).toEqual([]);
  }, 60_000);

  it('an analyst signs in, sees flows read-only: the publish button and the API both refuse', async () => {
    await page.goto(base + '/');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    await signIn('analyst');
    await page.getByTestId('flow-select').selectOption('ab-test');
    await node('split').waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    // The same session, straight at the API with the page's CSRF token: refused.
    const status = await page.evaluate(async () => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const r = await fetch('/api/flows/ab-test/publish', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: '{}' });
      return r.status;
    });
    expect(status).toBe(403);
    // The 403 above is the point; nothing else may have failed.
    expect(errors.filter((e) => !/^403 .*\/api\/flows\/ab-test\/publish$|status of 403/.test(e))).toEqual([]);
    errors.splice(0, errors.length);
  }, 60_000);

  it('an admin reads the audit log: who saved and published the flow', async () => {
    await page.goto(base + '/');
    await page.getByTestId('sign-out').click();
    await signIn('admin');
    await page.getByTestId('open-audit').click();
    const rows = page.getByTestId('audit').locator('[data-testid="audit-row"]');
    await textOf(page.getByTestId('audit'), 'flow-published');
    const texts = await rows.allTextContents();
    expect(texts.some((t) => t.includes('marketer') && t.includes('flow-published') && t.includes(`flow:${FLOW}`))).toBe(true);
    expect(texts.some((t) => t.includes('marketer') && /flow-(saved|created)/.test(t))).toBe(true);
    await page.getByTestId('audit-close').click();
    expect(errors).toEqual([]);
  }, 60_000);
});
