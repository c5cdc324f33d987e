import { describe, expect, it } from '@jest/globals';
import { newFlowProblem } from '../../designer/src/model/flow-id.js';

/** 创建 asks for a name instead of making "journey-20261130" out of nothing. */
describe('a new journey', () => {
  it('needs a name before it is created; then the id is checked as before', () => {
    const taken = new Set(['payment-reminder']);
    expect(newFlowProblem('', 'journey-20261130', taken)).toBe('new.nameEmpty');
    expect(newFlowProblem('   ', 'journey-20261130', taken)).toBe('new.nameEmpty');
    expect(newFlowProblem('催付', 'journey-20261130', taken)).toBeNull();
    expect(newFlowProblem('催付', 'payment-reminder', taken)).toBe('id.taken');
  });
});
