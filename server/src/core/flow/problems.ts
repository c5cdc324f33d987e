/**
 * A problem found in a flow (or layout / rule) file. The same shape serves `rekindle validate`,
 * `--json` output and the designer, which pins problems on the node named by `nodeId`.
 */
export type Severity = 'error' | 'warning';

/** Where in the parsed value: e.g. ['nodes', 3, 'next']. Lines are added from the YAML document. */
export type ValuePath = (string | number)[];

/**
 * What a warning shares with others of one root cause, so `rekindle validate` can say it once
 * ("24 sends … because rules/channels.yaml has no publicBaseUrl") while `--json` still lists each.
 * past-date: a date in the flow already gone by (date-checks.ts); relative-link: a send's tracked
 * link without publicBaseUrl (core/channels/relative-link-checks.ts); quiet-hours: a send reached
 * at a time of day inside its channel's quiet hours (time-of-day-checks.ts).
 */
export type ProblemCause = 'past-date' | 'relative-link' | 'quiet-hours';

export interface FlowProblem {
  /** 1-based line in the file (0 when the file has no usable position, e.g. empty text). */
  line: number;
  nodeId: string | null;
  /** Dotted path in the document, e.g. "nodes.3.next" ('' for the whole file). */
  path: string;
  message: string;
  severity: Severity;
  /** Set on warnings that share one cause with others (absent on the rest). */
  cause?: ProblemCause;
  /**
   * The date a date warning is about (past-date), as ISO 8601 in shop time with its offset
   * ("2026-10-27T09:00:00+08:00"): what programs (validate's grouping, --json readers) read,
   * never the English message, whose words may change.
   */
  date?: string;
}

/** A problem before it is placed on a line (graph checks and rule checks work on values). */
export interface PathProblem {
  path: ValuePath;
  nodeId: string | null;
  message: string;
  severity: Severity;
  cause?: ProblemCause;
  date?: string;
}

export function pathText(path: ValuePath): string {
  return path.join('.');
}

/** `rules/flows/payment-reminder.flow.yaml:23 node remind-2: edge "next" points to missing node "wait-x"` */
export function formatProblem(file: string, p: FlowProblem): string {
  const where = p.nodeId ? ` node ${p.nodeId}` : '';
  const level = p.severity === 'warning' ? 'warning: ' : '';
  return `${file}:${p.line}${where}: ${level}${p.message}`;
}

export function errorCount(problems: readonly { severity: Severity }[]): number {
  return problems.filter((p) => p.severity === 'error').length;
}

/**
 * A file under rules/ that is not UTF-8 (core/text/rules-file-text.ts's NotUtf8Error), as one error on
 * its first bad line. Taken by shape, not by that type: the designer compiles this file, and that
 * one reads files (node:fs), which a browser build has not.
 */
export function notUtf8Problem(e: { line: number; reason: string }): FlowProblem {
  return { line: e.line, nodeId: null, path: '', message: e.reason, severity: 'error' };
}
