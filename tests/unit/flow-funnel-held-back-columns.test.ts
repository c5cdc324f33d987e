/**
 * The funnel's held-back reasons are keyed `<status>:<reason>` (blocked:no-consent:email): the CSV
 * column is that key, the documented `blocked:<reason>`, never `blocked:blocked:…`, and the text
 * line that already says "blocked at <node>" gives the reason alone, in words.
 */
import { describe, expect, it } from '@jest/globals';
import { humanFunnel } from '../../server/src/cli/commands/report.js';
import { funnelCsv, type FunnelNode } from '../../server/src/persistence/flow-report.js';

const node = (nodeId: string, blocked: Record<string, number>): FunnelNode => ({ nodeId, type: 'send', entered: 100, waiting: 0, sent: 100 - Object.values(blocked).reduce((a, b) => a + b, 0), queued: 0, blocked, failed: 0, failedErrors: {}, responded: 0, clicked: 0, redeemed: 0, redeemedAfterEnd: 0, messageCost: 0, couponCost: 0, converted: 0, exited: 0 });
const funnel = { flowId: 'launch', nodes: [node('preview-email', { 'blocked:no-consent:email': 59, 'skipped:expired': 2 }), node('sms', { 'blocked:capped:sms-november': 3 })] };

describe('funnel held-back reasons', () => {
  it('names each CSV column blocked:<reason> once, as documented', () => {
    const head = funnelCsv(funnel).split('\n')[0].split(',');
    expect(head.filter((c) => c.includes(':'))).toEqual(['blocked:capped:sms-november', 'blocked:no-consent:email', 'skipped:expired']);
    expect(head.join(',')).not.toMatch(/blocked:blocked:/);
  });

  it('says each held-back reason once, in words with its count, in the text view (no policy codes)', () => {
    const text = humanFunnel(funnel, 1);
    expect(text).toMatch(/\nblocked at preview-email: no marketing consent for email \(59\); skipped, expired \(2\)\n/);
    expect(text).toMatch(/\nblocked at sms: frequency cap "sms-november" was full \(3\)$/);
    expect(text).not.toMatch(/blocked:blocked|: blocked:|no-consent:|capped:/);
  });
});
