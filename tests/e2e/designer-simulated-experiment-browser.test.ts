/**
 * The walkthrough (walk-m, 6 Dec): after a simulation of a journey with an A/B split, closing the
 * simulation's panel left its numbers on the canvas, but the split's A/B panel said
 * 发布或模拟后，这里显示实验结果 — as if nothing had been simulated; simulating again brought the
 * results back. The last simulation's results now stay with its numbers (ui/views/EditorView.tsx).
 * The same simulation's summary says the lift over the holdout, with the simulate route's figures.
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the set-up is every designer browser test's.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { openDatabase, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import type { JourneyIncrementalEffect } from '../../server/src/core/experiment/incremental-effect.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-06T10:00:00+08:00');

describe("a simulated A/B split's results after the simulation's panel is closed", () => {
  const errors: string[] = [];
  // A demo shop, so the launch's early adopters enter the split and convert (an empty shop simulated 0 customers).
  const shop = async (target: DatabaseTarget, rulesDir: string) => {
    const ds = await openDatabase(target);
    try {
      const tz = openWorkspace(rulesDir).shop.timezone;
      await bulkWriteShop(ds, generateDemoShop({ customers: 2000, seed: 5, now: T0, timezone: tz }), { timezone: tz, now: T0 });
    } finally {
      await ds.destroy();
    }
  };
  const d = designerInBrowser({ name: 'simulated-experiment', clock: () => new VirtualClock(T0), errors, viewport: { width: 1366, height: 768 }, database: shop });
  const { textOf, node } = d;
  let page: Page;
  beforeAll(() => void (page = d.session().page));
  /** The whole journey in view (its cards are then small, but each can be clicked). */
  const fitAll = async () => {
    await page.locator('.react-flow__controls-fitview').click();
    await d.viewSettled();
  };

  it('stay in the A/B panel while the canvas shows the simulated numbers', async () => {
    await d.signedIn();
    await page.goto(`${d.session().base}/#/flows/new-product-launch`);
    await node('early-adopters').waitFor();
    await page.getByTestId('simulate').click();
    await page.getByTestId('simulation-summary').locator('li').first().waitFor({ timeout: 60_000 });
    await fitAll();
    await d.select('early-adopters');
    const panel = page.getByTestId('experiment');
    await panel.getByTestId('exp-exposed-a').waitFor();
    const exposed = await panel.getByTestId('exp-exposed-a').textContent();
    // Closed: the canvas keeps the simulated counts, and the A/B panel its results.
    await page.getByTestId('simulation').getByRole('button', { name: '关闭' }).click();
    await page.getByTestId('simulation').waitFor({ state: 'detached' });
    await fitAll();
    await d.select('early-adopters');
    await page.getByTestId('experiment').getByTestId('exp-exposed-a').waitFor();
    expect(await page.getByTestId('experiment').getByTestId('exp-exposed-a').textContent()).toBe(exposed);
    expect(await page.getByTestId('experiment').textContent()).not.toContain('发布或模拟后');
    await textOf(page.getByTestId('counts-early-adopters'), /\d/);
    expect(errors).toEqual([]);
  }, 120_000);

  // The simulation's summary says what the journey brought in beyond its holdout: the very figures
  // the simulate route answered (core/experiment/incremental-effect.ts), in Chinese, counts and
  // money as the rest of the designer writes them.
  it("shows the lift over the holdout with the simulate route's own figures", async () => {
    await d.signedIn();
    await page.goto(`${d.session().base}/#/flows/new-product-launch`);
    await node('early-adopters').waitFor();
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/flows/new-product-launch/simulate') && r.request().method() === 'POST', { timeout: 60_000 });
    await page.getByTestId('simulate').click();
    const body = (await (await answered).json()) as { incrementalEffect: JourneyIncrementalEffect };
    await page.getByTestId('simulation-summary').locator('li').first().waitFor({ timeout: 60_000 });
    if (!body.incrementalEffect.measured) throw new Error(`not measured: ${JSON.stringify(body.incrementalEffect)}`);
    const s = body.incrementalEffect.splits[0];
    // Customers on both sides, and conversions: the figures below are of something.
    expect(s.holdout.assigned).toBeGreaterThan(0);
    expect(s.treated.converted).toBeGreaterThan(0);
    const lines = await page.getByTestId('simulation-summary').locator('li').allTextContents();
    const n = (x: number) => x.toLocaleString('zh-CN');
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const yuan = (v: number) => `¥${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const head = lines.find((l) => l.startsWith('增量效果：'));
    expect(head).toBeDefined();
    expect(head).toContain(`对照组 ${n(s.holdout.assigned)} 位顾客不发送消息，占分流的 ${pct(s.holdout.share)}`);
    expect(head).toContain(`发送组 ${pct(s.treated.rate)}（${n(s.treated.assigned)} 位中 ${n(s.treated.converted)} 位），对照组 ${pct(s.holdout.rate)}（${n(s.holdout.assigned)} 位中 ${n(s.holdout.converted)} 位）`);
    expect(head).toContain(`提升 ${s.lift > 0 ? '+' : ''}${(s.lift * 100).toFixed(1)} 个百分点`);
    // Two messages: which one brought the lift, each arm by its label on the canvas against the same holdout.
    const label: Record<string, string> = { a: '邮件抢先看', b: '短信抢先购' };
    const byArm = lines.find((l) => l.startsWith('各发送组分别对比对照组：'));
    expect(s.byArm.map((a) => a.arm)).toEqual(['a', 'b']);
    for (const a of s.byArm) expect(byArm).toContain(`「${label[a.arm]}」${pct(a.rate)}（${n(a.assigned)} 位中 ${n(a.converted)} 位），提升 ${a.lift > 0 ? '+' : ''}${(a.lift * 100).toFixed(1)} 个百分点`);
    const incremental = lines.find((l) => l.startsWith('增量转化约'));
    expect(incremental).toBe(`增量转化约 ${n(Math.round(s.incrementalConversions))} 位（发送组 ${n(s.treated.assigned)} 位 × 提升），增量收入 ${yuan(s.incrementalRevenue!)}（发送组收入 ${yuan(s.treated.revenue)} − ${n(s.treated.assigned)} 位 × 对照组人均 ${yuan(s.holdout.revenue / s.holdout.assigned)}）`);
    // A holdout of a few customers cannot tell: the panel says so in plain words.
    if (s.caution?.code !== 'too-few-customers') throw new Error(`the demo shop's holdout has ${s.holdout.assigned} customers: no caution ${JSON.stringify(s.caution)}`);
    expect(lines).toContain(`注意：对照组只有 ${n(s.caution.assigned)} 位顾客，每边至少需要 30 位才能比较，这些数字还分不清是消息的作用还是偶然`);
    expect(errors).toEqual([]);
  }, 120_000);
});
