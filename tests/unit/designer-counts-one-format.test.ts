import { describe, expect, it } from '@jest/globals';
import { edgeLabels } from '../../designer/src/model/edge-labels.js';
import { simulationWords } from '../../designer/src/model/sim-summary.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/**
 * Walkthrough (26-sim-result, 44-d11-sim): the entry step said 现在约 4,901 位顾客 while the
 * simulation summary and the canvas said 4936 and 2269 — two ways of writing a count on one
 * screen. Every count the marketer reads is written as format.ts formatCount writes it.
 */
describe('counts shown to the marketer are written one way', () => {
  const r = {
    days: 7,
    summary: {},
    report: {
      enrollments: { active: 28, completed: 0, exited: 4908 },
      nodes: [],
      sends: [
        { channel: 'email', status: 'sent', reason: null, count: 3953 },
        { channel: 'email', status: 'skipped', reason: 'no-consent:email', count: 3891 },
      ],
    },
    funnel: null,
    delivery: { delivered: 3796, undelivered: 157, responses: 1154, redeemed: 73, orders: 1090, revenue: 25414.08 },
  };

  it('in the simulation summary: entered, sent, delivered, held back, responses, orders', () => {
    const lines = simulationWords('zh', r);
    expect(lines).toContain('模拟最近 7 天：4,936 位顾客进入旅程');
    expect(lines).toContain('3,953 条消息会发出（模拟渠道送达 3,796 条，未送达 157 条）');
    expect(lines).toContain('3,891 条未发出：没有邮件营销许可');
    expect(lines).toContain('模拟顾客的反应：1,154 次点击，73 张券被使用');
    expect(lines).toContain('模拟下单：1,090 笔付款订单，金额 ¥25,414.08');
    expect(simulationWords('en', r)[0]).toBe('Simulated the last 7 days: 4,936 customers entered');
  });

  it('on the canvas: the counts on the edges', () => {
    const split: DraftFlow = { id: 'f', name: 'F', nodes: [{ id: 'ab', type: 'split', arms: [{ id: 'a', label: '方案 A', next: 'x' }, { id: 'b', label: '方案 B', next: 'y' }] }, { id: 'start', type: 'entry', next: 'ab' }] };
    const labels = edgeLabels(split, [{ nodeId: 'ab', outcomes: { 'arm:a': 2269, 'arm:b': 2164 }, waiting: 0 }, { nodeId: 'start', outcomes: { next: 4936 }, waiting: 0 }], (k) => k, new Set(), 'zh');
    expect(labels['start:next']).toBe('4,936');
    expect(Object.values(labels).filter((l) => l.includes('2,269 (51%)'))).toHaveLength(1);
  });
});
