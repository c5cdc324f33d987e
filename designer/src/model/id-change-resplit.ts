import { stepName } from './step-name.js';
import { translate, type Lang } from './i18n.js';
import type { DraftFlow } from './types.js';

/**
 * What a new id at the first publish does to the journey's A/B splits: one without its own
 * 分组种子 (salt) draws its groups from the journey's id and its step id (the engine's
 * split.executor.ts), so under the new id each arm holds other customers than in the simulation
 * just run under the old one — same shares, other people (walk20: the designer's simulation said
 * 2,012 in 方案 A, `rekindle simulate` of the published journey 2,073). Null when nothing changes.
 */
export function idChangeResplitWords(lang: Lang, flow: DraftFlow, oldId: string, newId: string): string | null {
  if (!newId || newId === oldId) return null;
  const splits = flow.nodes.filter((n) => n.type === 'split' && !(typeof n.salt === 'string' && n.salt.trim()));
  if (splits.length === 0) return null;
  const names = splits.map((n) => (lang === 'zh' ? `「${stepName(lang, n, n.id)}」` : `"${stepName(lang, n, n.id)}"`)).join(lang === 'zh' ? '、' : ', ');
  return translate(lang, 'publish.idResplit').replace('{splits}', names);
}
