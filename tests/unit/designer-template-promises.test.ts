import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { TEMPLATES } from '../../designer/src/model/templates.js';

type Node = { type: string; experiment?: unknown; arms?: { holdout?: boolean }[] };
const flowOf = (id: string) => parse(readFileSync(`rules/flows/${id}.flow.yaml`, 'utf8')) as { nodes: Node[] };

describe('the template gallery promises only what its flows do', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s: an A/B test or holdout in its words is a split in its flow', (id, t) => {
    const words = [t.pitch.zh, t.pitch.en, ...t.steps.zh, ...t.steps.en].join('\n');
    const splits = flowOf(id).nodes.filter((n) => n.type === 'split');
    if (/A\/B|实验|experiment/i.test(words)) expect(splits.some((n) => n.experiment)).toBe(true);
    if (/对照|holdout/i.test(words)) expect(splits.some((n) => n.arms?.some((a) => a.holdout))).toBe(true);
  });
});
