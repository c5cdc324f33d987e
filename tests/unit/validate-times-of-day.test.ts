import { describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { validateLines } from '../../server/src/cli/warning-groups.js';
import { locate } from '../../server/src/core/flow/flow-file.js';
import { formatProblem, type FlowProblem } from '../../server/src/core/flow/problems.js';
import { checkTimesOfDay } from '../../server/src/core/flow/time-of-day-checks.js';
import { readYaml } from '../../server/src/core/flow/yaml-location.js';
import type { QuietHours } from '../../server/src/core/policy/schema.js';
import { tempDir } from '../support/temp-dirs.js';

const FILE = 'rules/flows/t.flow.yaml';
const TZ = 'Asia/Shanghai';
const QUIET: Record<string, QuietHours> = { sms: { from: '21:00', to: '09:00', categories: ['marketing', 'care', 'transactional'] }, push: { from: '23:00', to: '08:00', categories: ['marketing'] } };

/** A flow: an entry, then the given steps in order, then an exit. */
const flow = (trigger: string, ...steps: string[]) => {
  const ids = steps.map((s) => /id: ([\w-]+)/.exec(s)![1]);
  const body = steps.map((s, i) => `  - ${s}\n    next: ${ids[i + 1] ?? 'done'}`).join('\n');
  return `id: t\nname: T\nnodes:\n  - id: start\n    type: entry\n    trigger: ${trigger}\n    next: ${ids[0]}\n${body}\n  - id: done\n    type: exit\n`;
};
const sms = (extra = '') => `id: sms\n    type: send\n    channel: sms\n    template: "hi"${extra}`;
const check = (text: string, quiet = QUIET): FlowProblem[] => {
  const source = readYaml(text);
  return locate(source, checkTimesOfDay(source.value, quiet, TZ));
};
const lines = (text: string, quiet = QUIET) => check(text, quiet).map((p) => formatProblem(FILE, p));

describe('validate: the times of day a flow sets (schedule at, untilTime, the clock of startAt / untilDate)', () => {
  it('warns, on the field that sets the time, that a send reached inside its quiet hours waits for them to end', () => {
    expect(lines(flow('{ type: schedule, segment: aud, at: "22:00" }', sms()))).toEqual([
      'rules/flows/t.flow.yaml:6 node start: warning: sms (sms) is reached at 22:00 by the daily schedule at 22:00 of start, inside the sms quiet hours 21:00–09:00 (rules/policy.yaml): every message waits until 09:00, 11 h later; move the time out of the quiet hours, or mark the send urgent: true if it must go at night',
    ]);
    // A wait until 21:30 through a condition and an action to the send: the same, on the wait's untilTime.
    const [p] = check(flow('{ type: event, event: order_created }', 'id: wait\n    type: wait\n    untilTime: "21:30"', 'id: tag\n    type: action\n    action: { kind: addTag, tag: x }', sms()));
    expect(p).toMatchObject({ nodeId: 'wait', path: 'nodes.1.untilTime', severity: 'warning', cause: 'quiet-hours' });
    // The clock time of an audience start counts too (22:30 Shanghai).
    expect(check(flow('{ type: audience, segment: aud, startAt: "2027-11-10T22:30:00+08:00" }', sms()))[0]).toMatchObject({ nodeId: 'start', path: 'nodes.0.trigger.startAt', message: expect.stringContaining('reached at 22:30 by startAt (22:30)') });
  });

  it('is an error when the send expires before the quiet hours end: it would always be skipped', () => {
    const [p, ...rest] = check(flow('{ type: schedule, segment: aud, at: "22:00" }', sms('\n    expiresAfter: 2h')));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ nodeId: 'start', severity: 'error', line: 6 });
    expect(p.message).toContain('it is held until 09:00, 11 h later, but expires after 2h, so it is always skipped');
  });

  it('says nothing of a time outside the quiet hours, an urgent send, a category they do not hold, a send after a wait, or a policy without quiet hours', () => {
    expect(check(flow('{ type: schedule, segment: aud, at: "10:00" }', sms()))).toEqual([]);
    expect(check(flow('{ type: schedule, segment: aud, at: "22:00" }', sms('\n    urgent: true')))).toEqual([]);
    expect(check(flow('{ type: schedule, segment: aud, at: "23:30" }', 'id: push\n    type: send\n    channel: push\n    category: care\n    template: "hi"'))).toEqual([]);
    expect(check(flow('{ type: schedule, segment: aud, at: "22:00" }', 'id: wait\n    type: wait\n    duration: 12h', sms()))).toEqual([]);
    expect(check(flow('{ type: schedule, segment: aud, at: "22:00" }', sms()), {})).toEqual([]);
  });

  it('warns that a wait until the very time customers arrive waits a whole day, and that an hourly schedule reads only the minute of at', () => {
    expect(lines(flow('{ type: schedule, segment: aud, at: "09:00" }', 'id: wait\n    type: wait\n    untilTime: "09:00"', sms()), {})).toEqual([
      'rules/flows/t.flow.yaml:10 node wait: warning: untilTime 09:00 is reached at 09:00 itself (the daily schedule at 09:00 of start): the wait is for the next 09:00, a whole day; drop the wait, or wait until another time',
    ]);
    expect(lines(flow('{ type: schedule, segment: aud, every: hour, at: "09:30" }', sms()))).toEqual([
      'rules/flows/t.flow.yaml:6 node start: warning: at 09:30 with every: hour: only the minute counts, so the schedule runs every hour at :30, not at 09:30; write at: "00:30", or every: day to run once a day at 09:30',
    ]);
    expect(check(flow('{ type: schedule, segment: aud, every: hour, at: "00:30" }', sms()))).toEqual([]);
  });

  it('rekindle validate reports them with file, line and node id against rules/policy.yaml, and says several warnings of a flow once', () => {
    const rules = tempDir('rekindle-times-');
    try {
      mkdirSync(join(rules, 'flows'));
      mkdirSync(join(rules, 'segments'));
      writeFileSync(join(rules, 'segments', 'aud.yaml'), 'name: aud\nconditions:\n  all:\n    - { fact: orderCount, operator: greaterThan, value: 0 }\n');
      writeFileSync(join(rules, 'policy.yaml'), 'quietHours:\n  sms: { from: "21:00", to: "09:00" }\n');
      const file = join(rules, 'flows', 't.flow.yaml');
      writeFileSync(file, flow('{ type: schedule, segment: aud, at: "22:00" }', sms(), 'id: wait\n    type: wait\n    untilTime: "23:00"', 'id: sms-2\n    type: send\n    channel: sms\n    template: "again"'));
      const problems = validateFiles([file], rules, { now: Date.parse('2027-01-01T00:00:00+08:00'), timeZone: TZ }).get(file)!.filter((p) => p.cause === 'quiet-hours');
      expect(problems.map((p) => [p.line, p.nodeId, p.severity])).toEqual([
        [6, 'start', 'warning'],
        [15, 'wait', 'warning'],
      ]);
      expect(validateLines([{ file: FILE, problems }], { channelsFile: 'rules/channels.yaml', now: '2027-01-01 00:00 +08:00' })).toEqual([
        "rules/flows/t.flow.yaml: warning: 2 times of t bring customers to a send inside its channel's quiet hours (rules/policy.yaml), so those messages wait until the quiet hours end: move the times out of the quiet hours, or mark a send urgent: true if it must go at night (--verbose names each send)",
        '  6 start, 15 wait',
        '(warnings of one cause are said once; --verbose lists each on its own line, --json lists each)',
      ]);
    } finally {
      rmSync(rules, { recursive: true, force: true });
    }
  });

  it('names a malformed time of day as such, not as a regular expression', () => {
    const text = flow('{ type: schedule, segment: aud, at: "25:00" }', 'id: wait\n    type: wait\n    untilTime: "9:00"', sms());
    const rules = tempDir('rekindle-times-');
    try {
      mkdirSync(join(rules, 'flows'));
      const file = join(rules, 'flows', 't.flow.yaml');
      writeFileSync(file, text);
      const msgs = validateFiles([file], rules, null).get(file)!.filter((p) => /^(trigger\.at|untilTime):/.test(p.message)).map((p) => [p.line, p.nodeId, p.message]);
      expect(msgs).toEqual([
        [6, 'start', 'trigger.at: a time of day HH:MM from 00:00 to 23:59 (shop time), e.g. 09:00 or 21:30'],
        [10, 'wait', 'untilTime: a time of day HH:MM from 00:00 to 23:59 (shop time), e.g. 09:00 or 21:30'],
      ]);
    } finally {
      rmSync(rules, { recursive: true, force: true });
    }
  });
});
