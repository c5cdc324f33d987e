import { describe, expect, it } from '@jest/globals';
import { formatFlowReport, stillWaiting } from '../../server/src/cli/commands/simulate.js';

const report = {
  flowId: 'f',
  enrollments: { active: 5, completed: 1, exited: 0 },
  nodes: [
    { nodeId: 'bought', outcomes: {}, waiting: 5 },
    { nodeId: 'start', outcomes: { entered: 6 }, waiting: 0 },
    { nodeId: 'mail', outcomes: { sent: 6 }, waiting: 0 },
  ],
  sends: [],
};
const types = new Map([['start', 'entry'], ['mail', 'send'], ['bought', 'waitForEvent']]);

describe('simulate output', () => {
  it('lists the nodes in the flow\'s order, not alphabetically', () => {
    const rows = formatFlowReport(report as never, types).split('\n').slice(3).map((l) => l.split(' ')[0]);
    expect(rows).toEqual(['start', 'mail', 'bought']);
  });

  it('says why messages were held back in words, not policy codes', () => {
    const sends = [
      { channel: 'email', status: 'blocked', reason: 'no-consent:email', count: 450 },
      { channel: 'sms', status: 'sent', reason: null, count: 416 },
    ];
    const text = formatFlowReport({ ...report, sends } as never, types);
    expect(text).toContain('email         blocked       450  no marketing consent for email');
    expect(text).toMatch(/\nsms           sent          416$/);
    expect(text).not.toContain('no-consent:');
  });

  it('says when journeys are still waiting as the window ends', () => {
    expect(stillWaiting(report as never, 14).join('\n')).toContain('5 journeys were still waiting when the 14-day window ended (bought 5)');
    expect(stillWaiting({ ...report, nodes: [] } as never, 14)).toEqual([]);
  });
});
