import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { checkDates } from '../../server/src/core/flow/date-checks.js';
import { eventCatalog } from '../../server/src/core/flow/event-checks.js';
import { formatProblem } from '../../server/src/core/flow/problems.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { isJourneyCheckWarning } from '../support/journey-check-warnings.js';

const FILE = 'rules/flows/t.flow.yaml';
const RULES = ruleCatalogFromNames(['aud']);
const TZ = 'Asia/Shanghai';
/** 30 Nov 2026 10:00 in Shanghai: after Double 11. */
const NOW = Date.parse('2026-11-30T10:00:00+08:00');

/** An audience campaign: enter at startAt, wait until untilDate, send. */
const flow = (startAt: string, untilDate: string) => `id: t
name: Test campaign
nodes:
  - id: start
    type: entry
    trigger:
      type: audience
      segment: aud
      startAt: ${startAt}
    next: wait-d11
  - id: wait-d11
    type: wait
    untilDate: ${untilDate}
    next: sms
  - id: sms
    type: send
    channel: sms
    template: "双十一来了"
    next: done
  - id: done
    type: exit
`;

const problems = (text: string, now = NOW) => validateFlowText(text, FILE, RULES, null, eventCatalog(), { now, timeZone: TZ }).problems.filter((p) => /startAt|untilDate/.test(p.message));
const lines = (text: string, now = NOW) => problems(text, now).map((p) => formatProblem(FILE, p));

describe('date checks: a flow whose dates have gone by', () => {
  it('says nothing of dates still ahead', () => {
    expect(lines(flow('2027-10-27T09:00:00+08:00', '2027-11-11T00:00:00+08:00'))).toEqual([]);
  });

  it('warns that an audience start already past enters everyone at once on publishing, naming node, field and line', () => {
    const [p, ...rest] = problems(flow('2026-10-27T09:00:00+08:00', '2026-12-11T00:00:00+08:00'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ line: 9, nodeId: 'start', path: 'nodes.0.trigger.startAt', severity: 'warning', cause: 'past-date' });
    // The date itself, for programs (validate's grouping, --json): ISO in shop time, not to be read back from the words.
    expect(p.date).toBe('2026-10-27T09:00:00+08:00');
    expect(p.message).toContain('startAt 2026-10-27 09:00 +08:00 is already past (now 2026-11-30 10:00 +08:00): customers would all enter at once on publishing');
    // What happens to a flow already live, so nobody takes the warning for a refusal.
    expect(p.message).toContain('a flow already live whose audience has entered is not affected');
  });

  it('warns that a wait until a date already past passes at once', () => {
    expect(lines(flow('2026-12-01T09:00:00+08:00', '2026-11-11T00:00:00+08:00'), Date.parse('2026-11-30T10:00:00+08:00'))).toEqual([
      // The wait is dated before the start it follows: an error, whatever today is.
      'rules/flows/t.flow.yaml:13 node wait-d11: untilDate 2026-11-11 00:00 +08:00 is before the audience startAt 2026-12-01 09:00 +08:00 it follows: the wait passes at once for every customer who enters; move untilDate after startAt',
    ]);
    const [a, b] = lines(flow('2026-10-27T09:00:00+08:00', '2026-11-11T00:00:00+08:00'));
    expect(a).toMatch(/^rules\/flows\/t\.flow\.yaml:9 node start: warning: startAt/);
    expect(b).toMatch(/^rules\/flows\/t\.flow\.yaml:13 node wait-d11: warning: untilDate 2026-11-11 00:00 \+08:00 is already past \(now 2026-11-30 10:00 \+08:00\): the wait passes at once/);
  });

  it('reads now from the caller, not the wall clock: the same file is clean the day before its start', () => {
    const text = flow('2026-10-27T09:00:00+08:00', '2026-11-11T00:00:00+08:00');
    expect(lines(text, Date.parse('2026-10-26T09:00:00+08:00'))).toEqual([]);
    // Between the start and the wait: only the start is past.
    expect(problems(text, Date.parse('2026-11-01T09:00:00+08:00')).map((p) => p.nodeId)).toEqual(['start']);
  });

  it('shows dates in the shop time zone', () => {
    const p = checkDates({ nodes: [{ id: 'w', type: 'wait', untilDate: '2026-11-10T16:00:00Z', next: 'x' }] }, { now: NOW, timeZone: 'Asia/Shanghai' });
    expect(p[0].message).toContain('untilDate 2026-11-11 00:00 +08:00 is already past');
  });

  it('are not checked without a clock (a simulation runs on its own time)', () => {
    const text = flow('2026-10-27T09:00:00+08:00', '2026-11-11T00:00:00+08:00');
    expect(validateFlowText(text, FILE, RULES, null, eventCatalog()).problems.filter((p) => /already past/.test(p.message))).toEqual([]);
  });

  it('marks each past-date warning with its cause, so validate can say them once; the misordered wait (an error) has none', () => {
    const found = problems(flow('2026-10-27T09:00:00+08:00', '2026-11-11T00:00:00+08:00'));
    expect(found.map((p) => [p.nodeId, p.cause])).toEqual([['start', 'past-date'], ['wait-d11', 'past-date']]);
    expect(problems(flow('2026-12-01T09:00:00+08:00', '2026-11-11T00:00:00+08:00'))[0]).not.toHaveProperty('cause');
  });

  it('says nothing of untilTime waits and schedule triggers, whatever the clock: they count from when the customer arrives (the next HH:MM, every day or hour), and a schedule has no end date to pass', () => {
    const text = `id: t
name: Daily inflow
nodes:
  - { id: start, type: entry, trigger: { type: schedule, segment: aud, every: day, at: "09:00" }, next: evening }
  - { id: evening, type: wait, untilTime: "20:00", next: sms }
  - { id: sms, type: send, channel: sms, template: 好久不见, next: done }
  - { id: done, type: exit }
`;
    for (const now of [Date.parse('2020-01-01T00:00:00Z'), NOW, Date.parse('2040-06-01T00:00:00Z')]) expect(validateFlowText(text, FILE, RULES, null, eventCatalog(), { now, timeZone: TZ }).problems.filter((p) => !isJourneyCheckWarning(p))).toEqual([]);
  });

  it('warns of every past date in the Double 11 campaign published on 30 Nov 2026, and the designer says each in Chinese', () => {
    const text = readFileSync('tests/fixtures/double11-2026/double11-campaign.flow.yaml', 'utf8');
    const found = problems(text);
    expect(found.every((p) => p.severity === 'warning')).toBe(true);
    expect(found.map((p) => p.nodeId)).toContain('start');
    expect(found.filter((p) => p.path.endsWith('untilDate'))).toHaveLength(8);
    for (const p of found) expect(problemWords('zh', p)).toMatch(/已经过去/);
  });
});
