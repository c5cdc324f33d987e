import type { Lang } from './i18n.js';

/** A test-then-roll-out decision as the server records it (core/experiment/report.ts decideWinner). */
export interface Decision {
  arm: string;
  winner: boolean;
  reason: string;
}

/** Words with the arms apart: an arm's name is the shop's own (shown as content, not translated). */
export type DecisionPart = string | { arm: string };

export interface DecisionWords {
  parts: DecisionPart[];
  /** The server's reason was one of the known shapes and is said in the parts; else it is shown as it is. */
  known: boolean;
}

type Rule = [RegExp, (r: RegExpExecArray) => DecisionPart[]];
const arm = (id: string) => ({ arm: id });
const everyone = (id: string, fallback: boolean): DecisionPart[] => [`。之后的顾客都走${fallback ? '默认组' : ''}「`, arm(id), '」。'];

/**
 * decideWinner's reasons (English, kept in the database and read by the CLI and API users) said in
 * Chinese from their own figures. The shapes are pinned by tests/unit/designer-decision-words.test.ts
 * against decideWinner itself, so a changed reason fails there rather than showing English here.
 */
const ZH: Rule[] = [
  [
    /^arm (\S+) \(([\d.]+%)\) beats every other arm at p < ([\d.]+) \(alpha ([\d.]+), (\d+) comparisons?\)$/,
    (r) => ['「', arm(r[1]), `」胜出：响应率 ${r[2]}，比其他每一组都显著更好（p < ${r[3]}；显著性水平 ${r[4]}，比较 ${r[5]} 次）`, ...everyone(r[1], false)],
  ],
  [
    /^best arm (\S+) \(([\d.]+%)\) is not significantly better than (\S+) \(([\d.]+%)\): p = ([\d.]+) ≥ ([\d.]+); default arm (\S+)$/,
    (r) => ['没有胜出的组：响应率最高的「', arm(r[1]), `」（${r[2]}）并不比「`, arm(r[3]), `」（${r[4]}）显著更好（p = ${r[5]}，需要小于 ${r[6]}）`, ...everyone(r[7], true)],
  ],
  [
    /^not enough data: arm (\S+) had (\d+) customers? when the test ended, each arm needs at least (\d+); default arm (\S+)$/,
    (r) => ['数据不够，不判定胜出：测试结束时「', arm(r[1]), `」只有 ${r[2]} 位顾客，每组至少需要 ${r[3]} 位`, ...everyone(r[4], true)],
  ],
];

/**
 * Which arm everyone now goes down and why, in the marketer's language. An unknown reason (a
 * server newer than these words) still says the arm; the panel then shows the reason as it is.
 */
export function decisionWords(lang: Lang, d: Decision): DecisionWords {
  if (lang === 'en') return { parts: ['everyone now goes down arm ', arm(d.arm), `${d.winner ? ' (the winner)' : ''}: ${d.reason}`], known: true };
  if (d.reason === 'no customers in any treatment arm') return { parts: ['测试组里没有顾客，无法判定胜出', ...everyone(d.arm, true)], known: true };
  for (const [re, words] of ZH) {
    const r = re.exec(d.reason);
    if (r) return { parts: words(r), known: true };
  }
  return { parts: ['之后的顾客都走「', arm(d.arm), d.winner ? '」（胜出）' : '」'], known: false };
}

/** The parts as one line, each arm named by `name` (its label in the report, else its id). */
export function decisionText(w: DecisionWords, name: (arm: string) => string = (a) => a): string {
  return w.parts.map((p) => (typeof p === 'string' ? p : name(p.arm))).join('');
}
