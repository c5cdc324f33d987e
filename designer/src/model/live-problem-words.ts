import type { Lang } from './i18n.js';
import { serverProblemWords } from './server-problem-words.js';

/** One problem of a live version (GET /api/home liveProblems; server: runtime/live-version-problems.ts). */
export interface LiveProblem {
  nodeId: string | null;
  path: string;
  message: string;
}

/**
 * What the journeys home says under a live journey whose published version names something rules/
 * no longer has (a segment renamed or deleted in git, a coupon template gone): the running version
 * keeps naming it, so its entry lets nobody in or its sends fail — said before only in the server's
 * log. The problem in the designer's words where it has them (the editor's), else as the server says.
 */
export function liveProblemWords(lang: Lang, version: number | null, p: LiveProblem): string {
  const zh = lang === 'zh';
  const what = (zh ? serverProblemWords({ line: 0, nodeId: p.nodeId, path: p.path, message: p.message, severity: 'error' }) : null) ?? p.message;
  const step = p.nodeId ? (zh ? `（步骤 ${p.nodeId}）` : ` (step ${p.nodeId})`) : '';
  return zh
    ? `正在运行的版本${version !== null ? ` v${version} ` : ''}用到的内容已不在 rules/ 里：${what}${step}。请放回该文件，或发布一个不再用到它的版本`
    : `The running version${version !== null ? ` v${version}` : ''} names what rules/ no longer has: ${what}${step}. Put the file back, or publish a version that does not name it`;
}
