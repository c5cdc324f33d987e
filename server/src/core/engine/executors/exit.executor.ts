import type { NodeExecutor } from '../executor.js';

export const exitExecutor: NodeExecutor<'exit'> = {
  type: 'exit',
  async execute(node, batch) {
    return batch.map(() => ({ kind: 'exit', reason: node.goal ? `goal:${node.id}` : `exit:${node.id}`, goal: node.goal }));
  },
};
