/**
 * Walkthrough nine (2 Dec 2026): the designer used as a marketer and an analyst would, and what
 * hurt, each pinned in headless chromium (playwright-core, /usr/bin/chromium; run under
 * flock /work/wt/browser.lock):
 * - the live view read its numbers once: while orders arrived the entry card said 进入 0 beside
 *   the intake line's 开始了 5 段旅程, until the marketer thought to click 实时数据 again;
 * - a daily 22:00 SMS that is held by the quiet hours past its expiry (every message skipped) was
 *   没有问题 in the designer and published, while `rekindle validate` (CI) rejects it;
 * - a daily schedule's empty time field showed 23:00 in grey while the card said 每天 09:00;
 * - the A/B report did not say how many of an arm were sent its message: an arm that reached
 *   nobody read like a treatment that did not work.
 * One server (virtual clock, no schedulers: the test ticks the engine) and one browser.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { designerInBrowser, downloadedText, SHOTS } from '../support/designer-browser.js';
import type { TestApp } from '../support/http-app.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { NIGHT_SMS, smsHoldoutAbFlow } from '../support/flow-fixtures.js';
import { overallTestWords } from '../../designer/src/model/overall-test-words.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
/** Half SMS, half holdout; no outbox runs here, so the SMS arm's messages stay queued (none sent). */
const AB = smsHoldoutAbFlow({ id: 'ab-visit', name: '访问后 A/B', experimentId: 'visit-sms', labels: { sms: '短信提醒', holdout: '不发送' }, category: 'marketing', template: '回来看看 回T退订' });

describe('walkthrough nine in the browser', () => {
  const clock = new VirtualClock(T0);
  const d = designerInBrowser({
    name: 'walk9',
    clock: () => clock,
    viewport: { width: 1500, height: 950 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', 'night-sms.flow.yaml'), NIGHT_SMS);
      writeFileSync(join(dir, 'flows', 'ab-visit.flow.yaml'), AB);
    },
  });
  const { errors } = d;
  // The first element a locator finds (some find a card's text twice), polled every 100 ms.
  const textOf = (locator: Locator, want: RegExp | string, timeout?: number) => d.textOf(locator.first(), want, timeout);
  let server: TestApp;
  let page: Page;
  let base: string;
  let ds: DataSource;

  beforeAll(async () => {
    ({ server, page, base } = d.session());
    ds = server.app.get(DataSource);
    await addCustomers(ds, [...['b-1', 'b-2'], ...Array.from({ length: 90 }, (_, i) => `v${i}`)].map((externalId) => ({ externalId })), T0 - 30 * MS_PER_DAY);
    await d.signIn('marketer');
  }, 120_000);

  const yuan = (v: number) => `${v < 0 ? '-' : ''}¥${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const event = (who: string, type: string, properties: Record<string, unknown>, at: number, key: string) => ({ customerExternalId: who, type, properties, occurredAt: new Date(at).toISOString(), idempotencyKey: key });

  it('reads the live numbers again while they are shown: orders that arrive show on the canvas without clicking 实时数据 again', async () => {
    await server.http().post('/api/flows/payment-reminder/publish').send({}).expect(200);
    await page.goto(`${base}/#/flows/payment-reminder`);
    await page.getByTestId('node-start').waitFor();
    await page.getByTestId('live-counts').click();
    await textOf(page.getByTestId('counts-start'), '进入 0');
    await textOf(page.getByTestId('counts-note'), /每 10 秒自动更新/);
    // Two orders arrive and the engine acts on them; the marketer only watches.
    await server
      .http()
      .post('/api/events')
      .send([event('b-1', 'order_created', { orderId: 'o-1', amount: 199 }, T0 - 60_000, 'oc:o-1'), event('b-2', 'order_created', { orderId: 'o-2', amount: 99 }, T0 - 30_000, 'oc:o-2')])
      .expect(200);
    await server.http().post('/api/engine/tick').expect(200);
    await textOf(page.getByTestId('counts-start'), '进入 2', 25_000);
    await textOf(page.getByTestId('counts-wait-2h'), '等待中 2', 5_000);
    await page.screenshot({ path: join(SHOTS, 'walk9-live-refreshed.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('says in the designer, as rekindle validate does, that a 22:00 SMS held by the quiet hours past its expiry is never sent, and does not publish it', async () => {
    await page.goto(`${base}/#/flows/night-sms`);
    await page.getByTestId('node-start').waitFor();
    const panel = await textOf(page.getByTestId('problems'), '一条也发不出去');
    expect(panel).toContain('正好在短信的免打扰时段 21:00–09:00 内');
    expect(panel).toContain('「最长延后」只有 2 小时');
    expect(panel).not.toContain('没有问题');
    await textOf(page.getByTestId('problems-start'), /1/);
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'walk9-quiet-hours.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows a new daily schedule's default time in its empty time field, the 09:00 its card says", async () => {
    // A journey drawn from nothing: the entry switched to 定时圈选人群 has no time of its own yet.
    await page.goto(`${base}/`);
    await page.getByTestId('new-journey').click();
    await page.getByTestId('new-name').fill('默认时间');
    await page.getByTestId('new-id').fill('default-time');
    await page.getByTestId('template-blank').click();
    await page.getByTestId('create-flow').click();
    await page.getByTestId('palette-entry').click();
    await page.getByTestId('node-start').click();
    await page.getByTestId('inspector').locator('[data-field="trigger"] select').first().selectOption('schedule');
    await textOf(page.getByTestId('summary-start'), '每天 09:00');
    const time = page.getByTestId('inspector').locator('[data-field="trigger.at"] input[data-kind="time"]');
    expect(await time.inputValue()).toBe('');
    expect(await time.getAttribute('placeholder')).toBe('默认 09:00');
    expect(errors).toEqual([]);
  }, 60_000);

  it("says in the A/B report how many of each arm were sent its message, and warns when an arm's message mostly never went out", async () => {
    await server.http().post('/api/flows/ab-visit/publish').send({}).expect(200);
    await server
      .http()
      .post('/api/events')
      .send(Array.from({ length: 90 }, (_, i) => event(`v${i}`, 'visit', {}, T0, `visit:${i}`)))
      .expect(200);
    clock.advance(MS_PER_HOUR);
    await server.http().post('/api/engine/tick').expect(200);
    // Every third customer pays within the window, in both arms: the control has a baseline.
    const ids = await queryRows(ds, "SELECT c.id, c.external_id FROM customers c JOIN split_assignments s ON s.customer_id = c.id WHERE c.external_id LIKE 'v%'");
    expect(ids).toHaveLength(90);
    for (const [k, r] of ids.entries()) if (k % 3 === 0) await addEvent(ds, Number(r.id), 'order_paid', { orderId: `p-${String(r.external_id)}`, amount: 80 }, T0 + MS_PER_DAY);
    clock.advance(2 * MS_PER_DAY);
    const report = (await server.http('analyst').get('/api/experiments/visit-sms/report').expect(200)).body;
    expect(report.arms.map((a: { arm: string; exposed: number }) => [a.arm, a.exposed])).toEqual([
      ['sms', 0],
      ['holdout', 0],
    ]);
    await page.goto(`${base}/#/flows/ab-visit`);
    await page.getByTestId('node-split').waitFor();
    await page.getByTestId('node-split').click();
    const panel = page.getByTestId('experiment');
    await textOf(panel, '触达');
    expect(await page.getByTestId('exp-exposed-sms').textContent()).toBe('0');
    // The holdout sends nothing by design: no count to read there.
    expect(await page.getByTestId('exp-exposed-holdout').textContent()).toBe('—');
    const warning = page.locator('[data-testid="exp-warning"][data-code="low-exposure"]');
    const sms = report.arms.find((a: { arm: string }) => a.arm === 'sms').assigned;
    expect(await textOf(warning, '收到消息的人太少')).toContain(`「短信提醒」分配的 ${sms} 位顾客中只有 0 位收到了消息`);
    // Each arm's money as `rekindle report` prints it, beside the rates (an arm can win on rate and
    // lose on cost): revenue from the payers' ¥80 orders, cost ¥0.00 (no SMS left the outbox),
    // incremental revenue against the holdout, no ROI without a cost; and when it was counted.
    const labels: Record<string, string> = { sms: '短信提醒', holdout: '不发送' };
    for (const a of report.arms as { arm: string; holdout: boolean; revenue: number; revenuePerCustomer: number; cost: number; incrementalRevenue: number | null; roi: number | null }[]) {
      expect([a.cost, a.roi]).toEqual([0, null]);
      const cells = await page.getByTestId(`exp-money-${a.arm}`).locator('td').allTextContents();
      expect(cells).toEqual([labels[a.arm], yuan(a.revenue), yuan(a.revenuePerCustomer), '¥0.00', a.holdout ? '—' : yuan(a.incrementalRevenue!), '—']);
    }
    expect(report.arms.reduce((s: number, a: { revenue: number }) => s + a.revenue, 0)).toBe(30 * 80);
    expect(await page.getByTestId('exp-as-of').textContent()).toBe('数据截至 2026/11/22 11:00（店铺时间）');
    // Whether the arms differ at all, under their table, as `rekindle report` says it under its own (w-analyst: the panel never said).
    expect(await panel.getByTestId('exp-overall').textContent()).toBe(overallTestWords('zh', report));
    expect(await panel.getByTestId('exp-overall').textContent()).toMatch(/^整体检验（两组比例 z 检验）：p [=<] /);
    // The same report as a file for the analyst's spreadsheet: Excel's byte order mark, the arms' labels and money.
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('exp-csv').click()]);
    expect(file.suggestedFilename()).toBe('visit-sms.csv');
    const csv = await downloadedText(file);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [head, ...rows] = csv.slice(1).trim().split(/\r?\n/).map((l) => l.split(','));
    const col = (name: string) => head.indexOf(name);
    // The Excel variant: Chinese headers, money to the cent.
    expect(rows.map((r) => [r[col('分组')], r[col('分组名称')], Number(r[col('收入(元)')])])).toEqual(report.arms.map((a: { arm: string; revenue: number }) => [a.arm, labels[a.arm], Math.round(a.revenue * 100) / 100]));
    await panel.screenshot({ path: join(SHOTS, 'walk9-exposure.png') });
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows who answered a published send step by customer group, as the API counts them, in words', async () => {
    // After the A/B case: the SMS arm's customers were sent the message (queued), a third of them paid.
    const api = async (by: string) => (await server.http('analyst').get(`/api/flows/ab-visit/nodes/send/response-by-group?by=${by}`).expect(200)).body.groups as { group: string; sent: number; responders: number; revenue: number }[];
    const stages = await api('lifecycleStage');
    const assigned = await queryRows(ds, "SELECT COUNT(*) AS n FROM split_assignments WHERE arm = 'sms'");
    expect(stages.reduce((n, g) => n + g.sent, 0)).toBe(Number(assigned[0].n));
    await page.goto(`${base}/#/flows/ab-visit`);
    await page.getByTestId('node-send').waitFor();
    await page.getByTestId('node-send').click();
    const panel = page.getByTestId('group-response');
    await page.getByTestId('group-response-read').click();
    await panel.getByTestId('group-response-table').waitFor();
    const rows = async () => (await panel.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))) as string[][];
    // Customers without orders: all 潜在客户 when the message went out.
    expect(await rows()).toEqual(stages.map((g) => [{ prospect: '潜在客户（未购买）' }[g.group] ?? g.group, String(g.sent), String(g.responders), expect.stringMatching(/^\d+\.\d% \[/), yuan(g.revenue)]));
    expect(stages.map((g) => g.group)).toEqual(['prospect']);
    expect(await panel.locator('thead th').first().textContent()).toBe('生命周期阶段');
    await page.getByTestId('group-response-by').selectOption('orderTier');
    await page.getByTestId('group-response-read').click();
    await d.textOf(panel.locator('thead th').first(), '订单数档位');
    const tiers = await api('orderTier');
    expect((await rows()).map((r) => r.slice(0, 3))).toEqual(tiers.map((g) => [{ 'orders-0': '没下过单' }[g.group] ?? g.group, String(g.sent), String(g.responders)]));
    await panel.screenshot({ path: join(SHOTS, 'walk9-groups.png') });
    // The send step's card in the live view: its messages are still in the outbox (no outbox runs
    // here), so 排队待发, not 已发送 (the funnel's sent counts them; its queued says how many wait).
    const funnel = (await server.http('analyst').get('/api/flows/ab-visit/funnel').expect(200)).body.nodes.find((n: { nodeId: string }) => n.nodeId === 'send');
    expect(funnel.queued).toBe(funnel.sent);
    expect(funnel.sent).toBeGreaterThan(0);
    await page.getByTestId('live-counts').click();
    const card = await textOf(page.getByTestId('node-send'), '排队待发');
    expect(card.replace(/\s+/g, ' ')).toContain(`排队待发 ${funnel.queued}`);
    expect(card).not.toContain('已发送');
    expect(errors).toEqual([]);
  }, 60_000);
});
