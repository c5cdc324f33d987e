/**
 * The walkthrough: a card dragged from the palette and dropped at the bottom right of the canvas
 * landed under the minimap (its top-left corner at the drop point), where the marketer could
 * neither see nor click it. Now it is moved up or left until it lies inside the canvas, clear of
 * the minimap and the zoom buttons (model/drop-spot.ts, CanvasPane's onDrop), by the card's own
 * size as drawn (an A/B 分组 is wider than the 220 px the placement assumed, and stuck out past the
 * canvas's edge), and off any card already there (two dropped at one point lay one on the other:
 * model/free-spot.ts).
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the set-up is every designer browser test's.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import { boxesOf, coverings, intersects, outside } from '../support/screen-boxes.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-04T21:00:00+08:00');
const OVERLAYS = { minimap: '.react-flow__minimap', 'zoom buttons': '.react-flow__controls' };

describe('a card dropped from the palette at the canvas corner', () => {
  const d = designerInBrowser({ name: 'drop-clear', clock: () => new VirtualClock(T0), viewport: { width: 1366, height: 768 } });
  const { errors, newJourney, add, until, viewSettled } = d;
  let page: Page;
  beforeAll(() => void (page = d.session().page));

  const ids = () => page.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id') ?? ''));
  /** Drops a palette card at a point of the canvas (relative to its top-left corner); answers the new card's id. */
  async function dropAt(type: string, where: (canvas: { width: number; height: number }) => { x: number; y: number }) {
    const before = await ids();
    const canvas = (await page.locator('.react-flow').boundingBox())!;
    await page.getByTestId(`palette-${type}`).dragTo(page.locator('.react-flow'), { targetPosition: where(canvas), force: true });
    let added = '';
    await until(async () => !!(added = (await ids()).find((id) => !before.includes(id)) ?? ''), `a ${type} card dropped`);
    return added;
  }
  async function seen(id: string) {
    const card = (await boxesOf(page, { step: `.react-flow__node[data-id="${id}"]` }))[0];
    const canvas = (await boxesOf(page, { canvas: '.react-flow' }))[0];
    return [...outside([card], canvas), ...coverings([card], await boxesOf(page, OVERLAYS))];
  }

  it('lands inside the canvas, clear of the minimap and the zoom buttons, and can be clicked', async () => {
    await newJourney('拖到角落');
    await add('entry', 'start');
    await viewSettled();
    // The bottom-right corner, a few pixels in (right of and below the minimap).
    const corner = await dropAt('exit', (c) => ({ x: c.width - 4, y: c.height - 4 }));
    await viewSettled();
    await page.screenshot({ path: join(SHOTS, 'drop-bottom-right.png') });
    expect(await seen(corner)).toEqual([]);
    // Where it landed, it can be clicked: its form opens.
    await d.select(corner);
    await d.inspector(corner).waitFor();
    // On the minimap itself, and on the zoom buttons (bottom left).
    const onMinimap = await dropAt('wait', (c) => ({ x: c.width - 90, y: c.height - 60 }));
    expect(await seen(onMinimap)).toEqual([]);
    const onButtons = await dropAt('exit', (c) => ({ x: 40, y: c.height - 20 }));
    expect(await seen(onButtons)).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('keeps a card wider than the usual one (an A/B 分组) inside the canvas by its own size', async () => {
    await newJourney('拖到角落的分组');
    await add('entry', 'start');
    await viewSettled();
    const split = await dropAt('split', (c) => ({ x: c.width - 4, y: c.height - 4 }));
    await viewSettled();
    await page.screenshot({ path: join(SHOTS, 'drop-split-bottom-right.png') });
    const card = (await boxesOf(page, { step: `.react-flow__node[data-id="${split}"]` }))[0];
    // It is the wider card (three branch labels): the old placement took every card as 220 wide.
    expect(card.right - card.left).toBeGreaterThan((await page.locator('.react-flow__node[data-id="start"]').boundingBox())!.width);
    expect(await seen(split)).toEqual([]);
    await d.select(split);
    expect(errors).toEqual([]);
  }, 90_000);

  it('moves a card dropped on another off it, so both are seen and can be clicked', async () => {
    await newJourney('同一处拖两次');
    await add('entry', 'start');
    await viewSettled();
    const middle = (c: { width: number; height: number }) => ({ x: c.width / 2, y: c.height / 2 });
    const first = await dropAt('wait', middle);
    const second = await dropAt('wait', middle);
    await viewSettled();
    await page.screenshot({ path: join(SHOTS, 'drop-same-spot.png') });
    const cards = await boxesOf(page, { step: '.react-flow__node' });
    expect(cards.length).toBe(3);
    const overlapping = cards.flatMap((a, i) => cards.slice(i + 1).filter((b) => intersects(a, b)).map((b) => `${a.what} × ${b.what}`));
    expect(overlapping).toEqual([]);
    for (const id of [first, second]) {
      expect(await seen(id)).toEqual([]);
      await d.select(id);
    }
    // A third at the same point, on a canvas (zoomed in to 200% for one step) with no free place
    // left for it: it covers as little of the others as it can, each still seen and clicked.
    const third = await dropAt('send', middle);
    await viewSettled();
    await page.screenshot({ path: join(SHOTS, 'drop-same-spot-third.png') });
    const [card] = await boxesOf(page, { step: `.react-flow__node[data-id="${third}"]` });
    const area = (b: { left: number; right: number; top: number; bottom: number }) => (b.right - b.left) * (b.bottom - b.top);
    const covered = (await boxesOf(page, { step: '.react-flow__node' })).filter((b) => b.what !== card.what).map((b) => {
      const w = Math.max(0, Math.min(b.right, card.right) - Math.max(b.left, card.left));
      const h = Math.max(0, Math.min(b.bottom, card.bottom) - Math.max(b.top, card.top));
      return `${b.what} ${Math.round((100 * w * h) / area(b))}%`;
    });
    expect(covered.filter((c) => Number(c.split(' ').pop()!.replace('%', '')) > 25)).toEqual([]);
    expect(await seen(third)).toEqual([]);
    for (const id of [first, second, third]) await d.select(id);
    expect(errors).toEqual([]);
  }, 90_000);
});
