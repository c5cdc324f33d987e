import type { Problem } from './types.js';
import { enumLabel } from './fields.js';
import { translate, type Lang, type MessageKey } from './i18n.js';

/** An error as the marketer reads it: words, and the file or detail to show as code (kept in English). */
export interface ErrorWords {
  text: string;
  code?: string;
}

/** What a simulation copy's 409 refused (`refused`), in words; `runs` (a test send) is the default. */
const COPY_REFUSAL_WORDS: Record<string, MessageKey | undefined> = { 'goes-live': 'err.simulationCopyLive', 'shop-files': 'err.simulationCopyFiles' };

/**
 * The server's errors carry a stable `code` beside their English message (which API users keep
 * reading); the designer says the known ones in the marketer's words. Unknown errors keep the
 * server's message rather than hiding it.
 */
export function errorWords(lang: Lang, e: unknown): ErrorWords {
  const message = e instanceof Error ? e.message : String(e);
  // An ApiError (api.ts), read by shape so the words stay a pure module.
  const err = e as { code?: unknown; problems?: Problem[]; body?: Record<string, unknown> | null };
  const body = (err.body && typeof err.body.message === 'object' && err.body.message ? err.body.message : err.body) as Record<string, unknown> | null | undefined;
  const problems = err.problems ?? [];
  switch (typeof err.code === 'string' ? err.code : null) {
    case 'flow-has-problems':
      return { text: translate(lang, 'err.flowProblems').replace('{n}', String(problems.filter((p) => p.severity === 'error').length || problems.length)) };
    case 'channel-outbox-only':
      return { text: translate(lang, 'err.outboxOnly').replaceAll('{channel}', enumLabel(lang, body?.channel)), code: 'rules/channels.yaml' };
    case 'simulation-copy':
      // A server on a simulation's copy sends nothing, a test neither, and changes nothing that runs —
      // a publish, pause, resume, stop or approval (`refused: goes-live`; server:
      // api/simulation-copy/nothing-runs-on-a-copy.ts): "测试消息没有发出" read wrong for a publish. Saving
      // the contact rules, a block list's title or an audience (`shop-files`) would instead have changed
      // the live shop's own file: "正式店铺不会有任何变化" read wrong for those.
      return { text: translate(lang, COPY_REFUSAL_WORDS[String(body?.refused)] ?? 'err.simulationCopy') };
    case 'coupon-missing':
      return { text: translate(lang, 'err.couponMissing') };
    case 'coupon-unknown':
      return { text: translate(lang, 'err.couponUnknown'), code: message };
    case 'coupon-file':
      return { text: translate(lang, 'err.couponFile'), code: message };
    case 'file-changed':
      // A developer changed the journey's file in git after this drawing was opened: publishing it would undo that.
      return { text: translate(lang, 'err.fileChanged') };
    case 'flow-exists':
      return { text: translate(lang, 'err.flowExists').replace('{id}', typeof body?.flowId === 'string' ? body.flowId : '') };
    case 'segment-exists':
      return { text: translate(lang, 'err.segmentExists'), code: typeof body?.id === 'string' ? `rules/segments/${body.id}.yaml` : undefined };
    default:
      return { text: message };
  }
}

/** The same, on one line (a banner or toast). */
export function errorText(lang: Lang, e: unknown): string {
  const w = errorWords(lang, e);
  return w.code ? `${w.text} ${w.code}` : w.text;
}
