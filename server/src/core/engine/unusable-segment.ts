import { RuleFileError } from '../rules/rule-file.js';
import { UnknownRuleError } from '../rules/rule-set.js';

/**
 * The segment a running flow's entry names cannot be used now: its file was renamed or deleted in
 * git while a published version still names it (a broken file keeps its last working definition,
 * segment-rules-on-disk.ts, but a missing one has none), or it is broken with nothing to fall back on.
 */
export function isUnusableSegment(e: unknown): e is Error {
  return e instanceof UnknownRuleError || e instanceof RuleFileError;
}

/**
 * Each flow's entry problem, said once (again when it changes, or comes back after being fixed):
 * the intake meets it on every batch with the flow's trigger event, a schedule on every tick.
 */
export class EntryProblems {
  private readonly said = new Map<string, string>();

  constructor(private readonly warn: (message: string) => void) {}

  report(flowId: string, message: string): void {
    if (this.said.get(flowId) === message) return;
    this.said.set(flowId, message);
    this.warn(message);
  }

  cleared(flowId: string): void {
    this.said.delete(flowId);
  }
}
