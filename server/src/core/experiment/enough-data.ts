/**
 * Below this many customers in an arm, its rate, the lift against the control and P(best) say
 * nothing yet: the CLI, the API and the designer say "not enough data" instead of presenting them
 * as findings. One definition, read by all three (the designer from the report's `enoughData`).
 */
export const MIN_PER_ARM = 30;

export interface EnoughData {
  enough: boolean;
  minPerArm: number;
  /** The arm with the fewest customers, and how many it has. */
  fewest: { arm: string; assigned: number } | null;
}

export function enoughData(arms: readonly { arm: string; assigned: number }[], minPerArm = MIN_PER_ARM): EnoughData {
  const fewest = arms.reduce<{ arm: string; assigned: number } | null>((m, a) => (m === null || a.assigned < m.assigned ? { arm: a.arm, assigned: a.assigned } : m), null);
  return { enough: fewest !== null && fewest.assigned >= minPerArm, minPerArm, fewest };
}

/** The report's first warning when there is not enough data. */
export function notEnoughDataWarning(e: EnoughData): string | null {
  if (e.enough || !e.fewest) return null;
  return `not enough data: arm ${e.fewest.arm} has ${e.fewest.assigned} customer${e.fewest.assigned === 1 ? '' : 's'}; each arm needs at least ${e.minPerArm} before its rate, the lift and P(best) mean anything`;
}
