import { describe, expect, it } from '@jest/globals';
import { newNode } from '../../designer/src/model/palette.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { propertyWords } from '../../designer/src/model/journey-key-words.js';
import { reentryWords } from '../../designer/src/model/reentry-words.js';
import { publishPreview } from '../../designer/src/model/publish-preview.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** The editor speaks a marketer's Chinese: no English defaults, no raw ids or property names. */
describe('editor words', () => {
  it('gives a new A/B split Chinese arm labels: 方案 A, 方案 B, 对照组', () => {
    const split = newNode({ id: 'f', name: 'f', nodes: [] }, 'split');
    expect((split.arms as { label: string }[]).map((a) => a.label)).toEqual(['方案 A', '方案 B', '对照组']);
  });

  it('names an unconnected arm by its label, and by its id only when it has none', () => {
    const split = newNode({ id: 'f', name: 'f', nodes: [] }, 'split');
    const flow: DraftFlow = { id: 'f', name: 'f', nodes: [split] };
    const p = (handle: string) => ({ line: 0, nodeId: split.id, path: `nodes.0.${handle}`, message: `branch "${handle}" is not connected to any node`, severity: 'error' as const });
    expect(problemWords('zh', p('arm-holdout'), flow)).toBe('「对照组」还没有连到下一步');
    expect(problemWords('zh', p('arm-a'), flow)).toBe('「方案 A」还没有连到下一步');
    expect(problemWords('zh', p('arm-a'))).toBe('「分组 a」还没有连到下一步');
  });

  it('says a journey keyed by orderId in words: 按订单号区分旅程, each order once', () => {
    expect(reentryWords('zh', { type: 'event', key: 'orderId' }, { policy: 'never' })).toBe('按订单号区分旅程：同一位顾客的每笔订单各走一遍，同一笔订单不会再走第二遍');
    expect(propertyWords('zh', 'orderId')).toBe('订单号');
    expect(reentryWords('zh', { type: 'event', key: 'ticketNo' }, undefined)).toBe('按事件属性「ticketNo」区分旅程：同一位顾客的每个不同的「ticketNo」各走一遍，同一个「ticketNo」不会再走第二遍');
    const flow: DraftFlow = { id: 'p', name: '催付', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' } }] };
    const preview = publishPreview('zh', { flow, liveVersion: null, changes: null, problems: [], figures: { at: 0, audience: null, inFlight: 0, caps: [], quietHours: {} } });
    expect(preview.entry.join('\n')).not.toContain('orderId');
  });
});
