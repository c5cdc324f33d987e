import type { NodeExecutor } from '../executor.js';
import type { StepResult } from '../model.js';

export const exitExecutor: NodeExecutor<'exit'> = {
  type: 'exit',
  async execute(node, batch) {
    // One answer for the whole batch: the stepper only reads it.
    const result: StepResult = { kind: 'exit', reason: node.goal ? `goal:${node.id}` : `exit:${node.id}`, goal: node.goal };
    return batch.map(() => result);
  },
};
