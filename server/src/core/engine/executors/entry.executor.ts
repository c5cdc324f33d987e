import type { NodeExecutor } from '../executor.js';

/** Enrollments start at the entry's successor; an entry reached by an edge just passes through. */
export const entryExecutor: NodeExecutor<'entry'> = {
  type: 'entry',
  async execute(node, batch) {
    return batch.map(() => ({ kind: 'goto', edge: 'next', next: node.next, outcome: 'entered' }));
  },
};
