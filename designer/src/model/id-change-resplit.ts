import { stepName } from './step-name.js';
import { translate, type Lang } from './i18n.js';
import type { DraftFlow } from './types.js';

/**
 * What a new id at the first publish does to the journey's A/B splits: one without its own
 * 分组种子 (salt) draws its groups from the journey's id and its step id (the engine's
 * split.executor.ts), so under the new id each arm holds other customers than in the simulation
 * just run under the old one — same shares, other people (walk20: the designer's simulation said
 * 2,012 in 方案 A, `rekindle simulate` of the published journey 2,073). Said only after a
 * simulation (`simulated`), and plainly: its A/B groups no longer apply. Null when nothing changes.
 * The id is asked for in 新建旅程 now, so this is the rare case of changing it after all.
 */
export function idChangeResplitWords(lang: Lang, flow: DraftFlow, oldId: string, newId: string, simulated = true): string | null {
  if (!simulated || !newId || newId === oldId) return null;
  const splits = flow.nodes.filter((n) => n.type === 'split' && !(typeof n.salt === 'string' && n.salt.trim()));
  if (splits.length === 0) return null;
  const names = splits.map((n) => (lang === 'zh' ? `「${stepName(lang, n, n.id)}」` : `"${stepName(lang, n, n.id)}"`)).join(lang === 'zh' ? '、' : ', ');
  return translate(lang, 'publish.idResplit').replace('{splits}', names).replaceAll('{old}', oldId);
}
