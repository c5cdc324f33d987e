/**
 * The customers page (顾客), in headless chromium (run under flock /work/wt/browser.lock): a marketer
 * opens a customer who did not get the live 沉睡唤醒 journey's message and reads why — the journey is
 * listed with its entry audience and the condition that held the customer out, with their own value,
 * in words (生命周期阶段 = 沉睡（TA 的：活跃）); a customer in the audience reads that the next daily
 * run takes them. The page said only 还没有进入过任何旅程.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const DAY = 86_400_000;

describe('the designer: why a customer is not in a live journey', () => {
  const d = designerInBrowser({ name: 'not-entered', clock: () => new VirtualClock(T0) });
  const { api, errors, textOf, signedIn } = d;
  let page: Page;
  beforeAll(async () => {
    ({ page } = d.session());
    // 老王 bought 10 days ago (active), 小李 300 days ago (sleeping by rules/shop.yaml's thresholds).
    for (const [id, name, daysAgo] of [['lw', '老王', 10], ['xl', '小李', 300]] as const) {
      const at = new Date(T0 - daysAgo * DAY).toISOString();
      const r = await api('POST', '/api/orders', { externalId: `o-${id}`, customerExternalId: id, status: 'paid', amount: 398, createdAt: at, paidAt: at, items: [], customer: { name } });
      expect(r.status).toBe(200);
    }
    expect((await api('POST', '/api/flows/sleeping-reactivation/publish', {}, 'marketer')).status).toBe(200);
  });

  const open = async (name: string) => {
    await page.getByTestId('customer-search').fill(name);
    await page.getByTestId('customer-search').press('Enter');
    await page.getByText(new RegExp(` · ${name}$`)).click();
  };

  it('names the condition of the entry audience that held the customer out, with their own value', async () => {
    await signedIn('marketer');
    await page.getByTestId('tab-customers').click();
    await open('老王');
    await textOf(page.getByTestId('customer-no-journeys'), '还没有进入过任何旅程');
    await textOf(page.getByTestId('customer-not-entered'), '沉睡客户唤醒 · 现在不在入口人群「沉睡唤醒候选客户」里：生命周期阶段 = 沉睡（TA 的：活跃）');
    await page.screenshot({ path: join(SHOTS, 'customer-not-entered.png') });
  });

  it('says a customer in the audience is taken by the next daily run', async () => {
    await open('小李');
    await textOf(page.getByTestId('customer-not-entered'), /^沉睡客户唤醒 · 现在在入口人群「沉睡唤醒候选客户」里：下一次运行（每天 \d{2}:\d{2}）会让 TA 进入/);
    expect(errors).toEqual([]);
  });
});
