import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { moveTemplateDates, yearsToNextSeason } from '../../designer/src/model/template-dates.js';
import { checkDates } from '../../server/src/core/flow/date-checks.js';

type Flow = { campaign?: string; nodes: { id: string; trigger?: { startAt?: string }; untilDate?: string }[] };
// The 2026 campaign as shipped then (frozen): the template a marketer opened on 30 Nov 2026.
const double11 = () => parse(readFileSync('tests/fixtures/double11-2026/double11-campaign.flow.yaml', 'utf8')) as Flow;
const at = (iso: string) => Date.parse(iso);
const datesOf = (f: Flow) => f.nodes.flatMap((n) => [n.trigger?.startAt, n.untilDate].filter((d): d is string => !!d));

describe('a new journey from a template whose dates have gone by', () => {
  it('moves the Double 11 template made on 30 Nov 2026 to Double 11 2027: same wall times and spacing, campaign tag too, nothing past any more', () => {
    const now = at('2026-11-30T10:00:00+08:00');
    const before = double11();
    expect(checkDates(before, { now, timeZone: 'Asia/Shanghai' })).toHaveLength(9);
    const moved = moveTemplateDates(before, now);
    expect(moved.nodes.find((n) => n.id === 'start')?.trigger?.startAt).toBe('2027-10-27T09:00:00+08:00');
    expect(datesOf(moved)).toEqual(datesOf(before).map((d) => d.replace(/^2026/, '2027')));
    expect(moved.campaign).toBe('double11-2027');
    expect(checkDates(moved, { now, timeZone: 'Asia/Shanghai' })).toEqual([]);
    // The template itself is not changed.
    expect(before.campaign).toBe('double11-2026');
  });

  it('leaves a template whose dates are still ahead as it is', () => {
    const before = double11();
    expect(moveTemplateDates(before, at('2026-10-01T00:00:00+08:00'))).toBe(before);
  });

  it('moves as many years as it takes, and 29 Feb to 28 Feb in a year without it', () => {
    const flow = { campaign: 'leap-2024', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'x', startAt: '2024-02-29T09:00:00+08:00' } }] };
    const now = at('2026-01-15T00:00:00Z');
    expect(yearsToNextSeason(flow, now)).toBe(2);
    const moved = moveTemplateDates(flow, now);
    expect(moved.nodes[0].trigger.startAt).toBe('2026-02-28T09:00:00+08:00');
    expect(moved.campaign).toBe('leap-2026');
  });

  it('leaves a flow without dates alone (event and schedule templates)', () => {
    const flow = parse(readFileSync('rules/flows/payment-reminder.flow.yaml', 'utf8')) as Flow;
    expect(moveTemplateDates(flow, at('2030-01-01T00:00:00Z'))).toBe(flow);
  });
});
