/**
 * Below this many customers in an arm, its rate, the lift against the control and P(best) say
 * nothing yet: the CLI, the API and the designer say "not enough data" instead of presenting them
 * as findings. One definition, read by all three (the designer from the report's `enoughData`).
 */
export const MIN_PER_ARM = 30;

/**
 * Why there is not enough data yet: `few-customers`, an arm is below `minPerArm`; `no-baseline`,
 * the control arm has no responses yet, so the customers each arm needs cannot be estimated (the
 * sample size grows without bound as the baseline rate goes to 0) and a comparison "with enough
 * customers" cannot be claimed. Both can hold; `few-customers` is named first.
 */
export type NotEnoughReason = 'few-customers' | 'no-baseline';

export interface EnoughData {
  enough: boolean;
  minPerArm: number;
  /** The arm with the fewest customers, and how many it has. */
  fewest: { arm: string; assigned: number } | null;
  /** Null when there is enough data. */
  reason: NotEnoughReason | null;
  /** The control arm whose responses the sample size is estimated from (null without one). */
  control: string | null;
}

/**
 * `control`: the arm the report compares with; when given, it must have a response before there
 * is enough data (without one, arms of any size are "enough" by the count alone).
 */
export function enoughData(arms: readonly { arm: string; assigned: number; responders?: number }[], minPerArm = MIN_PER_ARM, control: string | null = null): EnoughData {
  const fewest = arms.reduce<{ arm: string; assigned: number } | null>((m, a) => (m === null || a.assigned < m.assigned ? { arm: a.arm, assigned: a.assigned } : m), null);
  const ctrl = control === null ? undefined : arms.find((a) => a.arm === control);
  let reason: NotEnoughReason | null = null;
  if (fewest === null || fewest.assigned < minPerArm) reason = 'few-customers';
  else if (ctrl && !((ctrl.responders ?? 0) > 0)) reason = 'no-baseline';
  return { enough: reason === null, minPerArm, fewest, reason, control };
}

/** Whether an arm is short of customers (the bar decideWinner applies): not the missing baseline. */
export function tooFewCustomers(e: Pick<EnoughData, 'fewest' | 'minPerArm'>): boolean {
  return e.fewest !== null && e.fewest.assigned < e.minPerArm;
}
