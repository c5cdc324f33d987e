import { ORDER_CREATED, ORDER_PAID } from '../data/order-event-names.js';
import { enoughData, tooFewCustomers } from './enough-data.js';
import { money } from './money.js';
import type { ArmReport, ExperimentReport } from './report.js';
import type { Experiment } from './schema.js';
import { differenceInterval, twoProportionZTest } from './statistics.js';
import type { ArmGroup, ArmLift, IncrementalCaution, JourneyIncrementalEffect, SplitIncrementalEffect } from './incremental-effect-figures.js';

export type { ArmGroup, ArmLift, IncrementalCaution, JourneyIncrementalEffect, NotMeasured, SplitIncrementalEffect } from './incremental-effect-figures.js';

/**
 * What a journey brought in beyond its holdout (the arms of a split that send nothing): the treated
 * customers' conversion rate against the holdout's, the difference in percentage points, the
 * conversions and the revenue that difference is worth over the treated customers. Read off the
 * split's experiment report (report.ts), with its figures and statistics (statistics.ts,
 * enough-data.ts, money.ts): the server's simulate route, `rekindle simulate` and the designer's 模拟 say it from
 * the same numbers. Pure.
 *
 * Conversions are the experiment's responses (the first response event in its window, every
 * assigned customer counted: intention to treat), so "treated" is every customer the split sent
 * down an arm with a message, reached or not.
 */

/** The parts of a split node read here (flow/schema.ts's split, or a draft's). */
export interface SplitLike {
  id: string;
  type: string;
  arms?: { id: string; holdout?: boolean }[];
  experiment?: Pick<Experiment, 'id' | 'responses'>;
}

/** The report's parts read here (the split's ExperimentReport, as the simulation answers it). */
export type ReportLike = Pick<ExperimentReport, 'experimentId' | 'nodeId' | 'alpha'> & { arms: Pick<ArmReport, 'arm' | 'holdout' | 'assigned' | 'responders' | 'revenue'>[] };

/**
 * Whether a response carries what the order paid: an order event (its `amount`), or a response
 * that names its revenue property. A click or a coupon's redemption (its face value) does not.
 */
export function countsRevenue(x: Pick<Experiment, 'responses'>): boolean {
  return x.responses.some((r) => r.revenue !== undefined || r.event === ORDER_PAID || r.event === ORDER_CREATED);
}

function group(arms: ReportLike['arms']): ArmGroup {
  const assigned = arms.reduce((s, a) => s + a.assigned, 0);
  const converted = arms.reduce((s, a) => s + a.responders, 0);
  return { arms: arms.map((a) => a.arm), assigned, converted, rate: assigned ? converted / assigned : 0, revenue: money(arms.reduce((s, a) => s + a.revenue, 0)) };
}

/**
 * A side's conversion rate against the holdout's: the lift in points, its interval at 1 − alpha
 * and the two-sided p of the two-proportion z-test; nothing of chance when either side is empty.
 * The pooled treated arms and each arm alone are compared the same way.
 */
function againstHoldout(side: ArmGroup, holdout: ArmGroup, alpha: number): Pick<ArmLift, 'lift' | 'liftCi' | 'pValue' | 'significant'> {
  const both = side.assigned > 0 && holdout.assigned > 0;
  const { pValue } = both ? twoProportionZTest(side.converted, side.assigned, holdout.converted, holdout.assigned) : { pValue: 1 };
  return {
    lift: side.rate - holdout.rate,
    liftCi: both ? differenceInterval(side.converted, side.assigned, holdout.converted, holdout.assigned, 1 - alpha) : { low: -1, high: 1 },
    pValue,
    significant: pValue < alpha,
  };
}

/** One arm that sends against the pooled holdout. */
function armLift(arm: ReportLike['arms'][number], holdout: ArmGroup, alpha: number): ArmLift {
  const g = group([arm]);
  return { arm: arm.arm, assigned: g.assigned, converted: g.converted, rate: g.rate, ...againstHoldout(g, holdout, alpha) };
}

/** One split's effect; null when none of its arms is a holdout or all are (nothing to compare). */
export function splitIncrementalEffect(report: ReportLike, revenueCounted: boolean): SplitIncrementalEffect | null {
  const held = report.arms.filter((a) => a.holdout);
  const sent = report.arms.filter((a) => !a.holdout);
  if (!held.length || !sent.length) return null;
  const holdout = group(held);
  const treated = group(sent);
  const both = holdout.assigned > 0 && treated.assigned > 0;
  const { lift, liftCi, pValue, significant } = againstHoldout(treated, holdout, report.alpha);
  // The bar an experiment report sets every arm it compares (enough-data.ts), here the two sides.
  const enough = enoughData([
    { arm: 'holdout', assigned: holdout.assigned },
    { arm: 'treated', assigned: treated.assigned },
  ]);
  let caution: IncrementalCaution | null = null;
  if (tooFewCustomers(enough)) caution = { code: 'too-few-customers', group: enough.fewest!.arm as 'holdout' | 'treated', assigned: enough.fewest!.assigned, minPerArm: enough.minPerArm };
  else if (!significant) caution = { code: 'not-significant', pValue, alpha: report.alpha };
  const holdoutPerCustomer = holdout.assigned ? holdout.revenue / holdout.assigned : 0;
  return {
    nodeId: report.nodeId,
    experimentId: report.experimentId,
    treated,
    holdout: { ...holdout, share: holdout.assigned + treated.assigned ? holdout.assigned / (holdout.assigned + treated.assigned) : 0 },
    lift,
    liftCi,
    pValue,
    alpha: report.alpha,
    significant,
    incrementalConversions: treated.assigned * lift,
    incrementalRevenue: revenueCounted && both ? money(treated.revenue - treated.assigned * holdoutPerCustomer) : null,
    caution,
    byArm: sent.map((a) => armLift(a, holdout, report.alpha)),
  };
}

/**
 * The journey's effect from its splits' experiment reports (split node id → report, as a
 * simulation answers `experiments`): one entry per split with a holdout, else why there is none.
 */
export function journeyIncrementalEffect(nodes: readonly SplitLike[], reports: Readonly<Record<string, ReportLike | undefined>>): JourneyIncrementalEffect {
  const splits = nodes.filter((n) => n.type === 'split');
  const measured: SplitIncrementalEffect[] = [];
  for (const n of splits) {
    const r = reports[n.id];
    if (!n.experiment || !r) continue;
    const effect = splitIncrementalEffect(r, countsRevenue(n.experiment));
    if (effect) measured.push(effect);
  }
  if (measured.length) return { measured: true, splits: measured };
  const unmeasured = splits.filter((n) => !n.experiment && n.arms?.some((a) => a.holdout) && n.arms.some((a) => !a.holdout));
  if (unmeasured.length) return { measured: false, reason: 'holdout-without-experiment', splits: unmeasured.map((n) => n.id) };
  return { measured: false, reason: 'no-holdout', splits: splits.filter((n) => n.experiment).map((n) => n.id) };
}
