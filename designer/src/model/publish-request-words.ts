import { enumLabel } from './fields.js';
import type { Lang } from './i18n.js';
import { NO_DECLARED_EVENTS, triggerWords, type DeclaredEvents } from './summary.js';
import type { SegmentTitles } from './segment-words.js';

/** A journey asked to go live, waiting for (or given) an admin's decision (server api/journeys/publish-requests.controller.ts). */
export interface PublishRequest {
  id: number;
  flowId: string;
  summary: { name: string; trigger: { type: string; segment?: string; event?: string; startAt?: string }; steps: number; messages: Record<string, number> };
  requestedBy: string;
  requestedAt: number;
  note: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'replaced';
  decidedBy: string | null;
  decidedAt: number | null;
  reason: string | null;
  version: number | null;
}

/** A publish request's journey in one line: who enters, how many steps, which messages (an approver's first look). */
export function requestSummaryWords(lang: Lang, s: PublishRequest['summary'], timeZone?: string, declared: DeclaredEvents = NO_DECLARED_EVENTS, segments?: SegmentTitles): string {
  const zh = lang === 'zh';
  const messages = Object.entries(s.messages)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channel, n]) => `${enumLabel(lang, channel)} ${n}`)
    .join(zh ? '、' : ', ');
  const parts = [triggerWords(lang, s.trigger, timeZone, declared, segments), zh ? `${s.steps} 个步骤` : `${s.steps} step${s.steps === 1 ? '' : 's'}`, messages ? (zh ? `发送步骤：${messages}` : `message steps: ${messages}`) : zh ? '不发消息' : 'sends nothing'];
  return parts.join(' · ');
}

/** What the signed-in account may do with a request, and why not (an i18n key) where a button shows disabled. */
export function requestRights(me: { username: string; role: string | null } | null, r: Pick<PublishRequest, 'requestedBy' | 'status'>): { decide: boolean; withdraw: boolean; whyNot: 'approval.ownRequest' | 'approval.adminOnly' | null } {
  if (!me || r.status !== 'pending') return { decide: false, withdraw: false, whyNot: null };
  const own = me.username === r.requestedBy;
  const admin = me.role === 'admin';
  return { decide: admin && !own, withdraw: own || admin, whyNot: own ? 'approval.ownRequest' : admin ? null : 'approval.adminOnly' };
}
