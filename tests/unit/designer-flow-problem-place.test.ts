import { describe, expect, it } from '@jest/globals';
import { flowProblemPlace } from '../../designer/src/model/flow-problem-place.js';
import type { DraftFlow, Problem } from '../../designer/src/model/types.js';

const flow: DraftFlow = { id: 'd11', name: '双十一', nodes: [], caps: [{ id: 'cap-1', description: '双十一每人最多 3 次' }, { id: 'cap-2' }, {}], exitOn: [{}] };
const at = (path: string): Problem => ({ line: 0, nodeId: null, path, message: 'x', severity: 'error' });

/** Walk20: two caps without 最多次数 read 请填写「最多次数」 twice in the Problems panel, nothing said which. */
describe("where a problem of the journey's own settings is", () => {
  it('names a cap by its 说明, else its id, else its place; an 提前结束条件 by its place', () => {
    expect(flowProblemPlace('zh', flow, at('caps.0.max'))).toBe('触达上限「双十一每人最多 3 次」');
    expect(flowProblemPlace('zh', flow, at('caps.1.max'))).toBe('触达上限「cap-2」');
    expect(flowProblemPlace('zh', flow, at('caps.2'))).toBe('触达上限「第 3 条」');
    expect(flowProblemPlace('zh', flow, at('exitOn.0.event'))).toBe('提前结束条件第 1 条');
    expect(flowProblemPlace('en', flow, at('caps.1.id'))).toBe('Contact limits "cap-2"');
  });

  it('says nothing of other settings', () => {
    expect(flowProblemPlace('zh', flow, at('multiTouchShare'))).toBeNull();
    expect(flowProblemPlace('zh', flow, at('capsule.0'))).toBeNull();
    expect(flowProblemPlace('zh', flow, at(''))).toBeNull();
  });
});
