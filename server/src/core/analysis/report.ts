import { shopIsoTime } from '../engine/local-time.js';
import { DEFAULT_CUT_SHARES } from './thresholds.js';
import { thinSample, type ThinSample } from './thin-sample.js';
import type { LifecycleThresholds } from '../shop-config.js';
import { countByAov, countByOrderCount, countByProvince, countByStage, type AovBand, type Count } from './breakdown.js';
import { summariseDistribution, type DistributionSummary } from './distribution.js';
import type { IntervalResult } from './intervals.js';
import { scoreRfm, summariseRfm, type RfmSummary } from './rfm.js';
import { suggestThresholds, type ThresholdSuggestion } from './thresholds.js';
import type { CustomerSummary } from './purchases.js';

/**
 * The two results `rekindle analyse` prints and `/api/analysis/*` serves, built from the same
 * inputs whatever the source (database or CDNOW file).
 */
export interface LifecycleReport {
  at: string;
  intervals: {
    customers: number;
    repeatCustomers: number;
    sameDayMerged: number;
    distribution: DistributionSummary;
  };
  suggestion: ThresholdSuggestion | null;
  /** The intervals are too few for the suggestion to mean much (thin-sample.ts); null when enough. */
  thin: ThinSample | null;
  /** Thresholds in force (rules/shop.yaml, or the defaults for a CDNOW file). */
  current: LifecycleThresholds;
  stages: { current: Count[]; suggested: Count[] | null };
}

export interface RfmReport {
  at: string;
  customers: number;
  /** Customers without a paid order: no RFM scores. */
  prospects: number;
  rfm: RfmSummary;
  byOrderCount: Count[];
  byAov: AovBand[];
  byProvince: Count[];
}

export interface AnalysisInput {
  at: number;
  /** The shop's time zone: `at` is reported in it, with its offset (as every time the shop reads). */
  timezone?: string;
  intervals: IntervalResult;
  customers: readonly CustomerSummary[];
  current: LifecycleThresholds;
  shares?: readonly [number, number, number];
}

const atText = (input: Pick<AnalysisInput, 'at' | 'timezone'>) => (input.timezone ? shopIsoTime(input.at, input.timezone) : new Date(input.at).toISOString());

export function lifecycleReport(input: AnalysisInput): LifecycleReport {
  const suggestion = suggestThresholds(input.intervals.days, input.shares);
  return {
    at: atText(input),
    intervals: {
      customers: input.intervals.customers,
      repeatCustomers: input.intervals.repeatCustomers,
      sameDayMerged: input.intervals.sameDayMerged,
      distribution: summariseDistribution(input.intervals.days),
    },
    suggestion,
    thin: suggestion ? thinSample(input.intervals.days.length, input.intervals.repeatCustomers, input.shares ?? DEFAULT_CUT_SHARES) : null,
    current: input.current,
    stages: {
      current: countByStage(input.customers, input.at, input.current),
      suggested: suggestion ? countByStage(input.customers, input.at, suggestion.thresholds) : null,
    },
  };
}

export function rfmReport(input: Pick<AnalysisInput, 'at' | 'customers' | 'timezone'>): RfmReport {
  const scores = scoreRfm(input.customers, input.at);
  return {
    at: atText(input),
    customers: input.customers.length,
    prospects: input.customers.length - scores.length,
    rfm: summariseRfm(scores),
    byOrderCount: countByOrderCount(input.customers),
    byAov: countByAov(input.customers),
    byProvince: countByProvince(input.customers),
  };
}
