/**
 * What a marketer building journeys on the canvas tripped over (twenty-fifth wave walk-through):
 * - a step added under a selected 条件判断 whose 是 already led down sat on the 是 line, which then
 *   ran behind the new card (model/place-added.ts);
 * - an order entry whose event was changed to one without an order number kept key: orderId, and
 *   the publish dialog said 按订单号区分旅程 (model/trigger-key.ts);
 * - 多路分支's card icon ⑂ is in none of the usual fonts: an empty box (ui/StepNode.tsx);
 * - a one-off audience card said （ ） before its start was set, and a condition's count line named
 *   the entry audience by its file id (d11-audience), not its title;
 * - a step deleted with the Delete key came back on 撤销 without the line into it (model/tick-group.ts);
 * - a step's 连接 named the steps by id only (exit-2).
 * Headless chromium through playwright-core, against the real server (run under
 * flock /work/wt/browser.lock). Each case sets up what it needs: run alone with -t, it passes.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

/**
 * Every line on the canvas that runs through a card other than the two it joins, as
 * "edge × card": each edge's SVG path sampled along its length in screen coordinates.
 */
const LINES_BEHIND_CARDS = `(() => {
  const cards = [...document.querySelectorAll('.react-flow__node')].map((n) => ({ id: n.getAttribute('data-id'), r: n.getBoundingClientRect() }));
  const out = [];
  for (const e of document.querySelectorAll('.react-flow__edge')) {
    const path = e.querySelector('path.react-flow__edge-path');
    if (!path) continue;
    const len = path.getTotalLength();
    const m = path.getScreenCTM();
    const pts = [];
    for (let i = 0; i <= 60; i++) {
      const p = path.getPointAtLength((len * i) / 60);
      pts.push(new DOMPoint(p.x, p.y).matrixTransform(m));
    }
    const ends = [pts[0], pts[pts.length - 1]];
    for (const c of cards) {
      const at = (p, by) => p.x > c.r.left - by && p.x < c.r.right + by && p.y > c.r.top - by && p.y < c.r.bottom + by;
      if (ends.some((p) => at(p, 10))) continue; // the card the line leaves or enters
      if (pts.some((p) => at(p, -2))) out.push(e.getAttribute('data-id') + ' × ' + c.id);
    }
  }
  return out;
})()`;

/**
 * The characters of CHARS the browser draws as it draws a character no font has (U+10FFFD): an
 * empty box, or nothing. Drawn on a canvas in the cards' icon font.
 */
const MISSING_GLYPHS = `(() => {
  const canvas = document.createElement('canvas');
  canvas.width = 48;
  canvas.height = 48;
  const g = canvas.getContext('2d');
  const font = getComputedStyle(document.querySelector('.step-icon')).font;
  const draw = (ch) => {
    g.clearRect(0, 0, 48, 48);
    g.font = font;
    g.fillText(ch, 4, 32);
    return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
  };
  const none = draw('\\u{10FFFD}');
  return CHARS.filter((ch) => draw(ch) === none);
})()`;

describe('the designer as a marketer builds on the canvas', () => {
  const errors: string[] = [];
  const d = designerInBrowser({ name: 'walk', clock: () => new VirtualClock(T0), errors });
  // settled: the canvas once it stops moving (adding a step fits the view a moment later).
  const { api, textOf, until, signedIn, newJourney, node, inspector, add, viewSettled: settled } = d;
  let page: Page;
  beforeAll(() => void (page = d.session().page));

  it('draws no line behind a card when a step is added under a selected 条件判断 whose 是 already leads down, nor when one is inserted in a chain', async () => {
    await newJourney('Lines clear');
    await add('entry', 'start');
    await add('condition', 'check-1'); // after start
    await add('send', 'send-1'); // on 是
    await add('exit', 'exit-1'); // after send-1
    await d.select('check-1');
    await add('exit', 'exit-2'); // on 否: it used to sit on the 是 line, straight under check-1
    await page.locator('.react-flow__edge[data-id="check-1:no"]').waitFor({ state: 'attached' });
    await settled();
    await page.screenshot({ path: join(SHOTS, 'walk-added-under-condition.png') });
    expect(await page.evaluate<string[]>(LINES_BEHIND_CARDS)).toEqual([]);
    // Inserted between start and check-1: everything below moves down, the lines stay clear.
    await d.select('start');
    await add('wait', 'wait-1');
    await page.locator('.react-flow__edge[data-id="wait-1:next"]').waitFor({ state: 'attached' });
    await settled();
    expect(await page.evaluate<string[]>(LINES_BEHIND_CARDS)).toEqual([]);
    // And no card over another.
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }));
    const over = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height));
    expect(over).toEqual([]);
    // The step's 连接 say where each branch goes in words (it said exit-2); the id only where two steps read the same (two 结束).
    await d.select('check-1');
    const chosen = (handle: string) => inspector('check-1').getByTestId(`edge-${handle}`).evaluate((el) => (el as unknown as { selectedOptions: { textContent: string | null }[] }).selectedOptions[0]?.textContent);
    expect(await chosen('yes')).toBe('发送短信');
    expect(await chosen('no')).toBe('结束（exit-2）');
    expect(errors).toEqual([]);
  }, 90_000);

  it('keys the journey by what the trigger event carries: an order entry changed to 微信回复 drops 订单号, and the publish dialog says each customer once', async () => {
    await newJourney('Key follows');
    await add('entry', 'start');
    const event = inspector('start').locator('[data-field="trigger.event"] select').first();
    const key = inspector('start').getByTestId('journey-key-property');
    expect(await key.inputValue()).toBe('orderId'); // a new order entry: 订单号
    await event.selectOption('wechat_reply'); // declared in rules/shop.yaml with messageId and text
    await until(async () => (await key.inputValue()) === '', 'the key to become 不区分');
    expect(await key.locator('option').allTextContents()).not.toContain('订单号');
    await add('exit', 'exit-1'); // after start: a journey that can be published
    await page.getByTestId('publish').click();
    const entry = page.getByTestId('publish-entry');
    await textOf(entry, '每位顾客只进入一次');
    expect(await entry.textContent()).not.toContain('订单号');
    await page.screenshot({ path: join(SHOTS, 'walk-key-follows-trigger.png') });
    await page.getByTestId('publish-cancel').click();
    // The draft on the server holds no key the event never carries.
    await until(async () => {
      const r = await api('GET', '/api/flows/key-follows/draft');
      if (r.status !== 200) return false;
      const start = ((await r.json()) as { flow: { nodes: { id: string; trigger?: Record<string, unknown> }[] } }).flow.nodes.find((n) => n.id === 'start');
      return start?.trigger?.event === 'wechat_reply' && !('key' in (start.trigger ?? {}));
    }, 'the draft to say wechat_reply with no key');
    // Back to an order event: 订单号 again, and the dialog says so.
    await d.select('start');
    await event.selectOption('order_paid');
    await until(async () => (await key.inputValue()) === 'orderId', 'the key to become 订单号');
    await page.getByTestId('publish').click();
    await textOf(page.getByTestId('publish-entry'), '按订单号区分旅程');
    await page.getByTestId('publish-cancel').click();
    expect(errors).toEqual([]);
  }, 90_000);

  it('draws every step icon in a font the browser has (no empty box), and says the entry audience by its title while a one-off journey is drawn', async () => {
    await newJourney('Every step');
    await add('entry', 'start');
    await inspector('start').locator('[data-field="trigger"] select').first().selectOption('audience');
    await inspector('start').locator('[data-field="trigger.segment"] select').first().selectOption('d11-audience');
    await textOf(page.getByTestId('summary-start'), '一次性人群：双十一·全部人群（未设开始时间）');
    for (const [type, id] of [['condition', 'check-1'], ['switch', 'switch-1'], ['split', 'split-1'], ['wait', 'wait-1'], ['waitForEvent', 'wait-event-1'], ['send', 'send-1'], ['action', 'action-1'], ['limit', 'limit-1'], ['exit', 'exit-1']]) {
      await d.select('start');
      await add(type, id);
    }
    // A condition inside the journey counts within the entry audience, named as the marketer knows it.
    await d.select('check-1');
    await textOf(inspector('check-1').getByTestId('rule-count'), '（在入口人群「双十一·全部人群」中）');
    const icons = await page.locator('.react-flow__node .step-icon').allTextContents();
    expect(new Set(icons).size).toBe(10);
    // A glyph no font has draws as the same box (or nothing) as a character that exists in none.
    const missing = await page.evaluate<string[]>(MISSING_GLYPHS.replace('CHARS', JSON.stringify([...new Set(icons)])));
    expect(missing).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('takes back a step deleted with the Delete key in one 撤销, with the line into it; 重做 deletes it again', async () => {
    await newJourney('Undo delete');
    await add('entry', 'start');
    await add('wait', 'wait-1');
    await add('exit', 'exit-1');
    const lines = () => page.locator('.react-flow__edge').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort());
    await until(async () => JSON.stringify(await lines()) === JSON.stringify(['start:next', 'wait-1:next']), 'the chain drawn');
    await d.select('exit-1');
    await page.keyboard.press('Delete');
    await until(async () => (await node('exit-1').count()) === 0, 'the step deleted');
    await page.getByTestId('undo').click();
    await node('exit-1').waitFor();
    await until(async () => JSON.stringify(await lines()) === JSON.stringify(['start:next', 'wait-1:next']), 'the line into it back with one undo');
    await page.getByTestId('redo').click();
    await until(async () => (await node('exit-1').count()) === 0, 'redo to delete it again');
    await page.keyboard.press('Control+z');
    await node('exit-1').waitFor();
    await until(async () => JSON.stringify(await lines()) === JSON.stringify(['start:next', 'wait-1:next']), 'Ctrl+Z likewise');
    // The server keeps what the canvas shows.
    await until(async () => {
      const r = await api('GET', '/api/flows/undo-delete/draft');
      const wait = r.status === 200 ? ((await r.json()) as { flow: { nodes: { id: string; next?: string }[] } }).flow.nodes.find((n) => n.id === 'wait-1') : undefined;
      return wait?.next === 'exit-1';
    }, 'the draft to hold wait-1 → exit-1');
    expect(errors).toEqual([]);
  }, 90_000);
});
