/**
 * Walkthrough ten (2 Dec 2026): the designer defects earlier walkthroughs left, each pinned in
 * headless chromium (playwright-core, /usr/bin/chromium; run under flock /work/wt/browser.lock):
 * - the publish dialog said 没有警告 for an A/B arm most of whose customers never allowed its channel;
 * - a send's kind stayed 交易通知 after its 下单 journey became a segment one;
 * - a wait card said 等待 2 小时 of a file's `2 hours` while the inspector said it is not a duration;
 * - the inspector's labels named no input (getByLabel found nothing, clicking a label did nothing);
 * - the change list said 修改步骤：等待 2 小时, not what changed;
 * - auto layout drew the 对照组 line through the email card.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { MS_PER_DAY, VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import type { TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { EDGES_THROUGH_CARDS } from '../support/screen-boxes.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
/** Walkthrough nine's win-back test: SMS / email / 对照组, entered by a visit. */
const AB = `id: ab-winback
name: 唤醒 A/B
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: visit }
    next: split
  - id: split
    type: split
    label: 唤醒方式
    experiment: { id: winback-ab, window: 7d, responses: [{ event: order_paid }] }
    arms:
      - { id: a, label: 短信送券, weight: 45, next: sms }
      - { id: b, label: 邮件, weight: 45, next: mail }
      - { id: holdout, label: 对照组, weight: 10, holdout: true, next: done }
  - id: sms
    type: send
    channel: sms
    category: marketing
    template: 好久不见 回T退订
    next: done
  - id: mail
    type: send
    channel: email
    category: marketing
    subject: 好久不见
    template: 好久不见
    next: done
  - id: done
    type: exit
`;
const HAND_WAIT = `id: hand-wait
name: 手写的等待
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: visit }
    next: wait
  - id: wait
    type: wait
    duration: 2 hours
    next: done
  - id: done
    type: exit
`;


describe('walkthrough ten in the browser', () => {
  const clock = new VirtualClock(T0);
  const d = designerInBrowser({
    name: 'walk10',
    clock: () => clock,
    viewport: { width: 1500, height: 950 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', 'ab-winback.flow.yaml'), AB);
      writeFileSync(join(dir, 'flows', 'hand-wait.flow.yaml'), HAND_WAIT);
    },
  });
  const { errors, node, inspector, textOf } = d;
  const field = (id: string, path: string, tag = 'select') => inspector(id).locator(`[data-field="${path}"] ${tag}`).first();
  let server: TestApp;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    ({ server, page, base } = d.session());
    // 10 customers, 8 of whom never allowed email marketing.
    const noEmail = { sms: true, email: false, wechat: true, wangwang: true, push: true };
    await addCustomers(server.app.get(DataSource), Array.from({ length: 10 }, (_, i) => ({ externalId: `c${i}`, ...(i < 8 ? { consent: noEmail } : {}) })), T0 - 30 * MS_PER_DAY);
    await d.signIn('marketer');
  }, 120_000);

  it('warns in the publish dialog, naming the arm, that most customers who would reach the email arm cannot get its email', async () => {
    await page.goto(`${base}/#/flows/ab-winback`);
    await node('split').waitFor();
    await page.getByTestId('publish').click();
    // (The other warning: the test's visit event is not declared in rules/shop.yaml.)
    const warnings = await textOf(page.getByTestId('publish-warnings'), '「邮件」组');
    expect(warnings).not.toContain('没有警告');
    expect(warnings).toContain('A/B 分流「唤醒方式」的「邮件」组：第一步「发送邮件」发邮件，按现在的顾客，进入分流的 10 位中约 5 位分到这一组（45%），其中约 4 位（80%）没有邮件营销许可');
    expect(warnings).not.toContain('短信送券');
    await page.getByTestId('publish-dialog').screenshot({ path: join(SHOTS, 'walk10-publish-arm-consent.png') });
    await page.getByTestId('publish-cancel').click();
    expect(errors).toEqual([]);
  }, 90_000);

  it('draws no edge through a card after auto layout: the 对照组 line passes beside the email card', async () => {
    await page.goto(`${base}/#/flows/ab-winback`);
    await node('mail').waitFor();
    await page.getByTestId('auto-layout').click();
    await d.viewSettled();
    // Every drawn edge path, sampled in the page, against every card but its own two.
    const through = await page.evaluate<string[]>(EDGES_THROUGH_CARDS);
    await page.screenshot({ path: join(SHOTS, 'walk10-layout.png') });
    expect(through).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it("says a file's `2 hours` is not a duration on the card as the inspector does, and reads 2 小时 typed in", async () => {
    await page.goto(`${base}/#/flows/hand-wait`);
    await node('wait').waitFor();
    await textOf(node('wait'), '「2 hours」（不是有效的时长）');
    await d.select('wait');
    const input = field('wait', 'duration', 'input');
    expect(await input.inputValue()).toBe('2 hours');
    await textOf(inspector('wait').locator('[data-field="duration"] [data-testid="field-error"]'), '不是有效的时长');
    await input.fill('2 小时');
    await textOf(node('wait'), '等待 2 小时');
    expect(await node('wait').textContent()).not.toContain('不是有效的时长');
    expect(errors).toEqual([]);
  }, 90_000);

  it("ties the inspector's labels to their inputs: getByLabel finds them and clicking a label focuses its input", async () => {
    await page.goto(`${base}/#/flows/ab-winback`);
    await d.select('mail');
    const link = inspector('mail').getByLabel('链接');
    expect(await link.count()).toBe(1);
    await inspector('mail').locator('[data-field="link"] label').click();
    expect(await page.evaluate<string | null>('document.activeElement && document.activeElement.id')).toBe(await link.getAttribute('id'));
    expect(await inspector('mail').getByLabel(/^渠道/).inputValue()).toBe('email');
    expect(await inspector('mail').getByLabel(/^下一步/).count()).toBe(1);
    expect(errors).toEqual([]);
  }, 90_000);

  it('re-derives a send kind the trigger chose when the trigger changes: a 下单 journey turned into a segment one sends 营销', async () => {
    await d.newJourney('改了入口');
    await d.add('entry', 'start'); // 下单
    await d.add('send', 'send-1');
    await d.add('exit', 'exit-1');
    await d.select('send-1');
    await textOf(page.getByTestId('kind-send-1'), '交易通知');
    await d.select('start');
    await inspector('start').locator('[data-field="trigger"] select').first().selectOption('schedule');
    await textOf(page.getByTestId('kind-send-1'), '营销');
    await d.select('send-1');
    expect(await field('send-1', 'category').inputValue()).toBe('marketing');
    // Chosen by hand, 交易通知 stays, and the Problems panel says there is no order to notify about.
    await field('send-1', 'category').selectOption('transactional');
    await textOf(page.getByTestId('problems'), '这个旅程不是由订单触发的', 15_000);
    expect(errors).toEqual([]);
  }, 120_000);

  it('says in the change list what changed in a step: 等待时长 2 小时 → 1 天', async () => {
    await server.http().post('/api/flows/payment-reminder/publish').send({}).expect(200);
    await page.goto(`${base}/#/flows/payment-reminder`);
    const wait = page.locator('.react-flow__node').filter({ hasText: '等待 2 小时' }).first();
    await wait.click();
    const id = (await wait.getAttribute('data-id'))!;
    await field(id, 'duration', 'input').fill('1天');
    await textOf(node(id), '等待 1 天');
    await page.getByTestId('publish').click();
    await textOf(page.getByTestId('publish-changes'), '等待时长 2 小时 → 1 天');
    await page.getByTestId('publish-dialog').screenshot({ path: join(SHOTS, 'walk10-change-list.png') });
    await page.getByTestId('publish-cancel').click();
    expect(errors).toEqual([]);
  }, 90_000);
});
