import { enoughData, tooFewCustomers, type EnoughData } from './enough-data.js';
import { reportWarning, type ReportWarning } from './report-warnings.js';
import type { Experiment } from './schema.js';
import { decision, type WinnerDecision } from './winner-decision.js';
import { chiSquareArms, lift, probabilityBest, sampleRatioMismatch, sampleSizePerArm, twoProportionZTest, wilson, type Interval, type Lift } from './statistics.js';
import { money } from './money.js';
import { customersNeeded } from './customers-needed.js';

/** What the logs say about one arm (persistence/experiment-store.ts counts it). */
export interface ArmData {
  arm: string;
  label?: string;
  weight: number;
  /** The arm's exact quota when the split fills by quota (customers-needed.ts). */
  quota?: number;
  holdout: boolean;
  assigned: number;
  exposed: number;
  responders: number;
  revenue: number;
  /** Message cost by channel (sends.cost of exposed messages). */
  messageCost: Record<string, number>;
  /** Face value of the coupons this arm's customers redeemed. */
  couponCost: number;
}

export interface ArmReport extends ArmData {
  responseRate: number;
  responseRateCi: Interval;
  revenuePerCustomer: number;
  cost: number;
  /** Against the holdout (null without one): (revenue per customer − holdout's) × assigned. */
  incrementalRevenue: number | null;
  /** (incremental revenue − cost) / cost; null without a holdout or without cost. */
  roi: number | null;
  /**
   * P(this arm has the highest response rate) under Beta(1, 1) priors; null while no arm has a
   * response: then every posterior is Beta(1, 1 + n) and the figure only ranks the arms by size,
   * the smallest first (0 of 49 "beats" 0 of 246 at 75%), which reads like a finding and is none.
   */
  probabilityBest: number | null;
  /** Against the control arm (null for the control itself). */
  vsControl: (Lift & { z: number; pValue: number; significant: boolean }) | null;
}

export interface ExperimentReport {
  experimentId: string;
  flowId: string;
  nodeId: string;
  control: string;
  alpha: number;
  window: string;
  responses: string[];
  arms: ArmReport[];
  /** Two arms: the z-test of the comparison; k arms: chi-square across all. */
  overall: { test: 'z' | 'chi-square'; statistic: number; df: number | null; pValue: number; significant: boolean };
  sampleRatio: { statistic: number; df: number; pValue: number; mismatch: boolean };
  /**
   * moreCustomers: with basis `shares`, the customers that must still enter the split for every arm
   * to reach perArm at its share (and the test sample); with `per-arm` (quotas), the arms' shortfalls
   * summed. `unfillable`: short arms the split gives no share to. See customers-needed.ts.
   */
  power: { detectLift: number; power: number; baselineRate: number; targetRate: number; perArm: number | null; moreCustomers: number | null; basis: 'shares' | 'per-arm' | null; unfillable: string[] };
  /** Whether every arm has enough customers for the rates, lift and P(best) to be read as findings. */
  enoughData: EnoughData;
  /** Each with a `code` and its `figures` for programs and the designer, and the English `message` (report-warnings.ts). */
  warnings: ReportWarning[];
}

/** Below this share of its customers sent a message, a treated arm is named in a low-exposure warning. */
export const LOW_EXPOSURE_SHARE = 0.5;

export function controlArm(arms: { id: string; holdout: boolean }[], x: Experiment): string {
  return x.control ?? arms.find((a) => a.holdout)?.id ?? arms[0].id;
}


/** Every figure of the report from the per-arm counts. Pure: the same counts give the same report. */
export function buildReport(ids: { experimentId: string; flowId: string; nodeId: string }, x: Experiment, counted: ArmData[], control: string): ExperimentReport {
  const data = counted.map((a) => ({ ...a, revenue: money(a.revenue), couponCost: money(a.couponCost), messageCost: Object.fromEntries(Object.entries(a.messageCost).map(([k, v]) => [k, money(v)])) }));
  const ctrl = data.find((a) => a.arm === control);
  if (!ctrl) throw new Error(`experiment ${ids.experimentId}: control arm "${control}" is not one of its arms`);
  const holdout = data.find((a) => a.holdout);
  const holdoutRpc = holdout && holdout.assigned > 0 ? holdout.revenue / holdout.assigned : null;
  const best = data.some((a) => a.responders > 0) ? probabilityBest(data.map((a) => ({ x: a.responders, n: a.assigned })), 8000) : null;
  const arms = data.map((a, i): ArmReport => {
    const cost = money(Object.values(a.messageCost).reduce((s, v) => s + v, 0) + a.couponCost);
    const rpc = a.assigned ? a.revenue / a.assigned : 0;
    const incrementalRevenue = holdoutRpc === null || a.holdout ? null : money((rpc - holdoutRpc) * a.assigned);
    let vsControl: ArmReport['vsControl'] = null;
    if (a.arm !== control && a.assigned > 0 && ctrl.assigned > 0) {
      const t = twoProportionZTest(a.responders, a.assigned, ctrl.responders, ctrl.assigned);
      vsControl = { ...lift(a.responders, a.assigned, ctrl.responders, ctrl.assigned, 1 - x.alpha), ...t, significant: t.pValue < x.alpha };
    }
    return {
      ...a,
      responseRate: a.assigned ? a.responders / a.assigned : 0,
      responseRateCi: wilson(a.responders, a.assigned),
      revenuePerCustomer: rpc,
      cost,
      incrementalRevenue,
      roi: incrementalRevenue === null || cost === 0 ? null : (incrementalRevenue - cost) / cost,
      probabilityBest: best ? best[i] : null,
      vsControl,
    };
  });

  const enough = enoughData(data, undefined, control);
  const warnings: ReportWarning[] = [];
  if (tooFewCustomers(enough)) warnings.push(reportWarning({ code: 'not-enough-data', figures: { fewest: enough.fewest!, minPerArm: enough.minPerArm } }));
  let overall: ExperimentReport['overall'];
  if (data.length === 2) {
    const other = data.find((a) => a.arm !== control)!;
    const t = other.assigned && ctrl.assigned ? twoProportionZTest(other.responders, other.assigned, ctrl.responders, ctrl.assigned) : { z: 0, pValue: 1 };
    overall = { test: 'z', statistic: t.z, df: null, pValue: t.pValue, significant: t.pValue < x.alpha };
  } else {
    const c = chiSquareArms(data.map((a) => ({ x: a.responders, n: a.assigned })));
    overall = { test: 'chi-square', statistic: c.statistic, df: c.df, pValue: c.pValue, significant: c.pValue < x.alpha };
  }
  // An arm whose message mostly never went out (no consent for its channel, caps, not reached
  // yet) is compared on its assignment: its rate and lift are the arm's, not the message's. A
  // simulated launch's email arm reached 118 of 916 and read as "-21% against the holdout".
  const unexposed = data.filter((a) => !a.holdout && a.assigned > 0 && a.exposed < a.assigned * LOW_EXPOSURE_SHARE);
  if (unexposed.length) warnings.push(reportWarning({ code: 'low-exposure', figures: { arms: unexposed.map((a) => ({ arm: a.arm, assigned: a.assigned, exposed: a.exposed })), share: LOW_EXPOSURE_SHARE } }));
  const sampleRatio = sampleRatioMismatch(data.map((a) => a.assigned), data.map((a) => a.weight));
  if (sampleRatio.mismatch) warnings.push(reportWarning({ code: 'sample-ratio-mismatch', figures: { arms: data.map((a) => ({ arm: a.arm, assigned: a.assigned, weight: a.weight })), pValue: sampleRatio.pValue } }));

  const baselineRate = ctrl.assigned ? ctrl.responders / ctrl.assigned : 0;
  const targetRate = baselineRate * (1 + x.detectLift);
  let perArm: number | null = null;
  let moreCustomers: number | null = null;
  let basis: ExperimentReport['power']['basis'] = null;
  let unfillable: string[] = [];
  if (baselineRate > 0 && targetRate < 1) {
    perArm = sampleSizePerArm(baselineRate, targetRate, x.alpha, x.power);
    // The arms fill at their shares: a 10% holdout short of perArm needs ten customers entering the split for each one it lacks.
    ({ moreCustomers, basis, unfillable } = customersNeeded(perArm, data, x.test?.sample));
    if (moreCustomers > 0 || unfillable.length > 0) warnings.push(reportWarning({ code: 'underpowered', figures: { detectLift: x.detectLift, baselineRate, perArm, moreCustomers, basis, unfillable, ...(basis === 'shares' && x.test ? { sample: x.test.sample } : {}), significant: overall.significant } }));
  } else if (baselineRate > 0) {
    warnings.push(reportWarning({ code: 'target-unreachable', figures: { control, baselineRate, detectLift: x.detectLift } }));
  } else {
    warnings.push(reportWarning({ code: 'no-baseline', figures: { control } }));
  }
  return {
    ...ids,
    control,
    alpha: x.alpha,
    window: x.window,
    responses: x.responses.map((r) => r.event),
    arms,
    overall,
    sampleRatio,
    power: { detectLift: x.detectLift, power: x.power, baselineRate, targetRate, perArm, moreCustomers, basis, unfillable },
    enoughData: enough,
    warnings,
  };
}

export type { WinnerDecision } from './winner-decision.js';

/**
 * Test-then-roll-out: the best non-holdout arm wins only when every arm has enough customers to
 * compare (enough-data.ts: the bar the report, the CLI and the designer apply) and it beats every
 * other arm at the stated level, Bonferroni-corrected for the number of comparisons; otherwise
 * the default arm. A tiny test sample can pass a z-test by chance (29 of 29 against 0 of 29 does):
 * the roll-out sends everyone after it down that arm, so it must not rest on what the report
 * itself calls "not enough data".
 */
export function decideWinner(report: ExperimentReport, defaultArm: string): WinnerDecision {
  const e = report.enoughData;
  // Only an arm short of customers holds the decision back: a control without responses still lets
  // a treatment that responded beat it (and with no responses anywhere no arm is significant).
  if (tooFewCustomers(e) && e.fewest) return decision({ code: 'not-enough-data', figures: { fewest: { arm: e.fewest.arm, assigned: e.fewest.assigned }, minPerArm: e.minPerArm, defaultArm } });
  const candidates = report.arms.filter((a) => !a.holdout && a.assigned > 0).sort((a, b) => b.responseRate - a.responseRate || a.arm.localeCompare(b.arm));
  if (candidates.length === 0) return decision({ code: 'no-treatment-customers', figures: { defaultArm } });
  const top = candidates[0];
  const best = { arm: top.arm, responseRate: top.responseRate };
  const others = report.arms.filter((a) => a.arm !== top.arm);
  const level = report.alpha / others.length;
  const pOf = (o: ArmReport) => (o.assigned ? twoProportionZTest(top.responders, top.assigned, o.responders, o.assigned).pValue : 1);
  // Only a holdout can respond more often than the best treatment arm: that is said first, whatever
  // the order of the arms (a small p then says the treatment did significantly worse, so "not
  // significantly better: p ≥ level" would not be true). Equal rates are not significant: p = 1.
  const ahead = others.filter((o) => o.responseRate > top.responseRate).sort((a, b) => b.responseRate - a.responseRate)[0];
  if (ahead) return decision({ code: 'behind', figures: { best, other: { arm: ahead.arm, responseRate: ahead.responseRate }, pValue: pOf(ahead), level, defaultArm } });
  for (const o of others) {
    const pValue = pOf(o);
    if (!(pValue < level)) return decision({ code: 'not-significant', figures: { best, other: { arm: o.arm, responseRate: o.responseRate }, pValue, level, defaultArm } });
  }
  return decision({ code: 'winner', figures: { best, alpha: report.alpha, comparisons: others.length, level } });
}
