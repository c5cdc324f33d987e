import { describe, expect, it } from '@jest/globals';
import type { FlowProblem } from '../../server/src/core/flow/problems.js';
import { validateLines } from '../../server/src/cli/warning-groups.js';

const CTX = { channelsFile: 'rules/channels.yaml', now: '2026-11-30 10:00 +08:00' };
const past = (line: number, nodeId: string, field: 'trigger.startAt' | 'untilDate', date: string): FlowProblem => ({
  line,
  nodeId,
  path: `nodes.${line}.${field}`,
  message: `${field === 'untilDate' ? 'untilDate' : 'startAt'} ${date} 10:00 +08:00 is already past (now 2026-11-30 10:00 +08:00): …`,
  severity: 'warning',
  cause: 'past-date',
  date: `${date}T10:00:00+08:00`,
});
const link = (line: number, nodeId: string): FlowProblem => ({ line, nodeId, path: `nodes.${line}.link`, message: 'the tracked link would go out as a relative path (/r/…) that customers cannot open: …', severity: 'warning', cause: 'relative-link' });

describe("validate's warnings of one cause, said once", () => {
  it('says only what the dates there are would do: an event-triggered flow has no audience to enter at once', () => {
    const lines = validateLines([{ file: 'rules/flows/care.flow.yaml', problems: [past(5, 'wait-a', 'untilDate', '2026-11-02'), past(9, 'wait-b', 'untilDate', '2026-11-01')] }], CTX);
    expect(lines[0]).toBe('rules/flows/care.flow.yaml: warning: 2 dates of care are already past (2026-11-01 to 2026-11-02; now 2026-11-30 10:00 +08:00): published as it is, each dated wait would pass at once; move them to the coming season, or check the flow as of a day before them with validate --at 2026-11-01');
    expect(lines[1]).toBe('  5 wait-a, 9 wait-b');
  });

  it('reads the days of the dates from the warnings\' date field, never from their words (reworded, translated: the same span)', () => {
    const reworded = (p: FlowProblem): FlowProblem => ({ ...p, message: '日期已经过去' });
    const lines = validateLines([{ file: 'rules/flows/d11.flow.yaml', problems: [reworded(past(4, 'start', 'trigger.startAt', '2026-10-27')), reworded(past(9, 'wait-b', 'untilDate', '2026-11-11'))] }], CTX);
    expect(lines[0]).toBe('rules/flows/d11.flow.yaml: warning: 2 dates of d11 are already past (2026-10-27 to 2026-11-11; now 2026-11-30 10:00 +08:00): published as it is, everyone would enter at once and each dated wait pass at once; move them to the coming season, or check the flow as of a day before them with validate --at 2026-10-27');
  });

  it('keeps a lone warning, errors and other warnings on their own lines, in file order, groups after them', () => {
    const error: FlowProblem = { line: 3, nodeId: 'x', path: 'nodes.1.next', message: 'edge "next" points to missing node "y"', severity: 'error' };
    const lines = validateLines(
      [
        { file: 'a.flow.yaml', problems: [error, past(4, 'start', 'trigger.startAt', '2026-10-27'), link(8, 'sms')] },
        { file: 'b.flow.yaml', problems: [link(6, 'mail'), link(9, 'push')] },
      ],
      CTX,
    );
    expect(lines).toEqual([
      'a.flow.yaml:3 node x: edge "next" points to missing node "y"',
      'a.flow.yaml:4 node start: warning: startAt 2026-10-27 10:00 +08:00 is already past (now 2026-11-30 10:00 +08:00): …',
      'rules/channels.yaml: warning: 3 sends in 2 flows will carry relative links (/r/…) that customers cannot open, because rules/channels.yaml has no publicBaseUrl: set it to the address customers reach this server at (e.g. https://crm.shop.example.com)',
      '  a.flow.yaml: 8 sms',
      '  b.flow.yaml: 6 mail, 9 push',
      '(warnings of one cause are said once; --verbose lists each on its own line, --json lists each)',
    ]);
    // --verbose: every problem its own line, as before.
    expect(validateLines([{ file: 'b.flow.yaml', problems: [link(6, 'mail'), link(9, 'push')] }], CTX, true)).toEqual([
      'b.flow.yaml:6 node mail: warning: the tracked link would go out as a relative path (/r/…) that customers cannot open: …',
      'b.flow.yaml:9 node push: warning: the tracked link would go out as a relative path (/r/…) that customers cannot open: …',
    ]);
  });
});
