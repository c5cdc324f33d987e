import type { Page } from 'playwright-core';

/** A box on the screen, as getBoundingClientRect gives it. */
export interface ScreenBox {
  what: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Whether two boxes share any area (touching edges do not count). */
export function intersects(a: ScreenBox, b: ScreenBox): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** The visible boxes of every element matching each selector, named `what` (plus the node id for canvas steps). */
export async function boxesOf(page: Page, selectors: Record<string, string>): Promise<ScreenBox[]> {
  const out: ScreenBox[] = [];
  for (const [what, css] of Object.entries(selectors)) {
    const boxes = await page.locator(css).evaluateAll((els) =>
      els
        .filter((e) => (e as unknown as { checkVisibility(): boolean }).checkVisibility())
        .map((e) => {
          const r = e.getBoundingClientRect();
          return { id: e.closest('.react-flow__node')?.getAttribute('data-id'), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
        }),
    );
    for (const { id, ...b } of boxes) out.push({ what: id ? `${what} ${id}` : what, ...b });
  }
  return out;
}

/** "a × b" for each box of `under` that a box of `over` covers. */
export function coverings(under: ScreenBox[], over: ScreenBox[]): string[] {
  return under.flatMap((u) => over.filter((o) => intersects(u, o)).map((o) => `${u.what} × ${o.what}`));
}

/** The parts of boxes that stick out of `frame` ("step x outside the canvas"). */
export function outside(boxes: ScreenBox[], frame: ScreenBox): string[] {
  return boxes.filter((b) => b.left < frame.left || b.top < frame.top || b.right > frame.right || b.bottom > frame.bottom).map((b) => `${b.what} outside ${frame.what}`);
}

/**
 * Run in the page (`page.evaluate`): every drawn edge path, sampled at 101 points, against every card but the edge's
 * own two; answers "<edge id> through <card id>" per crossing (e.g. "sms:next through mail"), none when clear.
 */
export const EDGES_THROUGH_CARDS = `(() => {
  const cards = [...document.querySelectorAll('.react-flow__node')].map((n) => ({ id: n.dataset.id, r: n.getBoundingClientRect() }));
  const hits = [];
  for (const g of document.querySelectorAll('.react-flow__edge')) {
    const id = (g.getAttribute('data-testid') || '').replace(/^rf__edge-/, '');
    const source = id.split(':')[0];
    const path = g.querySelector('path.react-flow__edge-path');
    const m = path.getScreenCTM();
    const len = path.getTotalLength();
    const end = path.getPointAtLength(len).matrixTransform(m);
    const target = (cards.find((c) => Math.abs(end.x - (c.r.left + c.r.width / 2)) < 3 && Math.abs(end.y - c.r.top) < 6) || {}).id;
    for (let s = 0; s <= 100; s++) {
      const p = path.getPointAtLength((len * s) / 100).matrixTransform(m);
      for (const c of cards) if (c.id !== source && c.id !== target && p.x > c.r.left && p.x < c.r.right && p.y > c.r.top && p.y < c.r.bottom) hits.push(id + ' through ' + c.id);
    }
  }
  return [...new Set(hits)];
})()`;
