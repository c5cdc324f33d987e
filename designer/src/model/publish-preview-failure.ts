import { errorWords } from './error-words.js';
import type { Lang } from './i18n.js';

/**
 * What the publish confirmation says and allows when its summary (POST /api/flows/:id/publish-preview:
 * the audience size, the journeys in flight, the caps and quiet hours) could not be loaded. Before,
 * the dialog offered 确认发布 all the same, so one click published a journey nobody had looked at.
 *
 * Two cases, by what the failure means for publishing itself (POST /api/flows/:id/publish):
 * - refused: the same request to publish would fail too: the session has ended (401), the account
 *   may not publish (403), or the server refuses this journey as sent (another 4xx). Only 取消;
 *   the words say what to do instead.
 * - confirm: the server could not be reached, answered with a server error (5xx), timed out or
 *   sent something unreadable: publishing might well work. 重试 asks again; publishing needs the
 *   marketer to tick a box that names what they have not seen.
 * The reason is said in the marketer's words with the status, never a stack trace or a server path.
 */
export interface PreviewFailure {
  publish: 'confirm' | 'refused';
  /** "无法计算发布摘要（人数、频次上限和免打扰）：…" */
  text: string;
  /** The box to tick before publishing anyway (only with publish: 'confirm'). */
  risk: string | null;
}

type Reason = { publish: PreviewFailure['publish']; zh: string; en: string };

/** The server's own message, when it helps: its first line, without anything that looks like a stack frame or a file path. */
function serverDetail(message: string): string | null {
  const first = message.split('\n')[0].trim();
  if (!first || /\bat .+:\d+|[\\/][\w.-]+[\\/][\w./\\-]+|\.(ts|js):\d+/.test(first)) return null;
  return first.length > 160 ? `${first.slice(0, 157)}…` : first;
}

function reasonOf(lang: Lang, e: unknown): Reason {
  const status = typeof (e as { status?: unknown })?.status === 'number' ? (e as { status: number }).status : null;
  if (status === null) {
    // fetch() rejects with a TypeError when nothing answered; a proxy's HTML page fails to parse as JSON.
    if (e instanceof SyntaxError) return { publish: 'confirm', zh: '服务器的回答无法读取（可能是网关或代理出错）', en: 'the server\'s answer could not be read (a gateway or proxy may have failed)' };
    return { publish: 'confirm', zh: '连不上服务器（网络中断，或服务器没有在运行）', en: 'the server could not be reached (the network is down, or the server is not running)' };
  }
  if (status === 401) return { publish: 'refused', zh: '登录已过期，发布也会被拒绝：请重新登录后再发布', en: 'your session has ended, so publishing would be refused too: sign in again, then publish' };
  if (status === 403) return { publish: 'refused', zh: '你的账号没有发布旅程的权限，发布也会被拒绝：请让运营或管理员账号发布', en: 'your account may not publish journeys, so publishing would be refused too: ask a marketer or an admin' };
  if (status === 408 || status === 429 || status >= 500) return { publish: 'confirm', zh: `服务器暂时出错（HTTP ${status}）`, en: `the server failed for now (HTTP ${status})` };
  // Another 4xx: the server refuses this journey as sent; publishing sends the same journey.
  const message = e instanceof Error ? e.message : String(e);
  const words = errorWords(lang, e);
  // A known code in the marketer's words (with its file or detail); else the server's first line, if it is fit to show.
  const detail = words.text !== message ? (words.code ? `${words.text} ${words.code}` : words.text) : serverDetail(message);
  const zh = `服务器拒绝了这个旅程（HTTP ${status}${detail ? `：${detail}` : ''}），发布也会被拒绝：请先按问题面板修改`;
  const en = `the server refuses this journey (HTTP ${status}${detail ? `: ${detail}` : ''}), so publishing would be refused too: fix it as the Problems panel says first`;
  return { publish: 'refused', zh, en };
}

export function previewFailure(lang: Lang, e: unknown): PreviewFailure {
  const zh = lang === 'zh';
  const r = reasonOf(lang, e);
  const text = zh ? `无法计算发布摘要（人数、频次上限和免打扰）：${r.zh}。` : `The publish summary (audience size, caps, quiet hours) could not be computed: ${r.en}.`;
  if (r.publish === 'refused') return { publish: 'refused', text, risk: null };
  return {
    publish: 'confirm',
    text: zh ? `${text}可以重试；也可以不看摘要直接发布。` : `${text} Try again, or publish without the summary.`,
    risk: zh
      ? '我知道还没有看到会进入的人数、已在旅程中的顾客，以及会拦住消息的频次上限和免打扰，仍要发布'
      : 'I have not seen how many customers enter, who is in the journey now, or the caps and quiet hours that hold messages back, and publish anyway',
  };
}
