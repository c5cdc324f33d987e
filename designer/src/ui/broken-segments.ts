import { createContext, useContext } from 'react';
import { NO_BROKEN_SEGMENTS, type BrokenSegments } from '../model/broken-segments.js';

/** The broken segments for the canvas cards (React Flow renders a card from node data alone), provided by the editor from GET /api/segments. */
export const BrokenSegmentsContext = createContext<BrokenSegments>(NO_BROKEN_SEGMENTS);
export const useBrokenSegments = () => useContext(BrokenSegmentsContext);
