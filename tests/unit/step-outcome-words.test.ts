import { describe, expect, it } from '@jest/globals';
import { formatFlowReport } from '../../server/src/cli/commands/simulate.js';
import { outcomeWords, sendStatusWords } from '../../server/src/core/flow/outcome-words.js';

/**
 * Text output (`simulate`'s node table, `explain`'s journey lines) says step outcomes in words,
 * held-back reasons as the policy says them; JSON and CSV keep the logged codes.
 */
describe('step outcomes in words', () => {
  it('says held-back, ended, case, arm and group outcomes in words', () => {
    expect(outcomeWords('blocked:no-consent:email')).toBe('held back (no marketing consent for email)');
    expect(outcomeWords('skipped:capped:d11-sms')).toBe('skipped (frequency cap "d11-sms" was full)');
    expect(outcomeWords('exited:exit:done')).toBe('left (exit done)');
    expect(outcomeWords('completed:order_paid')).toBe('goal reached (order paid)');
    expect(outcomeWords('case:A2 每年双十一都买')).toBe('case "A2 每年双十一都买"');
    expect(outcomeWords('arm:holdout')).toBe('arm holdout');
    expect(outcomeWords('queued')).toBe('queued');
    expect(outcomeWords('yes')).toBe('yes');
  });

  it("says a message's status in words in explain's message lines (held back, not the code blocked (no-consent:sms))", () => {
    expect(sendStatusWords('blocked', 'no-consent:sms')).toBe('held back (no marketing consent for sms)');
    expect(sendStatusWords('blocked', 'capped:d11-touches')).toBe('held back (frequency cap "d11-touches" was full)');
    expect(sendStatusWords('queued', 'quiet-hours:sms')).toBe('queued (quiet hours for sms: waits for the next allowed moment)');
    expect(sendStatusWords('sent', null)).toBe('sent');
    expect(sendStatusWords('skipped', null)).toBe('skipped');
    // Held back by the coupon rules: in words too (simulate's pre-sleep table said "held back (no-coupon)").
    expect(sendStatusWords('blocked', 'no-coupon')).toBe('held back (the message names a coupon this journey never gave the customer)');
    expect(outcomeWords('blocked:coupon-used')).toBe("held back (the customer already used this journey's coupon; no second one)");
  });

  it('names a group with the switch case that led to it when the flow is given', () => {
    const flow = { nodes: [{ id: 'who', type: 'switch', cases: [{ label: 'D2 深度沉睡', next: 'cap-deep' }] }, { id: 'cap-deep', type: 'limit' }] };
    expect(outcomeWords('group:cap-deep-1', flow)).toBe('group cap-deep-1 (D2 深度沉睡)');
    expect(outcomeWords('group:cap-deep-1')).toBe('group cap-deep-1');
  });

  it("prints no outcome codes in simulate's node table", () => {
    const report = {
      flowId: 'f',
      enrollments: { active: 0, completed: 1, exited: 1 },
      nodes: [
        { nodeId: 'mail', outcomes: { 'blocked:no-consent:email': 74, queued: 17 }, waiting: 0 },
        { nodeId: 'end', outcomes: { 'exited:exit:end': 1 }, waiting: 0 },
      ],
      sends: [],
    };
    const text = formatFlowReport(report as never, new Map([['mail', 'send'], ['end', 'exit']]));
    expect(text).toContain('held back (no marketing consent for email) 74, queued 17');
    expect(text).toContain('left (exit end) 1');
    expect(text).not.toMatch(/blocked:|exited:/);
  });

  it("names a split's arms as the designer and `rekindle report` do (arm a (邮件抢先看)), not by id alone", () => {
    const report = { flowId: 'f', enrollments: { active: 0, completed: 0, exited: 0 }, nodes: [{ nodeId: 'ab', outcomes: { 'arm:a': 27, 'arm:holdout': 4 }, waiting: 0 }], sends: [] };
    const flow = { nodes: [{ id: 'ab', type: 'split', arms: [{ id: 'a', label: '邮件抢先看' }, { id: 'holdout' }] }] };
    const text = formatFlowReport(report as never, new Map([['ab', 'split']]), flow);
    expect(text).toContain('arm a (邮件抢先看) 27, arm holdout 4');
  });
});
