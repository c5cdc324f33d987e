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
 * The set-up is every designer browser test's (tests/support/designer-browser.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('the designer: what a new step defaults to', () => {
  const d = designerInBrowser({ name: 'defaults', clock: () => new VirtualClock(T0) });
  const { rules, errors, api, textOf, until, signedIn, newJourney, node, inspector, add, viewSettled: settled } = d;
  let page: Page;
  let base: string;
  beforeAll(() => void ({ page, base } = d.session()));

  const field = (id: string, path: string, tag = 'select') => inspector(id).locator(`[data-field="${path}"] ${tag}`).first();
  async function connect(from: string, handle: string, to: string) {
    await d.select(from);
    await inspector(from).getByTestId(`edge-${handle}`).selectOption(to);
  }

  it('makes a send step added to a 催付 journey 交易通知, shows the kind on the card and what it counts against, lets the marketer change it and warns when a reminder is marked 营销', async () => {
    await newJourney('催付默认类别');
    await add('entry', 'start'); // a new entry: 下单 (order_created), keyed by 订单号
    await add('wait', 'wait-1');
    await add('send', 'send-1');
    await add('exit', 'exit-1');
    await field('exit-1', 'goal', 'input').check(); // a conversion goal (goal-checks.ts): paying ends it there
    await d.select('send-1');
    await textOf(page.getByTestId('kind-send-1'), '交易通知');
    expect(await field('send-1', 'category').inputValue()).toBe('transactional');
    await textOf(inspector('send-1').getByTestId('send-kind-words'), '交易通知：关于顾客自己的订单');
    await textOf(inspector('send-1').getByTestId('send-kind-reason'), '这个旅程由「下单」触发');
    await field('send-1', 'template', 'textarea').fill('【示例旗舰店】您的订单{{key}}还没有付款');
    // Its one problem: nothing stops it once the order is paid (no 提前结束条件 付款; reminder-stop-checks.ts).
    await d.problemsSay('问题 (1)', 10_000);
    await textOf(page.getByTestId('problems'), '顾客付款后这条催付仍会发出');
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
    await d.problemsSay('问题 (1)', 10_000);
    // Published, the reminder is bound by no marketing cap: only the SMS quiet hours.
    await page.getByTestId('publish').click();
    await textOf(page.getByTestId('publish-sends'), '发送 1 个消息步骤：短信 1 个；交易通知 1 个');
    await textOf(page.getByTestId('publish-caps'), '短信 21:00–09:00 不发送');
    expect(await page.getByTestId('publish-caps').textContent()).not.toContain('营销消息');
    await page.getByTestId('publish-cancel').click();
    // A journey after a purchase defaults to 关怀; a one-off audience to 营销.
    await d.select('start');
    await field('start', 'trigger.event').selectOption('order_shipped');
    await d.select('exit-1');
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
    await d.select('start');
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
    expect((await api('PUT', '/api/flows/audience-always/draft', { flow: bad, revision: null, create: true }, 'marketer')).status).toBe(200);
    await page.goto(base + '/#/flows/audience-always');
    await d.select('start');
    await textOf(inspector('start').locator('[data-testid="field-warning"]'), '一次性人群只在开始时间进入一次，之后不会再运行');
    await inspector('start').getByTestId('reentry-reset').click();
    await d.problemsSay('(0)', 10_000);
    // Back on an event entry, the choice is there again.
    await inspector('start').locator('[data-field="trigger"] select').first().selectOption('event');
    await field('start', 'reentry.policy').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the id chosen in 新建旅程 when a journey named in Chinese is first published, refuses a bad or taken one naming 「旅程 ID」, and publishes under another typed there', async () => {
    await newJourney('双十二催付');
    expect(page.url()).toMatch(/#\/flows\/journey-\d{4}-\d{2}/); // no template, a Chinese name: journey and the month, asked for in 新建旅程
    const standIn = decodeURIComponent(page.url().split('#/flows/')[1]);
    await add('entry', 'start');
    await add('send', 'send-1');
    await field('send-1', 'template', 'textarea').fill('您的订单{{key}}还没有付款');
    await add('exit', 'exit-1');
    // Two warnings, neither of which keeps it from going live: no conversion goal, and no 【签名】.
    const said = await d.problemsSay('问题 (2)', 10_000);
    expect(said).toContain('这个旅程没有设定转化目标');
    expect(said).toContain('短信没有【签名】');
    await page.getByTestId('publish').click();
    const input = page.getByTestId('publish-id-input');
    await textOf(page.getByTestId('publish-id-help'), `rules/flows/${standIn}.flow.yaml`);
    expect(await input.inputValue()).toBe(standIn); // the id chosen at 新建旅程, not another proposed
    expect(await page.getByTestId('publish-id-suggestion').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'defaults-publish-id.png') });
    await input.fill('双十二');
    await textOf(page.getByTestId('publish-id-error'), '「旅程 ID」：ID 只能用小写字母、数字和 -');
    expect(await page.getByTestId('publish-confirm').isDisabled()).toBe(true);
    await input.fill('payment-reminder'); // a shipped journey's
    await textOf(page.getByTestId('publish-id-error'), '「旅程 ID」：已有同名的旅程，请换一个 ID');
    await page.screenshot({ path: join(SHOTS, 'defaults-publish-id-taken.png') });
    await input.fill('order-created-sms'); // still possible before the first publish
    await textOf(page.getByTestId('publish-id-help'), 'rules/flows/order-created-sms.flow.yaml');
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    await until(async () => page.url().endsWith('#/flows/order-created-sms'), 'the editor of the new id');
    expect(existsSync(join(rules, 'flows', 'order-created-sms.flow.yaml'))).toBe(true);
    expect(existsSync(join(rules, 'flows', `${standIn}.flow.yaml`))).toBe(false);
    expect((await api('GET', `/api/flows/${standIn}/draft`)).status).toBe(204); // nothing left under the stand-in
    await textOf(page.getByTestId('flow-status'), 'v1');
    // Published: the id no longer changes, and a second publish does not ask for it.
    await d.select('send-1');
    await field('send-1', 'template', 'textarea').fill('您的订单{{key}}还没有付款，请尽快付款');
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-title').waitFor();
    expect(await page.getByTestId('publish-id').count()).toBe(0);
    await page.getByTestId('publish-cancel').click();
    expect(errors).toEqual([]);
  }, 120_000);
});
