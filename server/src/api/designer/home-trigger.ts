import type { Trigger } from '../../core/flow/schema.js';

const entryTrigger = (flow: unknown): Trigger | null => {
  const nodes = (flow as { nodes?: unknown } | null | undefined)?.nodes;
  if (!Array.isArray(nodes)) return null;
  const entry = nodes.find((n) => (n as { type?: unknown } | null)?.type === 'entry') as { trigger?: Trigger } | undefined;
  return entry?.trigger ?? null;
};

/**
 * The journeys home's 进入方式 of a flow: how customers enter the journey the row's status and
 * numbers are about. A published flow's row (运行中 / 已暂停 v1, its entries and sends) says its
 * published entry, even while a draft changes it (the row's 有未发布的修改 says there is one): a
 * half-drawn draft without an entry made a running payment reminder read "（未设置入口）" and its
 * 下次运行 "—". A flow never published says its draft's (or its file's).
 */
export function homeTrigger(published: unknown, shown: unknown): Trigger | null {
  return published ? entryTrigger(published) : entryTrigger(shown);
}
