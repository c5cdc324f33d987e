/**
 * A marketer's walkthrough of the designer found:
 * - the step form kept showing 2 天 after ↶ took 等待多久 back to 3 天 (the card and the toolbar had
 *   followed): a form widget read its value once (model/form-sync.ts redraws the form on a change
 *   from outside it);
 * - 恢复 on a paused journey resumed it at once, while 暂停 asked first, and 更多… had another 恢复
 *   (恢复 v1 为草稿): the action is 继续运行, and it asks, saying what will happen;
 * - the journeys list said 草稿 for every journey never published and came in raw id order; the
 *   editor said 与已保存版本一致 on a journey never published (model/journey-list.ts,
 *   model/save-state-words.ts);
 * - the sign-in form's labels did not name their inputs by id.
 * Headless chromium through playwright-core against the real server; each case sets up what it needs.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import { TEST_PASSWORD } from '../support/http-app.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2027-03-02T10:00:00+08:00');
const ID = 'pay-wait';
const FLOW = `id: ${ID}
name: 付款等待
nodes:
  - { id: start, type: entry, trigger: { type: event, event: order_created, key: orderId }, next: sms }
  - { id: sms, type: send, channel: sms, category: transactional, template: 订单已收到, next: wait-pay }
  - { id: wait-pay, type: waitForEvent, events: [order_paid], match: { orderId: $key }, within: 3d, responded: paid, timedOut: done }
  - { id: paid, type: exit }
  - { id: done, type: exit }
`;
const LAYOUT = `positions:
  start: { x: 0, y: 0 }
  sms: { x: 0, y: 170 }
  wait-pay: { x: 0, y: 340 }
  paid: { x: -150, y: 510 }
  done: { x: 150, y: 510 }
`;

describe("the walkthrough's findings in the designer", () => {
  const clock = new VirtualClock(T0);
  const errors: string[] = [];
  const d = designerInBrowser({
    name: 'walk-fixes',
    clock: () => clock,
    errors,
    viewport: { width: 1440, height: 900 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', `${ID}.flow.yaml`), FLOW);
      writeFileSync(join(dir, 'flows', `${ID}.layout.yaml`), LAYOUT);
    },
  });
  const { textOf, node, inspector, until } = d;
  let page: Page;

  beforeAll(async () => {
    ({ page } = d.session());
    expect((await d.api('POST', `/api/flows/${ID}/publish`, {})).status).toBe(200);
  }, 120_000);

  it("signs in through fields found by their labels, each label naming its input's id", async () => {
    await page.goto(d.session().base + '/');
    for (const [words, testId] of [['用户名', 'sign-in-username'], ['密码', 'sign-in-password']] as const) {
      const label = page.locator('label', { hasText: words });
      const input = page.getByLabel(words);
      // The label's for= names the input (a label only wrapping its input named none).
      const named = await label.getAttribute('for');
      expect(named).toBeTruthy();
      expect(await input.getAttribute('id')).toBe(named);
      expect(await input.getAttribute('data-testid')).toBe(testId);
    }
    await page.screenshot({ path: join(SHOTS, 'walk-fixes-sign-in.png') });
    await page.getByLabel('用户名').fill('marketer');
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.getByTestId('sign-in-submit').click();
    await textOf(page.getByTestId('session-user'), 'marketer');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows the value undo and redo bring back in the step form (it kept 2 天 after ↶ until another step was selected)', async () => {
    await d.signedIn();
    await page.goto(`${d.session().base}/#/flows/${ID}`);
    await node('wait-pay').waitFor();
    await d.select('wait-pay');
    const within = inspector('wait-pay').locator('[data-field="within"] input').first();
    expect(await within.inputValue()).toBe('3 天');
    await within.fill('2天');
    await within.press('Tab');
    await textOf(page.getByTestId('summary-wait-pay'), '2 天内等待');
    expect(await within.inputValue()).toBe('2 天');
    await page.getByTestId('undo').click();
    await textOf(page.getByTestId('summary-wait-pay'), '3 天内等待');
    await until(async () => (await within.inputValue()) === '3 天', `the form's 等待多久 back to 3 天 (it says ${await within.inputValue()})`);
    await page.screenshot({ path: join(SHOTS, 'walk-fixes-undo-form.png') });
    await page.getByTestId('redo').click();
    await textOf(page.getByTestId('summary-wait-pay'), '2 天内等待');
    await until(async () => (await within.inputValue()) === '2 天', "the form's 等待多久 at 2 天 again after ↷");
    // Typing in the form is not redrawn under the cursor: the field keeps focus and what is typed.
    await within.fill('5 天');
    expect(await page.evaluate<string | null>("document.activeElement && document.activeElement.closest('[data-field]')?.getAttribute('data-field')")).toBe('within');
    await textOf(page.getByTestId('summary-wait-pay'), '5 天内等待');
    expect(await within.inputValue()).toBe('5 天');
    // Back to the live version for the cases after.
    await page.getByTestId('undo').click();
    await page.getByTestId('undo').click();
    await textOf(page.getByTestId('summary-wait-pay'), '3 天内等待');
    await until(async () => (await within.inputValue()) === '3 天', "the form's 等待多久 back to 3 天");
    await page.locator('[data-testid="autosave"]:not(.autosave-pending)').waitFor();
    expect(errors).toEqual([]);
  }, 90_000);

  it('asks before 继续运行 a paused journey, saying what happens; cancelled, it stays paused (恢复 resumed at once)', async () => {
    await d.signedIn();
    expect((await d.api('POST', `/api/flows/${ID}/pause`)).status).toBe(200);
    await page.goto(`${d.session().base}/#/flows/${ID}`);
    await node('wait-pay').waitFor();
    await textOf(page.getByTestId('flow-status'), '已暂停');
    const resume = page.getByTestId('resume');
    await textOf(resume, '继续运行');
    await resume.click();
    await textOf(page.getByTestId('confirm-body'), '从停下的地方继续前进');
    await textOf(page.getByTestId('confirm-body'), '新顾客也重新开始进入');
    await textOf(page.getByTestId('confirm'), '继续运行这个旅程？');
    await page.getByTestId('confirm-cancel').click();
    await page.getByTestId('confirm').waitFor({ state: 'detached' });
    const status = async () => {
      const body = (await (await d.api('GET', '/api/flows')).json()) as { id: string; status: string }[] | { flows: { id: string; status: string }[] };
      return (Array.isArray(body) ? body : body.flows).find((f) => f.id === ID)?.status;
    };
    expect(await status()).toBe('paused');
    await textOf(page.getByTestId('flow-status'), '已暂停');
    await resume.click();
    await textOf(page.getByTestId('confirm-ok'), '继续运行');
    await page.getByTestId('confirm-ok').click();
    await textOf(page.getByTestId('flow-status'), '运行中');
    expect(await status()).toBe('active');
    expect(errors).toEqual([]);
  }, 60_000);

  it('lists running journeys first, then the never published (未发布, with their draft or file), by name; says 未发布过 in the editor', async () => {
    // A new journey left empty: only its draft.
    expect((await d.api('PUT', '/api/flows/aaa-empty/draft', { flow: { id: 'aaa-empty', name: '空白旅程', nodes: [] }, layout: { positions: {} }, baseVersion: null, revision: null, create: true }, 'marketer')).status).toBe(200);
    await d.signedIn();
    await page.goto(`${d.session().base}/#/`);
    await page.reload();
    await page.getByTestId(`home-flow-${ID}`).waitFor();
    await page.getByTestId('home-flow-aaa-empty').waitFor();
    const rows = await page.locator('[data-testid^="home-flow-"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-testid')!.slice('home-flow-'.length)));
    // Raw id order put aaa-empty first and the running journey among the never published.
    expect(rows[0]).toBe(ID);
    const names = await page.locator('[data-testid^="home-flow-"] td:first-child a').allTextContents();
    const rest = names.slice(1);
    expect(rest).toEqual([...rest].sort(new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' }).compare));
    await textOf(page.getByTestId(`home-flow-${ID}`).getByTestId('home-status'), '运行中');
    expect(await page.getByTestId(`home-flow-${ID}`).getByTestId('home-never-published').count()).toBe(0);
    await textOf(page.getByTestId('home-flow-aaa-empty').getByTestId('home-status'), '未发布');
    await textOf(page.getByTestId('home-flow-aaa-empty').getByTestId('home-never-published'), '草稿保存于');
    await textOf(page.getByTestId('home-flow-pre-sleep').getByTestId('home-status'), '未发布');
    await textOf(page.getByTestId('home-flow-pre-sleep').getByTestId('home-never-published'), '来自 rules/flows/ 的文件');
    expect(await page.getByTestId('home-status').allTextContents()).not.toContain('草稿');
    await page.screenshot({ path: join(SHOTS, 'walk-fixes-home.png') });
    // A shipped journey never published: not "the same as the saved version".
    await page.getByTestId('home-flow-pre-sleep').locator('a').click();
    await page.getByTestId('toolbar').waitFor();
    await textOf(page.getByTestId('flow-status'), '未发布');
    await textOf(page.getByTestId('autosave'), '未发布过');
    expect(await page.getByTestId('autosave').textContent()).not.toContain('与已保存版本一致');
    expect(errors).toEqual([]);
  }, 60_000);
});
