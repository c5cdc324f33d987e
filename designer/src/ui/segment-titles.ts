import { retried } from '../model/retried.js';
import { createContext, useContext, useEffect, useState } from 'react';
import { api } from '../api.js';
import { NO_SEGMENT_TITLES, segmentTitles, type SegmentTitles } from '../model/segment-words.js';

/**
 * The segments' titles for the canvas cards (React Flow renders a card from node data alone): the
 * editor provides them once from GET /api/segments, so an entry card says 每天 09:00：沉睡唤醒候选客户
 * where it said the file's id.
 */
export const SegmentTitlesContext = createContext<SegmentTitles>(NO_SEGMENT_TITLES);
export const useSegmentTitles = () => useContext(SegmentTitlesContext);

/** The same titles for the journeys list; until GET /api/segments answers (or if it fails) ids show, as before. */
export function useShopSegmentTitles(): SegmentTitles {
  const [titles, setTitles] = useState<SegmentTitles>(NO_SEGMENT_TITLES);
  useEffect(() => {
    retried(api.segments).then((s) => setTitles(segmentTitles(s.rules))).catch(() => {}); // the ids show instead: what they name is still right
  }, []);
  return titles;
}
