import type { PathProblem } from '../flow/problems.js';
import { asObject } from '../flow/raw-object.js';

/**
 * A split without an `experiment` block. The engine still splits the customers, but no experiment
 * is recorded: after publishing, the live view has no per-arm comparison (response rate, lift,
 * significance, ROI), only the inspector's 「+ 实验」, and nothing had said so. A marketer who
 * draws arms with a 对照组 means to compare them, so the split is named at publish time.
 *
 * A warning, not a default: an experiment id names the experiment across the shop's journeys
 * (persistence/experiment-store.ts finds the split by it), so the designer cannot make one up
 * silently for every split it draws, nor for files written by hand; and a split that only spreads
 * customers over two channels is allowed. Adding the block (its defaults: order_paid in 7 days)
 * is one click in the inspector. Pure, on raw nodes.
 */
export function checkUntrackedSplits(nodes: readonly unknown[]): PathProblem[] {
  const out: PathProblem[] = [];
  nodes.forEach((raw, index) => {
    const n = asObject(raw);
    if (n?.type !== 'split' || asObject(n.experiment) !== null) return;
    out.push({
      path: ['nodes', index, 'experiment'],
      nodeId: typeof n.id === 'string' ? n.id : null,
      severity: 'warning',
      message: 'this split is not an experiment: once published, its arms are split but not compared (no per-arm response rate, lift or significance); add experiment (e.g. experiment: {id: coupon-test}) to compare them',
    });
  });
  return out;
}
