/**
 * A marketer's walk-through (walk-mkt) of a published A/B win-back test's live view:
 * - auto-laid out, it read "组 10% · 0 (0%)" on the 对照组 line: React Flow put the count label at
 *   the middle of the curve, which ran beside the other arm's SMS card, and the card covered the
 *   branch's name. Each count label now sits where no card covers it (model/edge-label-spot.ts,
 *   ui/editor/CountEdge.tsx);
 * - after 暂停 the note went on saying 下次运行：明天 09:00 …符合条件的顾客进入旅程 until the next
 *   poll, and nothing said what a pause does to a scheduled journey's runs
 *   (model/next-run-words.ts pausedRunWords, ui/editor/NextRunNote.tsx).
 * Headless chromium through playwright-core, against the real server (run under
 * flock /work/wt/browser.lock); the case sets up what it needs.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-04T21:00:00+08:00');
const ID = 'winback-ab-labels';

/** The walk's journey as published (v2), with the positions auto layout gave it. */
const FLOW = `id: ${ID}
name: 沉睡老客唤醒 2026冬
nodes:
  - { id: start, type: entry, label: 每天圈选沉睡老客, trigger: { type: schedule, segment: sleeping-reactivation-candidates, every: day, at: '09:00' }, reentry: { policy: after, days: 60 }, next: split-1 }
  - id: split-1
    type: split
    by: customer
    arms:
      - { id: a, label: 方案 A, weight: 45, next: send-1 }
      - { id: b, label: 方案 B, weight: 45, next: send-3 }
      - { id: holdout, label: 对照组, weight: 10, holdout: true, next: wait-event-1 }
  - { id: send-1, type: send, label: 邮件：专属回归券, channel: email, fallback: sms, subject: 好久不见, template: '{{customer.name}}，送您 {{coupon.amount}} 元回归券 {{coupon.code}}', coupon: sleeping-vip-30, next: wait-1 }
  - { id: wait-1, type: wait, duration: 3d, next: send-2 }
  - { id: send-2, type: send, label: 短信：提醒用券, channel: sms, template: '{{customer.name}}，回归券 {{coupon.code}} 快到期了，回T退订', coupon: sleeping-vip-30, next: wait-event-1 }
  - { id: send-3, type: send, label: 短信：无门槛券, channel: sms, template: '{{customer.name}}，送您无门槛券 {{coupon.code}}，回T退订', coupon: welcome-back-10, next: wait-event-1 }
  - { id: wait-event-1, type: waitForEvent, label: 5 天内付款？, events: [order_paid], within: 5d, responded: exit-1, timedOut: action-1 }
  - { id: exit-1, type: exit, label: 已回购, goal: true }
  - { id: action-1, type: action, label: 标记放弃, action: { kind: addTag, tag: given-up }, next: exit-2 }
  - { id: exit-2, type: exit, goal: false }
`;
const LAYOUT = `positions:
  start: { x: 271, y: 12 }
  split-1: { x: 256, y: 180 }
  send-1: { x: 55, y: 348 }
  send-3: { x: 170, y: 516 }
  wait-1: { x: -174, y: 547 }
  send-2: { x: 55, y: 684 }
  wait-event-1: { x: 272, y: 852 }
  exit-1: { x: 231, y: 1020 }
  action-1: { x: 491, y: 1020 }
  exit-2: { x: 491, y: 1188 }
`;

/** Every edge label a card covers part of ("label × card") or another label does ("label × label"), in screen coordinates. */
const LABELS_UNDER_CARDS = `(() => {
  const cards = [...document.querySelectorAll('.react-flow__node')].map((n) => ({ id: n.getAttribute('data-id'), r: n.getBoundingClientRect() }));
  const out = [];
  for (const t of document.querySelectorAll('.react-flow__edge-textwrapper')) {
    const r = t.getBoundingClientRect();
    for (const c of cards) if (r.left < c.r.right && r.right > c.r.left && r.top < c.r.bottom && r.bottom > c.r.top) out.push(t.textContent + ' × ' + c.id);
  }
  // Nor one label over another: a label moved off a card must not land on its neighbour's.
  const labels = [...document.querySelectorAll('.react-flow__edge-textwrapper')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
    if (a.r.left < b.r.right && a.r.right > b.r.left && a.r.top < b.r.bottom && a.r.bottom > b.r.top) out.push(a.text + ' × ' + b.text);
  }));
  return out;
})()`;

describe("the live view's count labels", () => {
  const errors: string[] = [];
  const d = designerInBrowser({
    name: 'live-view',
    clock: () => new VirtualClock(T0),
    errors,
    viewport: { width: 1366, height: 768 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', `${ID}.flow.yaml`), FLOW);
      writeFileSync(join(dir, 'flows', `${ID}.layout.yaml`), LAYOUT);
    },
  });
  const { api, textOf, signedIn } = d;
  let page: Page;
  beforeAll(() => void (page = d.session().page));

  it('puts no count label under a card: the 对照组 line past the other arm\'s SMS says its branch whole (1366×768, 1280×720)', async () => {
    expect((await api('POST', `/api/flows/${ID}/publish`, {})).status).toBe(200);
    await signedIn();
    for (const viewport of [{ width: 1366, height: 768 }, { width: 1280, height: 720 }]) {
      await page.setViewportSize(viewport);
      await page.goto(`${d.session().base}/#/flows/${ID}`);
      await page.reload();
      await page.getByTestId('live-counts').click();
      const holdout = page.locator('.react-flow__edge-textwrapper', { hasText: '对照组 10% · 0 (0%)' });
      await textOf(holdout, '对照组 10% · 0 (0%)');
      // Every labelled line has its label, and none is covered.
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(SHOTS, `count-labels-${viewport.width}.png`) });
      expect(await page.locator('.react-flow__edge-textwrapper').count()).toBe(11);
      expect(await page.evaluate<string[]>(LABELS_UNDER_CARDS)).toEqual([]);
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('says at once, on 暂停, that the daily run stops and what resuming does, in place of the next run; on 继续运行 (confirmed) the next run again', async () => {
    // Published (again: unchanged, it stays v1), so the case passes alone (-t).
    expect((await api('POST', `/api/flows/${ID}/publish`, {})).status).toBe(200);
    await signedIn();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${d.session().base}/#/flows/${ID}`);
    await page.reload();
    await page.getByTestId('live-counts').click();
    await textOf(page.getByTestId('next-run'), '下次运行：2026/12/05 09:00');
    await page.getByTestId('pause').click();
    await page.getByTestId('confirm-ok').click();
    // Well before the next poll (10 s): the paused note, and no next run.
    await textOf(page.getByTestId('paused-run'), '已暂停：圈选人群「沉睡唤醒候选客户」（每天 09:00 一次）暂停期间不会运行', 4_000);
    expect(await page.getByTestId('next-run').count()).toBe(0);
    expect(await page.getByTestId('paused-run').textContent()).toContain('继续运行时如果已经错过了圈选时间，会在继续运行的那一刻立即补圈一次（只补一次）');
    await page.screenshot({ path: join(SHOTS, 'live-view-paused.png') });
    await page.getByTestId('resume').click();
    await page.getByTestId('confirm-ok').click();
    await textOf(page.getByTestId('next-run'), '下次运行：2026/12/05 09:00', 4_000);
    expect(await page.getByTestId('paused-run').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);
});

