/**
 * The walkthrough (walk-m, 6 Dec): after a simulation of a journey with an A/B split, closing the
 * simulation's panel left its numbers on the canvas, but the split's A/B panel said
 * 发布或模拟后，这里显示实验结果 — as if nothing had been simulated; simulating again brought the
 * results back. The last simulation's results now stay with its numbers (ui/views/EditorView.tsx).
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the set-up is every designer browser test's.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-06T10:00:00+08:00');

describe("a simulated A/B split's results after the simulation's panel is closed", () => {
  const errors: string[] = [];
  const d = designerInBrowser({ name: 'simulated-experiment', clock: () => new VirtualClock(T0), errors, viewport: { width: 1366, height: 768 } });
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
});
