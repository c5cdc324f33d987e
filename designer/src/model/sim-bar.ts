import type { Lang } from './i18n.js';

/**
 * The simulation results panel folded to one line (ui/editor/SimulationPanel.tsx): open, it
 * covered cards and edge labels on the right of the canvas (walkthrough, 26-sim-result). Folded,
 * it keeps the headline — how many entered, the summary's first line without its window words
 * ("模拟最近 7 天进入的顾客（…）：4,936 位顾客进入旅程" → "4,936 位顾客进入旅程") — and a button to open it again.
 */
export function simBarLine(lines: readonly string[]): string {
  const first = lines[0] ?? '';
  const zh = first.lastIndexOf('：');
  if (zh >= 0) return first.slice(zh + 1).trim();
  const en = first.lastIndexOf(': ');
  return en >= 0 ? first.slice(en + 2).trim() : first;
}

/** The fold and unfold buttons' words. */
export function simBarButtons(lang: Lang): { collapse: string; expand: string } {
  return lang === 'zh' ? { collapse: '收起', expand: '展开' } : { collapse: 'Collapse', expand: 'Expand' };
}
