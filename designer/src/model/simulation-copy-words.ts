import { formatDate } from './format.js';
import type { Lang } from './i18n.js';

/**
 * GET /api/shop's `simulationCopy`: the simulations the server's database holds when it is a
 * simulation's copy of the shop (`rekindle simulate --copy-of`); null on the live shop.
 */
export interface SimulationCopy {
  runs: { flowId: string; from: number; to: number }[];
}

/**
 * The banner over every view of a server opened on a simulation's copy: the figures are the
 * simulation's, and the server sends nothing and moves no journey (server/src/runtime/simulation-copy-hold.ts),
 * so a marketer does not wait for messages or publish there expecting customers to get them (a
 * publish, pause or stop is refused there: api/simulation-copy/nothing-runs-on-a-copy.ts). The
 * server says the same in one line as it starts. Null on the live shop.
 */
export function simulationCopyWords(lang: Lang, copy: SimulationCopy | null | undefined, timeZone?: string): string | null {
  if (!copy || copy.runs.length === 0) return null;
  const sep = lang === 'zh' ? '，' : ', ';
  const runs = copy.runs.map((r) => `${r.flowId}${sep}${formatDate(lang, r.from, timeZone)} – ${formatDate(lang, r.to, timeZone)}`).join(lang === 'zh' ? '；' : '; ');
  if (lang === 'zh') return `这是模拟副本（${runs}）：不会发送任何消息，旅程不会继续，也不能发布、暂停或停止旅程（草稿可以照常编辑）。这里的数字是模拟的结果，不是店铺的实时数据。`;
  return `This is a simulation's copy (${runs}): no message is sent, no journey moves on, and journeys are not published, paused or stopped here (drafts can be edited as usual). The figures here are the simulation's, not the shop's live data.`;
}
