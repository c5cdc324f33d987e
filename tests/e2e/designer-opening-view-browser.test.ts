/**
 * The view a journey opens at, on a laptop's window (1366×768): the Double-11 campaign (30 steps)
 * fitted whole came out at zoom 0.31, its cards' 12 px text under 4 px on the screen: boxes without
 * words. It now opens at a readable zoom (model/opening-view.ts: text at 9 px or more) with its
 * entry in view; the fit-view button still fits every step on demand; a small journey that stays
 * readable fitted opens fitted, as before (the same view the fit-view button gives).
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the set-up is every designer browser test's (tests/support/designer-browser.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { READABLE_TEXT_PX, READABLE_ZOOM } from '../../designer/src/model/opening-view.js';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import { boxesOf, coverings, outside } from '../support/screen-boxes.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
/** What React Flow and the page draw over the canvas. */
const OVERLAYS = { minimap: '.react-flow__minimap', 'zoom buttons': '.react-flow__controls', 'session bar': '[data-testid="session"]' };

describe('the designer: the view a journey opens at on a laptop', () => {
  const d = designerInBrowser({ name: 'opening-view', clock: () => new VirtualClock(T0), viewport: { width: 1366, height: 768 } });
  const { errors, signedIn, node, viewSettled } = d;
  let page: Page;
  let base: string;
  beforeAll(() => void ({ page, base } = d.session()));

  async function opened(id: string) {
    await page.goto(`${base}/#/flows/${id}`);
    await node('start').waitFor();
    return zoomOf(await viewSettled());
  }
  const zoomOf = (transform: string) => Number(/scale\(([\d.]+)\)/.exec(transform)?.[1]);
  /** Each step title's text as drawn: its font size times the zoom, and the height of its box on the screen. */
  const titles = () =>
    page.evaluate<{ id: string; px: number; height: number }[]>(`[...document.querySelectorAll('.react-flow__node .step-type')].map((e) => ({
      id: e.closest('.react-flow__node').getAttribute('data-id'), px: parseFloat(getComputedStyle(e).fontSize), height: e.getBoundingClientRect().height,
    }))`);
  const stepBoxes = () => boxesOf(page, { step: '.react-flow__node' });
  const canvasBox = async () => (await boxesOf(page, { canvas: '.react-flow' }))[0];

  it('opens the Double-11 campaign with its titles readable and its entry in view, clear of the minimap and buttons; fit view still fits all', async () => {
    await signedIn();
    const zoom = await opened('double11-campaign');
    await page.screenshot({ path: join(SHOTS, 'opening-double11-1366.png') });
    expect(zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const drawn = await titles();
    expect(drawn.length).toBe(30);
    for (const t of drawn) {
      expect(`${t.id} ${t.px * zoom}`).toBe(`${t.id} ${Math.max(t.px * zoom, READABLE_TEXT_PX)}`);
      expect(t.height).toBeGreaterThanOrEqual(READABLE_TEXT_PX);
    }
    const canvas = await canvasBox();
    const entry = (await stepBoxes()).filter((b) => b.what === 'step start');
    expect(entry.length).toBe(1);
    expect(outside(entry, canvas)).toEqual([]);
    expect(coverings(entry, await boxesOf(page, OVERLAYS))).toEqual([]);
    // Not every step is on the screen (that is what reading them costs): the rest is a pan away…
    expect(outside(await stepBoxes(), canvas).length).toBeGreaterThan(0);
    // …or the fit-view button's click: every step inside the canvas, above the minimap's band.
    await page.locator('.react-flow__controls-fitview').click();
    const fitted = zoomOf(await viewSettled());
    expect(fitted).toBeLessThan(READABLE_ZOOM);
    const steps = await stepBoxes();
    expect(steps.length).toBe(30);
    expect([...outside(steps, canvas), ...coverings(steps, await boxesOf(page, OVERLAYS))]).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('opens a small journey that stays readable fitted whole, as the fit-view button fits it', async () => {
    await signedIn();
    await page.setViewportSize({ width: 1440, height: 900 });
    try {
      const zoom = await opened('pre-sleep');
      const view = await viewSettled();
      expect(zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
      const steps = await stepBoxes();
      expect(steps.length).toBe(5);
      expect([...outside(steps, await canvasBox()), ...coverings(steps, await boxesOf(page, OVERLAYS))]).toEqual([]);
      await page.locator('.react-flow__controls-fitview').click();
      expect(await viewSettled()).toBe(view);
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps the view the marketer zoomed to when the live numbers are shown, and sets it again when they had not moved it', async () => {
    await signedIn();
    expect((await d.api('POST', '/api/flows/payment-reminder/publish', {})).status).toBe(200);
    const untouched = await opened('payment-reminder');
    // Not moved: showing the numbers sets the view again for the shorter canvas (as before).
    await page.getByTestId('live-counts').click();
    await page.getByTestId('counts-note').waitFor();
    expect(zoomOf(await viewSettled())).toBe(untouched);
    await page.getByTestId('counts-note').getByRole('button').click();
    await page.getByTestId('counts-note').waitFor({ state: 'detached' });
    await viewSettled();

    // Zoomed in by hand on a step (the wheel over the canvas): the numbers come, the view stays where it was put.
    const canvas = await canvasBox();
    await page.mouse.move((canvas.left + canvas.right) / 2, (canvas.top + canvas.bottom) / 2);
    await page.mouse.wheel(0, -300);
    const panned = await viewSettled();
    await page.getByTestId('live-counts').click();
    await page.getByTestId('counts-note').waitFor();
    await page.waitForTimeout(300); // past the designer's 50 ms timer that would set it again
    expect(zoomOf(panned)).toBeGreaterThan(untouched);
    expect(await viewSettled()).toBe(panned);
    expect(errors).toEqual([]);
  }, 60_000);
});
