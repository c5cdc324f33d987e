/**
 * The figures of a journey's incremental effect (incremental-effect.ts computes them): their shape
 * alone, with no import, so the designer reads the simulation's answer by the same type without
 * taking in the statistics it is computed with.
 */

/** A two-sided interval (statistics.ts's Interval). */
export interface Interval {
  low: number;
  high: number;
}

/** Arms of one side summed: the treated (every arm that sends) or the holdout (every arm that does not). */
export interface ArmGroup {
  arms: string[];
  assigned: number;
  converted: number;
  /** converted / assigned; 0 for a group nobody was assigned to (its figures then say nothing: `caution`). */
  rate: number;
  /** What the group's conversions paid (the response events' amounts), in yuan. */
  revenue: number;
}

/**
 * One arm that sends against the holdout: with two messages or more, the pooled lift says what the
 * journey brought in, and this which message brought it (a cheap SMS arm may match an e-mail one,
 * or one arm may carry the whole lift). The same test and interval as the pooled figures.
 */
export interface ArmLift {
  arm: string;
  assigned: number;
  converted: number;
  rate: number;
  /** This arm's rate − the holdout's rate. */
  lift: number;
  liftCi: Interval;
  pValue: number;
  significant: boolean;
}

export type IncrementalCaution =
  /** A side has fewer customers than enough-data.ts asks of any arm compared: the figures say nothing yet. */
  | { code: 'too-few-customers'; group: 'holdout' | 'treated'; assigned: number; minPerArm: number }
  /** Enough customers, but the difference is within what chance gives (p ≥ the experiment's alpha). */
  | { code: 'not-significant'; pValue: number; alpha: number };

export interface SplitIncrementalEffect {
  nodeId: string;
  experimentId: string;
  treated: ArmGroup;
  /** `share`: the holdout's part of the split's customers (0.1 = 10%). */
  holdout: ArmGroup & { share: number };
  /** treated rate − holdout rate: a difference of two shares, 0.05 = 5 percentage points. */
  lift: number;
  /** The lift's interval at the experiment's confidence (1 − alpha; Newcombe, statistics.ts). */
  liftCi: Interval;
  /** Two-sided p of the two-proportion z-test, treated against holdout. */
  pValue: number;
  alpha: number;
  significant: boolean;
  /** treated.assigned × lift: the conversions the messages brought beyond what the holdout's rate gives. */
  incrementalConversions: number;
  /**
   * treated revenue − treated.assigned × the holdout's revenue per customer (the report's per-arm
   * incremental revenue, summed); null when the responses carry no order amount (countsRevenue).
   */
  incrementalRevenue: number | null;
  caution: IncrementalCaution | null;
  /**
   * Each arm that sends against the holdout, in the split's order (also with one arm, where it
   * repeats the pooled figures). Each arm is its own comparison: its p is not corrected for the
   * others (the experiment report's winner is, at alpha / comparisons).
   */
  byArm: ArmLift[];
}

/** Why a journey's incremental effect cannot be measured, and the splits that say so. */
export type NotMeasured =
  /** No split with an arm that sends nothing: `splits` are the journey's experiments (compared among themselves only). */
  | { measured: false; reason: 'no-holdout'; splits: string[] }
  /** A split has a holdout arm but is no experiment, so its conversions are not counted. */
  | { measured: false; reason: 'holdout-without-experiment'; splits: string[] };

export type JourneyIncrementalEffect = { measured: true; splits: SplitIncrementalEffect[] } | NotMeasured;
