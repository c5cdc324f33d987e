import { describe, expect, it } from '@jest/globals';
import { hiddenFieldProblems, hiddenProblemsMarker } from '../../designer/src/model/node-fields.js';
import { nodeSummary } from '../../designer/src/model/summary.js';
import type { Problem } from '../../designer/src/model/types.js';

const problem = (nodeId: string, path: string, message: string, severity: Problem['severity'] = 'error'): Problem => ({ nodeId, path, message, severity, line: 0 }) as Problem;

describe('problems in fields a step form does not show', () => {
  it("finds an SMS's subject problem (the form hides the subject of anything but an email) and says it on the card in Chinese", () => {
    const sms = { id: 'sms', type: 'send' as const, channel: 'sms', template: 'hi', subject: '{{customer.nmae}}' };
    const hidden = hiddenFieldProblems('zh', sms, [problem('sms', 'nodes.1.subject', '{{customer.nmae}} is not a message variable (customers would get an empty text in its place): did you mean {{customer.name}}?'), problem('sms', 'nodes.1.template', 'x'), problem('other', 'nodes.2.subject', 'y')]);
    expect(hidden.map((h) => [h.field, h.label, h.problems.length])).toEqual([['subject', '邮件标题', 1]]);
    expect(hidden[0].why).toBe('只有邮件有标题，这一步不是邮件，标题不会发出去');
    expect(hiddenProblemsMarker('zh', hidden)).toBe('表单里看不到的「邮件标题」有 1 个问题');
    // The card says the message the SMS sends, not the subject it never sends.
    expect(nodeSummary('zh', sms)).toBe('短信：hi');
    expect(nodeSummary('zh', { ...sms, channel: 'email' })).toBe('邮件：〈customer.nmae〉');
  });

  it("leaves an email's subject and a keep-mode limit's 超出上限 to the form (they are shown there), and marks a split limit's", () => {
    expect(hiddenFieldProblems('zh', { id: 'm', type: 'send', channel: 'email', subject: '{{x}}' }, [problem('m', 'nodes.1.subject', 'bad')])).toEqual([]);
    const over = problem('cap', 'nodes.2.overflow', 'points to a missing step');
    expect(hiddenFieldProblems('zh', { id: 'cap', type: 'limit', max: 5, mode: 'keep', overflow: 'gone' }, [over])).toEqual([]);
    const split = hiddenFieldProblems('zh', { id: 'cap', type: 'limit', max: 5, mode: 'split', overflow: 'gone' }, [over]);
    expect(split.map((h) => h.label)).toEqual(['超出上限']);
    expect(hiddenProblemsMarker('zh', [])).toBeNull();
  });
});
