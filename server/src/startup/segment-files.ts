import { formatProblem } from '../core/rules/rule-file.js';
import { RuleSet, segmentsDir } from '../core/rules/rule-set.js';

/**
 * The segment files are read before anything starts, as the settings are. A mistake in one (a
 * developer's push: `fact: recencyDay`) used to stop the server — and before that, every segment,
 * flow and publish of the shop said "unknown rule". Now the server starts: the broken files are said
 * here once, with file, line and field; the segments and flows that do not use them work, and
 * those that do name the broken file as the cause. Returns the lines to print (none when all is well).
 */
export function segmentFileWarnings(rulesDir: string): string[] {
  const problems = RuleSet.loadDir(segmentsDir(rulesDir)).problems();
  if (!problems.length) return [];
  return ['segment files with mistakes (not usable, nor is what uses them, until fixed; `rekindle validate` lists every problem):', ...problems.map(formatProblem)];
}
