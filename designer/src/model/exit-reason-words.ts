import { NO_CAP_NAMES, type CapNames } from './cap-words.js';
import type { Lang } from './i18n.js';
import { reasonWords } from './reason-words.js';
import { eventLabel, NO_DECLARED_EVENTS, type DeclaredEvents } from './summary.js';

/**
 * Why a journey ended (enrollments.exit_reason, as GET /api/customers/:id/journey lists it) in the
 * marketer's words, after the journey's status (已完成 / 已退出). The engine writes one of:
 * `goal:<node>` / `exit:<node>` (an end step), an event type that ended it early (the flow's
 * `exitOn`, e.g. "order_paid"), or a reason of its own (group-full, flow-stopped, too-many-steps…).
 * The 客户 view used to print the event type as it is: "已完成（达成目标）（order_paid）".
 */
export function exitReasonWords(lang: Lang, reason: string | null | undefined, nodeLabel: (id: string) => string = (id) => id, declared: DeclaredEvents = NO_DECLARED_EVENTS, caps: CapNames = NO_CAP_NAMES): string {
  if (!reason) return '';
  const zh = lang === 'zh';
  const [kind, node] = reason.split(':');
  if ((kind === 'goal' || kind === 'exit') && node) {
    const where = nodeLabel(node);
    if (kind === 'goal') return zh ? `到达目标「${where}」` : `reached the goal "${where}"`;
    return zh ? `到达结束「${where}」` : `reached the end "${where}"`;
  }
  if (reason === 'too-many-steps') return zh ? '一次运行的步骤过多（流程里有不经过等待的循环），已停止' : 'too many steps in one run (a loop without a wait); stopped';
  const said = reasonWords(lang, reason, caps);
  if (said !== reason) return said;
  // Anything else is the event that ended the journey early (exitOn), named as the cards name it.
  return zh ? `因「${eventLabel(lang, reason, declared).replace(/^「(.*)」$/, '$1')}」结束` : `ended by ${eventLabel(lang, reason, declared)}`;
}
