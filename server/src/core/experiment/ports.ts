import type { NodeOfType } from '../flow/schema.js';
import type { RecordedDecision } from './winner-decision.js';

/**
 * What a split needs beyond the step's batch context for balanced assignment and test-then-
 * roll-out (persistence/experiment-store.ts implements it). Without it, a split assigns by
 * salted hash only (stratified by salt when `stratify` is set) and cannot run a test.
 */
export interface ExperimentPort {
  /** Reserves `count` consecutive arrival numbers of a split's stratum; returns the first. */
  reserveArrivals(flowId: string, nodeId: string, stratum: string, count: number): Promise<number>;
  /** When a test split assigned its first customer (null: nobody yet). */
  testStartedAt(flowId: string, nodeId: string): Promise<number | null>;
  /** The recorded decision of a test split, or null when none was made yet. */
  decision(flowId: string, nodeId: string): Promise<RecordedDecision | null>;
  /** Makes and records the decision once (idempotent: a second call returns the first decision). */
  decide(flowId: string, node: NodeOfType<'split'>, now: number): Promise<RecordedDecision>;
}
