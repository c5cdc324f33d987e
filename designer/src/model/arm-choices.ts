import type { Lang } from './i18n.js';

/**
 * The fields of an A/B split that name one of its own arms: 对照组 (experiment.control), 默认组
 * (experiment.test.defaultArm) and 满额后去向 (quotaOverflow). They were text boxes wanting an arm
 * id typed by hand (walkthrough: "holdout" or "对照组"? the label was refused); now a choice among
 * the split's arms, by the names the marketer gave them. Paths as the inspector names them.
 */
export const ARM_FIELDS: ReadonlySet<string> = new Set(['experiment.control', 'experiment.test.defaultArm', 'quotaOverflow']);

export interface ArmChoice {
  value: string;
  label: string;
}

/** What choosing nothing means, per field (the schema's default), or null where one must be chosen. */
function noneLabel(lang: Lang, path: string): string | null {
  const zh = lang === 'zh';
  if (path === 'experiment.control') return zh ? '（默认：不发送的对照组，没有时第一组）' : '(default: the holdout arm, else the first arm)';
  if (path === 'quotaOverflow') return zh ? '（不设）' : '(none)';
  return null;
}

/**
 * The choices of an arm field: nothing (where the field may be left empty), then every arm of the
 * split as its card names it — 方案 A（a） — and a value that names no arm any more (an arm removed
 * or its id changed) kept as 「x」已不存在 so the marketer sees what to change; the flow checks
 * name it beside the field too.
 */
export function armChoices(lang: Lang, path: string, arms: unknown, value: unknown): ArmChoice[] {
  const list = (Array.isArray(arms) ? arms : []).filter((a): a is { id: string; label?: unknown } => !!a && typeof (a as { id?: unknown }).id === 'string' && (a as { id: string }).id !== '');
  const out: ArmChoice[] = [];
  const none = noneLabel(lang, path);
  if (none !== null || value === undefined || value === '') out.push({ value: '', label: none ?? (lang === 'zh' ? '（请选择）' : '(choose)') });
  for (const a of list) {
    const label = typeof a.label === 'string' && a.label.trim() !== '' && a.label !== a.id ? `${a.label}（${a.id}）` : a.id;
    out.push({ value: a.id, label });
  }
  if (typeof value === 'string' && value !== '' && !list.some((a) => a.id === value)) out.push({ value, label: lang === 'zh' ? `「${value}」已不存在，请重新选择` : `"${value}" no longer exists: choose again` });
  return out;
}
