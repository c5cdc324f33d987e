import type { FitViewOptions } from '@xyflow/react';
import type { Insets } from '../model/opening-view.js';

/**
 * Where "fit the flow to the view" puts the steps: inside the canvas, clear of what React Flow
 * draws over it. The minimap (bottom right) and the zoom buttons (bottom left, laid out in one
 * row) both sit in a band along the bottom edge, so the flow is fitted above that band; otherwise
 * the lowest steps of an ordinary flow end up under the minimap. The banners of the live view
 * are not over the canvas at all (they sit above it, EditorView), so the top needs no room.
 * The same room is kept when a journey too big to fit readably opens at its start (model/opening-view.ts).
 */
export const MINIMAP_SIZE = { width: 160, height: 100 };
/** React Flow's margin around a panel (.react-flow__panel in its style.css). */
const PANEL_MARGIN = 15;
const px = (n: number) => `${n}px` as const;

export const FIT_INSETS: Insets = { top: 24, left: 24, right: 24, bottom: MINIMAP_SIZE.height + 2 * PANEL_MARGIN };

export const FIT_VIEW: FitViewOptions = {
  padding: { top: px(FIT_INSETS.top), left: px(FIT_INSETS.left), right: px(FIT_INSETS.right), bottom: px(FIT_INSETS.bottom) },
};
