import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { crossings, layeredLayout } from '../../designer/src/model/elk-layout.js';
import { handleSlots, labelWidth } from '../../designer/src/model/handle-layout.js';
import { autoLayout, NODE_HEIGHT } from '../../designer/src/model/layout.js';
import { listFlowIds } from '../../server/src/runtime/flow-files.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

const worked = () => listFlowIds('rules').map((id) => parse(readFileSync(join('rules', 'flows', `${id}.flow.yaml`), 'utf8')) as DraftFlow);

describe('designer canvas layout', () => {
  it('gives every branch label its own slot and widens the card when the labels need it', () => {
    const eight = ['深度沉睡', '浅度沉睡', '近期高价值', '只买过一次', '每年都买', '从未参加', '未付款', '其他'];
    const s = handleSlots(eight, 220);
    expect(s.width).toBeGreaterThan(220);
    for (let i = 1; i < eight.length; i++) expect(s.centers[i] - s.widths[i] / 2).toBeGreaterThanOrEqual(s.centers[i - 1] + s.widths[i - 1] / 2);
    expect(s.centers[0] - s.widths[0] / 2).toBeGreaterThanOrEqual(0);
    expect(s.centers[7] + s.widths[7] / 2).toBeLessThanOrEqual(s.width);
    expect(handleSlots(['是', '否'], 220).width).toBe(220);
    expect(labelWidth('已响应')).toBeGreaterThan(labelWidth('yes'));
  });

  it('lays every worked flow out in layers: no crossings but on double11, far fewer than dagre, no overlapping cards', async () => {
    for (const flow of worked()) {
      const elk = await layeredLayout(flow);
      const dagre = autoLayout(flow);
      // Measured: double11 5 (dagre 28) since its eight article groups, in the article's order, fan
      // into four shared treatments (at least 3 crossings are unavoidable); the others 0 (dagre up to 9).
      const bound = flow.id === 'double11-campaign' ? 5 : 1;
      expect(crossings(flow, elk)).toBeLessThanOrEqual(Math.min(bound, crossings(flow, dagre)));
      const entry = flow.nodes.find((n) => n.type === 'entry')!;
      for (const n of flow.nodes) if (n.id !== entry.id) expect(elk[n.id].y).toBeGreaterThan(elk[entry.id].y);
      // no two cards overlap
      const boxes = flow.nodes.map((n) => ({ id: n.id, x: elk[n.id].x, y: elk[n.id].y }));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          expect(a.y === b.y && Math.abs(a.x - b.x) < 200 && Math.abs(a.y - b.y) < NODE_HEIGHT).toBe(false);
        }
    }
  });
});
