import { errorText } from './error-words.js';
import type { Lang } from './i18n.js';

/**
 * What a screen says when what it opens with could not be loaded even after asking again
 * (model/retried.ts): what did not load, and why in a few words — no connection, or the server's
 * own failure — instead of the browser's raw English ("Failed to fetch", "Service Unavailable").
 * A refusal (4xx) keeps the server's words (error-words.ts).
 */
export type LoadWhat = 'home' | 'flow';

const WHAT = {
  zh: { home: '旅程列表暂时加载不了', flow: '这个旅程暂时打不开' },
  en: { home: 'The journeys could not be loaded', flow: 'This journey could not be opened' },
} as const;

export function loadFailureWords(lang: Lang, what: LoadWhat, e: unknown): { text: string; retry: string } {
  const status = (e as { status?: unknown } | null)?.status;
  const zh = lang === 'zh';
  const why =
    typeof status !== 'number'
      ? zh ? '服务器没有响应' : 'the server did not answer'
      : status >= 500
        ? zh ? `服务器出错（${status}）` : `the server failed (${status})`
        : errorText(lang, e);
  return { text: `${WHAT[zh ? 'zh' : 'en'][what]}${zh ? '：' : ': '}${why}`, retry: zh ? '重试' : 'Try again' };
}
