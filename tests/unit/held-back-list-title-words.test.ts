import { describe, expect, it } from '@jest/globals';
import { humanFunnel } from '../../server/src/cli/commands/report.js';
import { formatFlowReport } from '../../server/src/cli/commands/simulate.js';
import { outcomeWords, sendStatusWords } from '../../server/src/core/flow/outcome-words.js';
import { explainReason } from '../../server/src/core/policy/explain-reason.js';
import { heldBackWords } from '../../server/src/persistence/flow-report.js';

/**
 * The CLI's text (`report --funnel`, `explain`, `simulate`) said a send held back by a block list by
 * the list's file id (on block list "bad-reviews"). Given the titles (read once per command), a
 * titled list is said by its title, its id beside it (what the CLI's commands take); an untitled list
 * and a block rule as before. JSON and CSV keep the codes.
 */
describe('a block list by its title in the CLI\'s words for a held-back send', () => {
  const titles = { 'bad-reviews': '差评顾客', 'phone-reminded': null };

  it('says a titled list by its title with its id, an untitled one and a rule by their names', () => {
    expect(explainReason('blocked:list:bad-reviews', titles)).toBe('on block list "差评顾客" (bad-reviews)');
    expect(explainReason('blocked:list:phone-reminded', titles)).toBe('on block list "phone-reminded"');
    expect(explainReason('blocked:rule:bad-reviews', titles)).toBe('on block rule "bad-reviews"');
    expect(explainReason('blocked:list:bad-reviews')).toBe('on block list "bad-reviews"');
    expect(explainReason('fallback:blocked:list:bad-reviews', titles)).toBe('sent on the fallback channel because: on block list "差评顾客" (bad-reviews)');
  });

  it('in the funnel\'s held-back lines, simulate\'s tables and explain\'s lines', () => {
    expect(heldBackWords('blocked:blocked:list:bad-reviews', titles)).toBe('on block list "差评顾客" (bad-reviews)');
    expect(outcomeWords('blocked:blocked:list:bad-reviews', undefined, titles)).toBe('held back (on block list "差评顾客" (bad-reviews))');
    expect(sendStatusWords('blocked', 'blocked:list:bad-reviews', titles)).toBe('held back (on block list "差评顾客" (bad-reviews))');
    const node = { nodeId: 'sms', type: 'send', entered: 2, waiting: 0, sent: 0, blocked: { 'blocked:blocked:list:bad-reviews': 2 }, failed: 0, failedErrors: {}, responded: 0, clicked: 0, redeemed: 0, redeemedAfterEnd: 0, converted: 0, exited: 0, messageCost: 0, queued: 0, couponCost: 0 };
    expect(humanFunnel({ flowId: 'winback', nodes: [node] }, 1, {}, titles)).toContain('blocked at sms: on block list "差评顾客" (bad-reviews) (2)');
    const run = { flowId: 'winback', enrollments: { active: 0, completed: 0, exited: 2 }, nodes: [{ nodeId: 'sms', outcomes: { 'blocked:blocked:list:bad-reviews': 2 }, waiting: 0 }], sends: [{ channel: 'sms', status: 'blocked', reason: 'blocked:list:bad-reviews', count: 2 }] } as unknown as Parameters<typeof formatFlowReport>[0];
    const text = formatFlowReport(run, new Map([['sms', 'send']]), undefined, titles);
    expect(text).toContain('held back (on block list "差评顾客" (bad-reviews)) 2');
    expect(text).toMatch(/blocked\s+2\s+on block list "差评顾客" \(bad-reviews\)$/m);
  });
});
