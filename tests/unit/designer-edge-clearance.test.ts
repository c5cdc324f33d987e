import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { clearEdgePaths, edgesThroughCards } from '../../designer/src/model/edge-clearance.js';
import { crossings, layeredLayout } from '../../designer/src/model/elk-layout.js';
import { NODE_HEIGHT } from '../../designer/src/model/layout.js';
import type { DraftFlow } from '../../designer/src/model/types.js';
import { listFlowIds } from '../../server/src/runtime/flow-files.js';

/** Walkthrough nine's A/B win-back: SMS / email / 对照组 (straight to the end). */
const ab: DraftFlow = {
  id: 'win-back',
  name: '沉睡唤醒 A/B',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'sleeping', every: 'day' }, next: 'split' },
    { id: 'split', type: 'split', arms: [{ id: 'a', label: '短信送券', weight: 45, next: 'sms' }, { id: 'b', label: '邮件', weight: 45, next: 'mail' }, { id: 'holdout', label: '对照组', weight: 10, holdout: true, next: 'end' }] },
    { id: 'sms', type: 'send', channel: 'sms', next: 'end' },
    { id: 'mail', type: 'send', channel: 'email', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
};
const worked = () => listFlowIds('rules').map((id) => parse(readFileSync(join('rules', 'flows', `${id}.flow.yaml`), 'utf8')) as DraftFlow);

describe('auto layout draws no edge through a card', () => {
  it("finds the 对照组 line through the email card where ELK left it, and moves the card out of the line's way", () => {
    // ELK's placement (measured): the email card right under the split, the end under it.
    const elk = { start: { x: 272, y: 12 }, split: { x: 259, y: 180 }, sms: { x: 12, y: 348 }, mail: { x: 272, y: 348 }, end: { x: 272, y: 516 } };
    expect(edgesThroughCards(ab, elk)).toEqual([{ edge: 'split:arm-holdout', card: 'mail' }]);
    const cleared = clearEdgePaths(ab, elk);
    expect(edgesThroughCards(ab, cleared, undefined, 4)).toEqual([]);
    // The row keeps its order and spacing: SMS still left of the email card, with the same gap.
    expect(cleared.mail.x - cleared.sms.x).toBe(elk.mail.x - elk.sms.x);
    expect(cleared.end).toEqual(elk.end);
  });

  it('lays the A/B journey and every worked flow out with no edge through a card, no more crossings, no overlapping cards', async () => {
    expect(edgesThroughCards(ab, await layeredLayout(ab))).toEqual([]);
    for (const flow of worked()) {
      const p = await layeredLayout(flow);
      expect([flow.id, edgesThroughCards(flow, p)]).toEqual([flow.id, []]);
      expect(crossings(flow, p)).toBeLessThanOrEqual(flow.id === 'double11-campaign' ? 5 : 1);
      const ids = flow.nodes.map((n) => n.id);
      for (let i = 0; i < ids.length; i++)
        for (let j = i + 1; j < ids.length; j++) {
          const [a, b] = [p[ids[i]], p[ids[j]]];
          expect(Math.abs(a.y - b.y) < NODE_HEIGHT && Math.abs(a.x - b.x) < 220).toBe(false);
        }
    }
  });
});
