import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import type { StepData } from '../../model/convert.js';
import { openingView, type Box } from '../../model/opening-view.js';
import { FIT_INSETS, FIT_VIEW } from '../canvas-fit.js';

/**
 * Puts the canvas where a journey opens (model/opening-view.ts): every step fitted when the cards
 * stay readable, else the readable zoom from the entry (or from `anchorId`, a step just added).
 * The designer calls it where it used to fit every step on its own: on opening, when the live or
 * simulated numbers come or go, after an auto layout or an import, after adding a step. The
 * fit-view button under the canvas still fits every step, whatever the zoom.
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
      if (view.fitsAll) void rf.fitView({ ...FIT_VIEW, duration: 0 });
      else void rf.setViewport(view.viewport, { duration: 0 });
    },
    [rf, store],
  );
}
