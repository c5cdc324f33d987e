import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { TEMPLATES } from '../../designer/src/model/templates.js';

type Node = { type: string; experiment?: unknown; arms?: { holdout?: boolean }[] };
const flowOf = (id: string) => parse(readFileSync(`rules/flows/${id}.flow.yaml`, 'utf8')) as { nodes: Node[]; exitOn?: { event: string; goal?: boolean }[] };

describe('the template gallery promises only what its flows do', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s: an A/B test or holdout in its words is a split in its flow', (id, t) => {
    const words = [t.pitch.zh, t.pitch.en, ...t.steps.zh, ...t.steps.en].join('\n');
    const splits = flowOf(id).nodes.filter((n) => n.type === 'split');
    if (/A\/B|实验|experiment/i.test(words)) expect(splits.some((n) => n.experiment)).toBe(true);
    if (/对照|holdout/i.test(words)) expect(splits.some((n) => n.arms?.some((a) => a.holdout))).toBe(true);
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s: "付款即算转化" in its words means a payment ends its journey as a goal', (id, t) => {
    const words = [t.pitch.zh, t.pitch.en, ...t.steps.zh, ...t.steps.en].join('\n');
    if (!/付款即算转化|counts as a conversion/i.test(words)) return;
    // exitOn `goal` defaults to true in the schema.
    expect((flowOf(id).exitOn ?? []).some((x) => x.event === 'order_paid' && x.goal !== false)).toBe(true);
  });
});
