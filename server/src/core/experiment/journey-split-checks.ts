import type { PathProblem } from '../flow/problems.js';
import { asObject } from '../flow/raw-object.js';

/**
 * An experiment on a split drawn per journey (`by: journey`). An experiment records one arm per
 * customer (split_assignments: the customer's first journey through the split), so a customer's
 * later journeys are split anew but never counted: their sends, costs and responses are missing
 * from every arm, and a customer can sit in two arms at once. A per-order reminder test with
 * `by: journey` counted 769 / 709 / 158 customers for 856 / 812 / 186 journeys, and 129 customers
 * had journeys in more than one arm. `by: customer` (the default) keeps each customer in one arm,
 * which is what the report compares. Pure, on raw nodes.
 */
export function checkJourneySplitExperiments(nodes: readonly unknown[]): PathProblem[] {
  const out: PathProblem[] = [];
  nodes.forEach((raw, index) => {
    const n = asObject(raw);
    if (n?.type !== 'split' || n.by !== 'journey' || asObject(n.experiment) === null) return;
    out.push({
      path: ['nodes', index, 'by'],
      nodeId: typeof n.id === 'string' ? n.id : null,
      severity: 'warning',
      message: "this experiment's split is drawn per journey (by: journey), but an experiment counts each customer once, in the arm of their first journey: a customer's later journeys are split anew and left out of every arm's counts, costs and responses, and one customer can be in two arms; use by: customer (the default) to compare the arms",
    });
  });
  return out;
}
