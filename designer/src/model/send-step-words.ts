import { translate, type Lang } from './i18n.js';
import { deliveryErrorWords, outcomeWords, reasonWords, type OutcomeNames } from './reason-words.js';
import type { DeclaredEvents } from './summary.js';

/** The message a send step wrote, as GET /api/customers/:id/journey lists it under `sends`. */
export interface StepSend {
  id: number;
  status: string;
  reason?: string | null;
  error?: string | null;
}

/**
 * A timeline step in words. A send step logs only that its message was queued; what became of the
 * message (sent, failed, blocked by the outbox) is the send's status, which the step names by
 * `sendId` — so the timeline says the same as the send table below it, never "已发出" for a
 * message that failed.
 * Statuses read as the send table reads them (待发送 / 发送中 / 已发送 / 发送失败：why).
 * `names`: caps by what they limit and arms by their labels (journey-names.ts), not their ids.
 */
export function stepWords(lang: Lang, step: { outcome: string; sendId?: number }, sends: readonly StepSend[], nodeLabel?: (id: string) => string, declared?: DeclaredEvents, names: OutcomeNames = {}): string {
  const send = step.sendId === undefined ? undefined : sends.find((s) => s.id === step.sendId);
  const [head, ...rest] = step.outcome.split(':');
  if (!send || head !== 'queued') return outcomeWords(lang, step.outcome, nodeLabel, declared, names);
  const zh = lang === 'zh';
  // queued:<reason>: sent another way than drawn (a fallback channel); said after what happened.
  const how = rest.length ? (zh ? `（${reasonWords(lang, rest.join(':'), names.caps)}）` : ` (${reasonWords(lang, rest.join(':'), names.caps)})`) : '';
  // The send table's own words for a status (i18n send.*), so the two never disagree.
  switch (send.status) {
    case 'queued':
    case 'sending':
    case 'sent':
      return translate(lang, `send.${send.status}`) + how;
    case 'failed': {
      const why = deliveryErrorWords(lang, send.error) || (zh ? '渠道没有给出原因' : 'the channel gave no reason');
      return zh ? `${translate(lang, 'send.failed')}：${why}` : `${translate(lang, 'send.failed')}: ${why}`;
    }
    case 'blocked':
      return zh ? `被拦截：${reasonWords(lang, send.reason, names.caps)}` : `blocked: ${reasonWords(lang, send.reason, names.caps)}`;
    default:
      return zh ? `未发送：${reasonWords(lang, send.reason, names.caps)}` : `not sent: ${reasonWords(lang, send.reason, names.caps)}`;
  }
}
