import { describe, expect, it } from '@jest/globals';
import { liveProblemWords } from '../../designer/src/model/live-problem-words.js';

/** The journeys home's line under a live journey whose running version names a segment rules/ no longer has. */
describe('liveProblemWords', () => {
  const p = { nodeId: 'start', path: 'nodes.0.trigger.segment', message: 'unknown rule "quiet-buyers" (no rules/segments/quiet-buyers.yaml; known: quiet-tea-buyers): did you mean "quiet-tea-buyers"?' };
  it('says it in the editor words, with the step, and what to do', () => {
    expect(liveProblemWords('zh', 1, p)).toBe('正在运行的版本 v1 用到的内容已不在 rules/ 里：人群规则「quiet-buyers」不存在：请从列表中选一个现有的人群规则（步骤 start）。请放回该文件，或发布一个不再用到它的版本');
  });
  it('says a message without Chinese words as the server does, and in English', () => {
    expect(liveProblemWords('zh', 3, { ...p, message: 'something new' })).toContain('：something new（步骤 start）');
    expect(liveProblemWords('en', 1, p)).toMatch(/^The running version v1 names what rules\/ no longer has: unknown rule "quiet-buyers" .* \(step start\)\. Put the file back/);
  });
});
