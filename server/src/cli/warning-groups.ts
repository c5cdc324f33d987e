import { basename } from 'node:path';
import { FLOW_FILE_SUFFIX } from '../core/flow/flow-file.js';
import { formatProblem, type FlowProblem } from '../core/flow/problems.js';

/**
 * `rekindle validate`'s text output with the warnings of one cause said once. On the shipped
 * rules/ a newcomer's first validate printed 33 lines: 24 times "the tracked link would go out
 * relative" (one per send: rules/channels.yaml has no publicBaseUrl) and 9 past dates of the
 * Double 11 campaign, burying anything else. A cause shared by two warnings or more becomes one
 * line naming the cause and the fix, then the places it touches, compactly (line and node id);
 * `--verbose` prints each warning on its own line as before, and `--json` always lists each.
 */

export interface ReportedFile {
  file: string;
  problems: FlowProblem[];
}

export interface GroupingContext {
  /** rules/channels.yaml as the CLI shows it: where publicBaseUrl goes. */
  channelsFile: string;
  /** The instant dates were judged at, in shop time (e.g. 2026-11-30 10:00 +08:00). */
  now: string;
}

/** `39 start, 132 wait-wave1-email`: where the warnings are, one flow at a time. */
const places = (ps: readonly FlowProblem[]) => ps.map((p) => `${p.line}${p.nodeId ? ` ${p.nodeId}` : ''}`).join(', ');

/** The shop day of the date a past-date warning carries (its `date`, ISO in shop time: the day is its first 10 characters). */
const dayOf = (p: FlowProblem) => p.date?.slice(0, 10) ?? '';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The lines to print (without the "N files checked" total). */
export function validateLines(reports: readonly ReportedFile[], ctx: GroupingContext, verbose = false): string[] {
  if (verbose) return reports.flatMap((r) => r.problems.map((p) => formatProblem(r.file, p)));
  const links = reports.map((r) => ({ file: r.file, problems: r.problems.filter((p) => p.cause === 'relative-link') })).filter((r) => r.problems.length);
  const linkCount = links.reduce((n, r) => n + r.problems.length, 0);
  const groupLinks = linkCount >= 2;
  const lines: string[] = [];
  const groups: string[] = [];
  for (const r of reports) {
    const past = r.problems.filter((p) => p.cause === 'past-date');
    const groupDates = past.length >= 2;
    // An error of the same cause (a send always skipped) keeps its own line.
    const quiet = r.problems.filter((p) => p.cause === 'quiet-hours' && p.severity === 'warning');
    const groupQuiet = quiet.length >= 2;
    for (const p of r.problems) {
      if ((groupDates && p.cause === 'past-date') || (groupLinks && p.cause === 'relative-link') || (groupQuiet && quiet.includes(p))) continue;
      lines.push(formatProblem(r.file, p));
    }
    if (groupQuiet)
      groups.push(
        `${r.file}: warning: ${quiet.length} times of ${basename(r.file).replace(FLOW_FILE_SUFFIX, '')} bring customers to a send inside its channel's quiet hours (rules/policy.yaml), so those messages wait until the quiet hours end: move the times out of the quiet hours, or mark a send urgent: true if it must go at night (--verbose names each send)`,
        `  ${places(quiet)}`,
      );
    if (groupDates) {
      const days = past.map(dayOf).filter(Boolean).sort();
      const span = days.length && days[0] !== days[days.length - 1] ? `${days[0]} to ${days[days.length - 1]}` : (days[0] ?? '');
      const flow = basename(r.file).replace(FLOW_FILE_SUFFIX, '');
      // What publishing would do, of the dates there are: an audience start past, dated waits past.
      const starts = past.some((p) => p.path.endsWith('startAt'));
      const waits = past.some((p) => p.path.endsWith('untilDate'));
      const effect = [starts && 'everyone would enter at once', waits && `each dated wait ${starts ? '' : 'would '}pass at once`].filter(Boolean).join(' and ');
      groups.push(
        `${r.file}: warning: ${past.length} dates of ${flow} are already past (${span}; now ${ctx.now}): published as it is, ${effect}; move them to the coming season${days.length ? `, or check the flow as of a day before them with validate --at ${days[0]}` : ''}`,
        `  ${places(past)}`,
      );
    }
  }
  if (groupLinks)
    groups.push(
      `${ctx.channelsFile}: warning: ${plural(linkCount, 'send')} in ${plural(links.length, 'flow')} will carry relative links (/r/…) that customers cannot open, because ${ctx.channelsFile} has no publicBaseUrl: set it to the address customers reach this server at (e.g. https://crm.shop.example.com)`,
      ...links.map((r) => `  ${r.file}: ${places(r.problems)}`),
    );
  if (groups.length) lines.push(...groups, '(warnings of one cause are said once; --verbose lists each on its own line, --json lists each)');
  return lines;
}
