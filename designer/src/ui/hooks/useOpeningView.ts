import { useReactFlow, useStoreApi, type Viewport } from '@xyflow/react';
import { useCallback } from 'react';
import type { StepData } from '../../model/convert.js';
import { openingView, sameViewport, type Box } from '../../model/opening-view.js';
import { FIT_INSETS, FIT_VIEW } from '../canvas-fit.js';

/**
 * The view the designer last set on each canvas, to tell whether the marketer has moved it since.
 * Keyed by the canvas's element: the editor and its canvas pane each call these hooks, and
 * useStoreApi gives each component a store object of its own.
 */
const lastSet = new WeakMap<object, Viewport>();
const canvasOf = (store: ReturnType<typeof useStoreApi>): object | null => store.getState().domNode;

/**
 * Puts the canvas where a journey opens (model/opening-view.ts): every step fitted when the cards
 * stay readable, else the readable zoom from the entry (or from `anchorId`, a step just added).
 * The designer calls it where it used to fit every step on its own: on opening, after an auto
 * layout or an import, after adding a step. The fit-view button under the canvas still fits every
 * step, whatever the zoom.
 */
export function useOpeningView(): (anchorId?: string) => void {
  const rf = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (anchorId?: string) => {
      const { nodeLookup, width, height, minZoom, maxZoom } = store.getState();
      const boxes = new Map<string, Box>();
      let entry: string | undefined;
      for (const [id, n] of nodeLookup) {
        if (n.hidden) continue;
        const { x, y } = n.internals.positionAbsolute;
        boxes.set(id, { x, y, width: n.measured.width ?? n.width ?? 0, height: n.measured.height ?? n.height ?? 0 });
        if ((n.data as StepData | undefined)?.node?.type === 'entry') entry ??= id;
      }
      const anchor = (anchorId && boxes.get(anchorId)) || (entry && boxes.get(entry)) || undefined;
      const view = openingView({ steps: [...boxes.values()], anchor, canvas: { width, height }, insets: FIT_INSETS, minZoom, maxZoom });
      const remember = (v: Viewport) => {
        const canvas = canvasOf(store);
        if (canvas) lastSet.set(canvas, v);
      };
      if (view.fitsAll) void rf.fitView({ ...FIT_VIEW, duration: 0 }).then(() => remember(rf.getViewport()));
      else {
        remember(view.viewport);
        void rf.setViewport(view.viewport, { duration: 0 });
      }
    },
    [rf, store],
  );
}

/**
 * The opening view set again when the canvas changes under it (the live or simulated numbers come
 * or go, the banners above it re-wrap), but only while the view is still the one the designer set:
 * a marketer who has panned or zoomed to a step keeps it in view. It used to jump back to the
 * entry, so showing a step's live numbers lost the step they had scrolled to.
 */
export function useOpeningViewAgain(): () => void {
  const rf = useReactFlow();
  const store = useStoreApi();
  const open = useOpeningView();
  return useCallback(() => {
    const canvas = canvasOf(store);
    const set = canvas && lastSet.get(canvas);
    if (!set || sameViewport(set, rf.getViewport())) open();
  }, [rf, store, open]);
}
