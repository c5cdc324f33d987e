import { durationWords } from './duration.js';
import { enumLabel, fieldLabel } from './fields.js';
import { translate, type Lang } from './i18n.js';
import { stepNameIn } from './step-name.js';
import type { NodeChanges } from './diff.js';
import type { DraftFlow, DraftNode } from './types.js';

/**
 * What changed in a step (or in the journey's settings) between the live version and the draft,
 * field by field in the inspector's words: 「等待时长 2 小时 → 1 天」, 「频率 每天 → 每小时」,
 * 「下一步 结束 → 发送短信」. The change list said only 修改步骤：入口, and the marketer had to read
 * the YAML side by side to learn what. Long texts (a message, a description) and lists say only
 * that they changed (the side-by-side view shows them).
 */
const DURATIONS = new Set(['duration', 'within', 'expiresAfter', 'maxAge', 'window', 'pauseFor']);
const STEPS = new Set(['next', 'yes', 'no', 'else', 'responded', 'timedOut', 'capped', 'overflow']);
/** Message texts and descriptions are said as changed, whatever their length. */
const LONG = new Set(['template', 'description']);
const SHORT = 24;
/** At most this many fields a step, then 等 N 处改动. */
const MOST = 4;

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
const plain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function valueWords(lang: Lang, key: string, v: unknown, nodes: readonly DraftNode[]): string | null {
  if (LONG.has(key)) return null;
  if (v === undefined || v === null || v === '') return translate(lang, 'change.notSet');
  if (DURATIONS.has(key)) return durationWords(lang, v);
  if (STEPS.has(key) && typeof v === 'string') return stepNameIn(lang, nodes, v);
  if (typeof v === 'boolean') return translate(lang, v ? 'change.yes' : 'change.no');
  if (typeof v === 'number') return v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
  if (typeof v === 'string' && v.length <= SHORT && !/\n/.test(v)) return enumLabel(lang, v);
  return null; // long text, a list, an object: said as changed
}

/** The fields of `before` and `after` that differ, in words (`path`: the schema place of nested fields, "trigger"). */
export function fieldChangeWords(lang: Lang, before: Record<string, unknown>, after: Record<string, unknown>, nodes: readonly DraftNode[], path = ''): string[] {
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
    if (key === 'id' || key === 'nodes' || canon(before[key]) === canon(after[key])) continue;
    const place = path ? `${path}.${key}` : key;
    const [b, a] = [before[key], after[key]];
    if (!path && (plain(b) || plain(a)) && (plain(b) || b === undefined) && (plain(a) || a === undefined)) {
      const inner = fieldChangeWords(lang, plain(b) ? b : {}, plain(a) ? a : {}, nodes, place);
      if (inner.length) {
        out.push(...inner);
        continue;
      }
    }
    const field = fieldLabel(lang, place);
    const bw = valueWords(lang, key, b, nodes);
    const aw = valueWords(lang, key, a, nodes);
    out.push(bw === null || aw === null ? translate(lang, 'change.edited').replace('{field}', field) : `${field} ${bw} → ${aw}`);
  }
  return out;
}

/** "等待时长 2 小时 → 1 天；下一步 结束 → 发送短信" for one step or the settings; empty when nothing is said. */
export function changeSummary(lang: Lang, before: Record<string, unknown>, after: Record<string, unknown>, nodes: readonly DraftNode[]): string {
  const all = fieldChangeWords(lang, before, after, nodes);
  const shown = all.slice(0, MOST);
  if (all.length > MOST) shown.push(translate(lang, 'change.more').replace('{n}', String(all.length - MOST)));
  return shown.join(lang === 'zh' ? '；' : '; ');
}

/** What changed in step `id` from `live` to `draft`, or in the settings (id null). */
export function stepChangeSummary(lang: Lang, live: DraftFlow, draft: DraftFlow, id: string | null): string {
  if (id === null) return changeSummary(lang, live as unknown as Record<string, unknown>, draft as unknown as Record<string, unknown>, draft.nodes);
  const b = live.nodes.find((n) => n.id === id);
  const a = draft.nodes.find((n) => n.id === id);
  // A next step removed in the draft is named as the live version had it (下一步 发送短信 → 结束, not sms → 结束).
  const names = [...draft.nodes, ...live.nodes.filter((n) => !draft.nodes.some((d) => d.id === n.id))];
  return b && a ? changeSummary(lang, b, a, names) : '';
}

/** One line of the change list: what kind of change, the step (null: the journey's settings), the words. */
export interface ChangeLine {
  kind: 'settings' | 'added' | 'removed' | 'changed';
  id: string | null;
  text: string;
}

/**
 * The change list of 对比线上版本 and of the publish confirmation, one line a change, each step
 * named as its card names it (step-name.ts) — a removed one as the live version named it. Compare
 * said 修改步骤：wait-1 and 删除步骤：wait-1 of a step without a card name, where the publish
 * dialog said 等待 3 天 (walk-mkt).
 */
export function changeLines(lang: Lang, live: DraftFlow | null, draft: DraftFlow, changes: NodeChanges): ChangeLine[] {
  const zh = lang === 'zh';
  const sep = zh ? '：' : ': ';
  const what = (id: string | null) => {
    const s = live ? stepChangeSummary(lang, live, draft, id) : '';
    return s ? (zh ? `（${s}）` : ` (${s})`) : '';
  };
  return [
    ...(changes.settings ? [{ kind: 'settings' as const, id: null, text: `${translate(lang, 'diff.settings')}${what(null)}` }] : []),
    ...changes.added.map((id) => ({ kind: 'added' as const, id, text: `${translate(lang, 'diff.added')}${sep}${stepNameIn(lang, draft.nodes, id)}` })),
    ...changes.removed.map((id) => ({ kind: 'removed' as const, id, text: `${translate(lang, 'diff.removed')}${sep}${stepNameIn(lang, live?.nodes ?? [], id)}` })),
    ...changes.changed.map((id) => ({ kind: 'changed' as const, id, text: `${translate(lang, 'diff.changed')}${sep}${stepNameIn(lang, draft.nodes, id)}${what(id)}` })),
  ];
}
