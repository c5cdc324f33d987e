import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEmailBeforeSms, smsBeforeEmail } from '../../server/src/core/channels/email-before-sms.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

/**
 * Leftover of the thirtieth wave: the domain's rule of thumb (DOMAIN.md, Double 11) is that email
 * goes 2–3 days before the matching SMS wave, to stagger channels, and nothing warned when a
 * journey sent its SMS first, or the email only hours before. The rule (core/channels/
 * email-before-sms.ts) warns on marketing sends only; validate-flow.ts runs it.
 */
const journey = (steps: string, entry = '{ type: schedule, segment: sleeping, every: day, at: "09:00" }') => `id: stagger
name: 错开渠道
nodes:
  - id: start
    type: entry
    trigger: ${entry}
    next: first
${steps}  - id: done
    type: exit
`;
const send = (id: string, channel: 'sms' | 'email', next: string, more = '') =>
  `  - id: ${id}\n    type: send\n    channel: ${channel}\n${channel === 'email' ? '    subject: 双十一预热\n' : ''}    template: 双十一预热开始 回T退订\n${more}    next: ${next}\n`;
const wait = (id: string, what: string, next: string) => `  - id: ${id}\n    type: wait\n    ${what}\n    next: ${next}\n`;
const check = (text: string) => validateFlowText(text, 'rules/flows/stagger.flow.yaml', ruleCatalogFromNames([])).problems.filter((p) => /^this marketing SMS/.test(p.message));
const nodesOf = (text: string) => (validateFlowText(text, 'x.flow.yaml', ruleCatalogFromNames([])).source?.value as { nodes: unknown[] }).nodes;

const smsFirst = journey(send('first', 'sms', 'gap') + wait('gap', 'duration: 3d', 'mail') + send('mail', 'email', 'done'));
const emailOneDayBefore = journey(send('first', 'email', 'gap') + wait('gap', 'duration: 1d', 'sms') + send('sms', 'sms', 'done'));

describe('a marketing SMS before its email (rekindle validate)', () => {
  it('warns on the SMS step, with its line, when the email of the same path comes after it', () => {
    const [p, ...more] = check(smsFirst);
    expect(more).toEqual([]);
    expect(p).toMatchObject({ line: 10, nodeId: 'first', severity: 'warning', path: 'nodes.1.channel' });
    expect(p.message).toBe('this marketing SMS goes out before the email "mail" that follows it on the same path, so a customer gets the SMS first: email goes 2–3 days before the matching SMS wave, to stagger channels; send "mail" first and this SMS 2–3 days after it');
  });

  it('warns when the waits between the email and the SMS add up to less than 2 days', () => {
    const [p, ...more] = check(emailOneDayBefore);
    expect(more).toEqual([]);
    expect(p).toMatchObject({ nodeId: 'sms', severity: 'warning', path: 'nodes.3.channel' });
    expect(p.message).toBe('this marketing SMS goes out at most 1d after the email "first" on the same path, less than 2 days: email goes 2–3 days before the matching SMS wave, to stagger channels; wait 2–3 days between "first" and this SMS');
    // Two waits of 1 day and an untilTime (up to a day more) may reach 2 days: not certain, not said.
    expect(check(journey(send('first', 'email', 'w1') + wait('w1', 'duration: 1d', 'w2') + wait('w2', 'untilTime: "10:00"', 'sms') + send('sms', 'sms', 'done')))).toEqual([]);
    expect(check(journey(send('first', 'email', 'sms') + send('sms', 'sms', 'done')))[0].message).toMatch(/^this marketing SMS goes out right after the email "first"/);
  });

  it('says nothing when the email goes 2–3 days before the SMS, by waits or by dates', () => {
    expect(check(journey(send('first', 'email', 'gap') + wait('gap', 'duration: 2d', 'sms') + send('sms', 'sms', 'done')))).toEqual([]);
    const audience = '{ type: audience, segment: d11-audience, startAt: 2027-10-27T09:00:00+08:00 }';
    const byDates = (smsDate: string) => journey(wait('first', 'untilDate: 2027-10-29T10:00:00+08:00', 'mail') + send('mail', 'email', 'w2') + wait('w2', `untilDate: ${smsDate}`, 'sms') + send('sms', 'sms', 'done'), audience);
    expect(check(byDates('2027-11-01T10:00:00+08:00'))).toEqual([]);
    expect(smsBeforeEmail(nodesOf(byDates('2027-10-30T10:00:00+08:00')))).toEqual([{ index: 4, nodeId: 'sms', email: 'mail', kind: 'soon', gapMs: 86_400_000 }]);
  });

  it('does not warn of transactional or care messages, nor of a payment reminder (SMS alone is how 催付 is done)', () => {
    expect(check(journey(send('first', 'sms', 'gap', '    category: transactional\n') + wait('gap', 'duration: 3d', 'mail') + send('mail', 'email', 'done')))).toEqual([]);
    expect(check(journey(send('first', 'sms', 'gap', '    category: care\n') + wait('gap', 'duration: 3d', 'mail') + send('mail', 'email', 'done')))).toEqual([]);
    expect(check(journey(send('first', 'sms', 'gap') + wait('gap', 'duration: 3d', 'mail') + send('mail', 'email', 'done', '    category: transactional\n')))).toEqual([]);
    // A reminder of the customer's own unpaid order, even left as marketing (send-kind-checks.ts warns of that).
    const reminder = journey(send('first', 'sms', 'gap') + wait('gap', 'duration: 1d', 'mail') + send('mail', 'email', 'done'), '{ type: event, event: order_created }');
    expect(check(reminder)).toEqual([]);
  });

  it('does not warn of an email that follows the SMS only for who did not answer it, nor of paths with one channel', () => {
    const followUp = journey(send('first', 'sms', 'answered') + '  - id: answered\n    type: waitForEvent\n    events: [order_paid]\n    within: 7d\n    responded: done\n    timedOut: mail\n' + send('mail', 'email', 'done'));
    expect(check(followUp)).toEqual([]);
    const abTest = journey('  - id: first\n    type: split\n    arms:\n      - { id: a, weight: 50, next: mail }\n      - { id: b, weight: 50, next: sms }\n' + send('mail', 'email', 'done') + send('sms', 'sms', 'done'));
    expect(check(abTest)).toEqual([]);
  });

  it('warns once a step, however many paths reach it', () => {
    const twoWays = journey('  - id: first\n    type: split\n    arms:\n      - { id: a, weight: 50, next: sms }\n      - { id: b, weight: 50, next: sms }\n' + send('sms', 'sms', 'gap') + wait('gap', 'duration: 3d', 'mail') + send('mail', 'email', 'done'));
    expect(checkEmailBeforeSms(nodesOf(twoWays))).toHaveLength(1);
  });

  it('has Chinese words in the Problems panel naming the email step', () => {
    expect(serverProblemWords(check(smsFirst)[0])).toBe('这条营销短信比同一条路径上后面的邮件「mail」先发出，顾客先收到短信：经验做法是邮件比对应的短信早 2–3 天发，错开渠道。请先发「mail」，2–3 天后再发这条短信');
    expect(serverProblemWords(check(emailOneDayBefore)[0])).toBe('这条营销短信离同一条路径上前面的邮件「first」不到 2 天：经验做法是邮件比对应的短信早 2–3 天发，错开渠道。请在「first」和这条短信之间等 2–3 天');
  });

  it('is said of none of the shipped flows (Double 11 mails 3 days before each SMS wave; sleeping-reactivation mails only who did not answer its SMS)', () => {
    const dir = 'rules/flows';
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.flow.yaml'))) expect([f, smsBeforeEmail(nodesOf(readFileSync(join(dir, f), 'utf8')))]).toEqual([f, []]);
  });
});
