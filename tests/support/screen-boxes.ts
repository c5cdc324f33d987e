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
