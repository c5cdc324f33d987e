import { parseDuration } from '../flow/duration.js';

/**
 * How long after a message (or a click) a response counts, as the analysis routes and `rekindle
 * report --window` take it: a duration, and never an empty one. `0d` parses as a duration, but a
 * window of no time counts no response at all, and the answer read as a confident 0% (walked on
 * 6 Dec 2026: `…/products?window=0d` answered 200 with every figure 0). Throws with the reason;
 * the caller names its field (`window:`, `--window:`).
 */
export function parseResponseWindow(text: string): number {
  const ms = parseDuration(text);
  if (ms <= 0) throw new Error(`"${text}" is an empty window: no response could count in it (use e.g. 7d, 48h)`);
  return ms;
}
