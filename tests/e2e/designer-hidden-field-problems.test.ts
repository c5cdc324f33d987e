/**
 * A problem in a field the step's form does not show — the subject of an SMS (only an email has
 * one; a flow file or an import can still carry it) — was only in the Problems panel: the card
 * counted it in its badge, the form had no field to say it beside, so a marketer could not see what
 * to fix nor fix it. The card now says it in words (表单里看不到的「邮件标题」有 1 个问题), the form
 * lists it with a button that clears the field, and clearing it ends the problem.
 * Headless chromium through playwright-core, against the real server (run under
 * flock /work/wt/browser.lock).
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';
import { buildDesignerIfStale } from '../support/designer-build.js';

process.env.REKINDLE_QUIET = '1';
const CHROMIUM = '/usr/bin/chromium';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const FLOW = `id: hidden-subject
name: 隐藏字段的问题
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created, key: orderId }
    next: sms
  - id: sms
    type: send
    channel: sms
    category: care
    template: "您好 {{customer.name}}"
    subject: "{{customer.nmae}} 的订单"
    next: done
  - id: done
    type: exit
`;

describe('a problem in a field the form does not show, in the browser', () => {
  let server: TestApp;
  let browser: BrowserContext;
  let page: Page;
  let base: string;
  let drop: (() => Promise<void>) | undefined;
  const rules = tempDir('rekindle-hidden-rules-');
  const profile = tempDir('rekindle-hidden-chromium-');
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/browser.sh (npm test does)`);
    buildDesignerIfStale();
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'hidden-subject.flow.yaml'), FLOW);
    const t = await freshTarget('sqlite');
    drop = t.drop;
    server = await createTestApp({ database: t.target, rulesDir: rules, clock: new VirtualClock(T0), schedulers: false });
    await server.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      viewport: { width: 1600, height: 1000 },
      locale: 'zh-CN',
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => r.status() >= 400 && r.status() !== 404 && errors.push(`${r.status()} ${r.url()}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await drop?.();
    for (const dir of [rules, profile]) rmSync(dir, { recursive: true, force: true });
  });

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

  it('says it on the step on the canvas, lists it in the form with a way to clear it, and clearing ends it', async () => {
    await page.goto(base + '/');
    await page.getByTestId('sign-in-username').fill('marketer');
    await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await textOf(page.getByTestId('session-user'), 'marketer');
    await page.goto(`${base}/#/flows/hidden-subject`);

    // On the canvas: the step says which field it is, in Chinese, not just a number in a badge.
    const marker = page.getByTestId('hidden-problems-sms');
    await textOf(marker, '表单里看不到的「邮件标题」有 1 个问题');
    expect(await marker.getAttribute('title')).toContain('只有邮件有标题');
    expect(await marker.getAttribute('title')).toContain('customer.nmae');
    expect(await marker.isVisible()).toBe(true);
    // The card's summary is the message the SMS sends, not the subject it never sends.
    await textOf(page.getByTestId('summary-sms'), '短信：您好');

    // In the form: the problem in words, beside a button that clears the field.
    await page.locator('.react-flow__node[data-id="sms"]').click();
    const box = page.getByTestId('hidden-field-subject');
    await textOf(box, /表单里不显示「邮件标题」.*customer\.nmae/);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: join('test-results', 'hidden-field-problems.png') });
    await page.getByTestId('clear-hidden-subject').click();
    // The check runs again on the edited draft: the problem and the marker are gone.
    const end = Date.now() + 15_000;
    while (Date.now() < end && (await marker.count()) > 0) await new Promise((r) => setTimeout(r, 200));
    expect(await marker.count()).toBe(0);
    expect(await box.count()).toBe(0);
    expect(await page.getByTestId('problems-sms').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);
});
