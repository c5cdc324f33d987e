/**
 * How many more customers an experiment needs before every arm has `perArm` (the power
 * calculation's customers per arm). The arms fill at their shares of the split, not one by one: a
 * 45/45/10 split short of 36,728 customers in its 10% holdout needs some 340,000 more customers to
 * enter the split, not the 108,179 the per-arm shortfalls add up to (the report said the latter).
 *
 * - `shares`: the arms are assigned by weight. After M more customers take part, arm i has
 *   assigned_i + share_i × M, so M = max over arms short of perArm of (perArm − assigned_i) / share_i.
 *   An arm whose share is 0 (or missing) gets no new customers from the split: it is left out of the
 *   max and named in `unfillable` when it is short (no number of customers fills it). With a
 *   test-then-roll-out sample, only `sample`% of the customers entering the split take part in the
 *   test, so the customers entering are M / (sample / 100).
 * - `per-arm` (quotas): each arm takes exactly its quota and the rest goes to the overflow arm, so more
 *   customers entering do not fill a short arm; the figure is the per-arm shortfall summed (what the
 *   quotas would have to add), as before.
 */
export interface ArmFill {
  arm: string;
  /** Percent of the split (arms add up to 100); absent or 0: the arm gets no new customers. */
  weight?: number;
  /** Exact number of customers for the arm: the split fills by quota, not by share. */
  quota?: number;
  assigned: number;
}

export interface CustomersNeeded {
  basis: 'shares' | 'per-arm';
  /** Customers that must still enter the split (shares) or be added to the arms, summed (per-arm: quotas); 0 when every arm has perArm. */
  moreCustomers: number;
  /** Arms short of perArm that the split gives no share to: more customers never fill them. */
  unfillable: string[];
}

export function customersNeeded(perArm: number, arms: readonly ArmFill[], sample?: number): CustomersNeeded {
  const short = arms.filter((a) => a.assigned < perArm);
  const byArm = short.reduce((s, a) => s + (perArm - a.assigned), 0);
  if (arms.length > 0 && arms.every((a) => a.quota !== undefined)) return { basis: 'per-arm', moreCustomers: byArm, unfillable: [] };
  const weightOf = (a: ArmFill) => (typeof a.weight === 'number' && Number.isFinite(a.weight) && a.weight > 0 ? a.weight : 0);
  const total = arms.reduce((s, a) => s + weightOf(a), 0);
  // No arm has a share: nothing is assigned by weight, so only the per-arm shortfall can be said.
  if (total <= 0) return { basis: 'per-arm', moreCustomers: byArm, unfillable: [] };
  const unfillable = short.filter((a) => weightOf(a) === 0).map((a) => a.arm);
  let taking = 0;
  for (const a of short) {
    const share = weightOf(a) / total;
    if (share > 0) taking = Math.max(taking, (perArm - a.assigned) / share);
  }
  const part = typeof sample === 'number' && sample > 0 && sample < 100 ? sample / 100 : 1;
  // The small epsilon keeps 36,728 / 0.1 from rounding up to 367,281 on a float's last bit.
  return { basis: 'shares', moreCustomers: Math.max(0, Math.ceil(taking / part - 1e-9)), unfillable };
}
