/**
 * An analyst comparing a campaign's groups (Double 11: one limit node a group) read converted and
 * entered counts and had to divide them: the text funnel now gives conv. = converted / entered as
 * a percentage on each node ('–' where nobody entered), and says what it is.
 */
import { describe, expect, it } from '@jest/globals';
import { humanFunnel } from '../../server/src/cli/commands/report.js';
import type { FunnelNode } from '../../server/src/persistence/flow-report.js';

const node = (nodeId: string, entered: number, converted: number): FunnelNode => ({ nodeId, type: 'limit', entered, waiting: 0, sent: 0, queued: 0, blocked: {}, failed: 0, failedErrors: {}, responded: 0, clicked: 0, redeemed: 0, redeemedAfterEnd: 0, messageCost: 0, couponCost: 0, converted, exited: 0 });

describe('text funnel conversion rate', () => {
  it('gives each node converted / entered in %, and explains the column', () => {
    const text = humanFunnel({ flowId: 'd11', nodes: [node('cap-every-year', 548, 42), node('cap-lost', 6303, 70), node('unused', 0, 0)] }, 1);
    const rows = text.split('\n');
    expect(rows[2]).toMatch(/ converted +conv\. +exited$/);
    expect(rows.find((r) => r.startsWith('cap-every-year'))).toMatch(/ 42 +7\.66% +0$/);
    expect(rows.find((r) => r.startsWith('cap-lost'))).toMatch(/ 70 +1\.11% +0$/);
    expect(rows.find((r) => r.startsWith('unused'))).toMatch(/ 0 +– +0$/);
    expect(text).toContain('conv. = converted / entered');
  });
});
