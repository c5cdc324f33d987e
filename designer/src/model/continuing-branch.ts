import { outputsOf } from './handles.js';
import type { DraftNode } from './types.js';

/**
 * The way out of a step inserted into a chain that what followed keeps: its only one (a wait, a
 * send), or a 条件判断's 是. A condition inserted between two steps used to leave both branches
 * empty, and the step after it was cut off from the entry (从入口走不到这一步): a marketer adding a
 * check means "go on as before when it holds", and 否 is the branch to draw. A step whose branches
 * are all alike (多路分支, A/B 分组) or mean opposite outcomes (等待响应) is left unconnected: which
 * one goes on would be a guess.
 */
export function continuingBranch(node: DraftNode): string | null {
  const outs = outputsOf(node);
  if (outs.length === 1) return outs[0].id;
  if (node.type === 'condition') return 'yes';
  return null;
}
