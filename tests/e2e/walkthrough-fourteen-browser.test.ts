/**
 * Walkthrough fourteen (2 Dec 2026): leftovers of earlier walkthroughs, each met as a marketer
 * meets it, in headless chromium (playwright-core, /usr/bin/chromium; run under flock
 * /work/wt/browser.lock):
 * - a win-back SMS printing the coupon the email before it issued: customers without email
 *   consent got no coupon and the simulation held their SMS back, with no word while planning;
 * - a daily journey just published: its live view read 进入 0 without saying when it runs;
 * - 不满足 dragged by hand to the exit below a card: the line went through the card.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import type { TestApp } from '../support/http-app.js';
import { EDGES_THROUGH_CARDS } from '../support/screen-boxes.js';

process.env.REKINDLE_QUIET = '1';
/** 15:00 in the shop (Asia/Shanghai). */
const T0 = Date.parse('2026-11-20T15:00:00+08:00');
const WINBACK = `id: winback-sms
name: 召回邮件加短信提醒
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: sleeping-reactivation-candidates, every: day, at: '09:00' }
    next: mail
  - id: mail
    type: send
    label: 召回邮件
    channel: email
    category: marketing
    subject: 送你一张券
    template: "送你{{coupon.amount}}元券，券码{{coupon.code}}"
    coupon: welcome-back-10
    next: wait
  - id: wait
    type: wait
    duration: 3d
    next: sms
  - id: sms
    type: send
    label: 短信提醒用券
    channel: sms
    category: marketing
    template: 您的{{coupon.amount}}元券（券码{{coupon.code}}）快到期了 回T退订
    next: done
  - id: done
    type: exit
`;
const HAND_EDGE = `id: hand-edge
name: 手连的线
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: sleeping-reactivation-candidates, every: day, at: '09:00' }
    next: check
  - id: check
    type: condition
    label: 买过 3 单以上？
    conditions: { all: [ { fact: orderCount, operator: greaterThanInclusive, value: 3 } ] }
    yes: gift
  - id: gift
    type: send
    label: 老客礼物
    channel: sms
    category: marketing
    template: 老客礼物 回T退订
    next: done
  - id: done
    type: exit
`;
const HAND_EDGE_LAYOUT = `positions:
  start: { x: 0, y: 0 }
  check: { x: 0, y: 180 }
  gift: { x: 0, y: 360 }
  done: { x: 0, y: 540 }
`;


describe('walkthrough fourteen in the browser', () => {
  const clock = new VirtualClock(T0);
  const d = designerInBrowser({
    name: 'walk14',
    clock: () => clock,
    viewport: { width: 1500, height: 950 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', 'winback-sms.flow.yaml'), WINBACK);
      writeFileSync(join(dir, 'flows', 'hand-edge.flow.yaml'), HAND_EDGE);
      writeFileSync(join(dir, 'flows', 'hand-edge.layout.yaml'), HAND_EDGE_LAYOUT);
    },
  });
  const { errors, node, inspector, textOf } = d;
  let server: TestApp;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    ({ server, page, base } = d.session());
    await d.signIn('marketer');
  }, 120_000);

  it('says, while planning, that the SMS printing the email\'s coupon is held back for customers the email missed, and fixes it in one click', async () => {
    await page.goto(`${base}/#/flows/winback-sms`);
    await node('sms').waitFor();
    const said = await textOf(page.getByTestId('problems'), '「召回邮件」');
    expect(said).toContain('短信提醒用券：这条消息用的是「召回邮件」发的券');
    expect(said).toContain('没有邮件营销许可');
    await d.select('sms');
    await textOf(inspector('sms').locator('[data-field="coupon"]').first(), '这条短信会被拦下');
    await page.screenshot({ path: join(SHOTS, 'walk14-coupon-unsent.png') });
    await page.getByTestId('problem-fix').click();
    expect(await inspector('sms').locator('[data-field="coupon"] select').first().inputValue()).toBe('welcome-back-10');
    await d.until(async () => !((await page.getByTestId('problems').textContent()) ?? '').includes('「召回邮件」'), 'the warning to go');
    expect(errors).toEqual([]);
  }, 90_000);

  it("says beside a daily journey's live numbers, before its first run, when it runs next in shop time and what it draws", async () => {
    await server.http('marketer').post('/api/flows/pre-sleep/publish').send({}).expect(200);
    await page.goto(`${base}/#/flows/pre-sleep`);
    await node('start').waitFor();
    await page.getByTestId('live-counts').click();
    const said = await textOf(page.getByTestId('next-run'), '下次运行');
    expect(said).toBe('还没有顾客进入，这里暂时都是 0。下次运行：2026/11/21 10:00（店铺时间，Asia/Shanghai）：圈选人群「即将沉睡（预流失）」（每天 10:00 一次），符合条件的顾客进入旅程');
    await page.screenshot({ path: join(SHOTS, 'walk14-next-run.png') });
    expect(errors).toEqual([]);
  }, 90_000);

  it('draws a line dragged by hand around the cards, as auto layout does: the card it would cut through moves aside', async () => {
    await page.goto(`${base}/#/flows/hand-edge`);
    await node('done').waitFor();
    await d.viewSettled();
    expect(await page.evaluate<string[]>(EDGES_THROUGH_CARDS)).toEqual([]);
    const from = await node('check').locator('.react-flow__handle.source[data-handleid="no"]').boundingBox();
    const to = await node('done').locator('.react-flow__handle.target').boundingBox();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height / 2, { steps: 15 });
    await page.mouse.up();
    await page.locator('.react-flow__edge[data-testid="rf__edge-check:no"]').waitFor();
    await d.viewSettled();
    await page.screenshot({ path: join(SHOTS, 'walk14-hand-edge.png') });
    expect(await page.evaluate<string[]>(EDGES_THROUGH_CARDS)).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);
});
