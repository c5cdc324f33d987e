import type { Lang } from './i18n.js';

interface ArmRate {
  arm: string;
  responseRate: number;
}

/**
 * A test-then-roll-out decision as the server records it (core/experiment/winner-decision.ts): the
 * case as a `code` with its figures, and the English `reason` written from them. A decision made
 * before codes existed may have none (`code: null`), and a server newer than these words may send a
 * code they do not know: both are shown by their English reason.
 */
export type Decision = { arm: string; winner: boolean; reason: string } & (
  | { code: 'winner'; figures: { best: ArmRate; alpha: number; comparisons: number; level: number } }
  | { code: 'not-significant'; figures: { best: ArmRate; other: ArmRate; pValue: number; level: number; defaultArm: string } }
  | { code: 'behind'; figures: { best: ArmRate; other: ArmRate; pValue: number; level: number; defaultArm: string } }
  | { code: 'not-enough-data'; figures: { fewest: { arm: string; assigned: number }; minPerArm: number; defaultArm: string } }
  | { code: 'no-treatment-customers'; figures: { defaultArm: string } }
  | { code?: null; figures?: null }
);

/** Words with the arms apart: an arm's name is the shop's own (shown as content, not translated). */
export type DecisionPart = string | { arm: string };

export interface DecisionWords {
  parts: DecisionPart[];
  /** The decision's code is one these words know and is said in the parts; else its reason is shown as it is. */
  known: boolean;
}

const arm = (id: string) => ({ arm: id });
const everyone = (id: string, fallback: boolean): DecisionPart[] => [`。之后的顾客都走${fallback ? '默认组' : ''}「`, arm(id), '」。'];
// As the server writes them in the English reason: rates to 2 decimals in %, p and the level to 4.
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const p4 = (v: number) => v.toFixed(4);

/**
 * Which arm everyone now goes down and why, in the marketer's language, from the decision's code and
 * figures (never from the English reason, which the server may word differently). A decision
 * without a code these words know still says the arm; the panel then shows the reason as it is.
 */
export function decisionWords(lang: Lang, d: Decision): DecisionWords {
  if (lang === 'en') return { parts: ['everyone now goes down arm ', arm(d.arm), `${d.winner ? ' (the winner)' : ''}: ${d.reason}`], known: true };
  const said = zh(d);
  return said ? { parts: said, known: true } : { parts: ['之后的顾客都走「', arm(d.arm), d.winner ? '」（胜出）' : '」'], known: false };
}

function zh(d: Decision): DecisionPart[] | null {
  switch (d.code) {
    case 'winner': {
      const f = d.figures;
      return ['「', arm(f.best.arm), `」胜出：响应率 ${pct(f.best.responseRate)}，比其他每一组都显著更好（p < ${p4(f.level)}；显著性水平 ${f.alpha}，比较 ${f.comparisons} 次）`, ...everyone(f.best.arm, false)];
    }
    case 'not-significant': {
      const f = d.figures;
      return ['没有胜出的组：响应率最高的「', arm(f.best.arm), `」（${pct(f.best.responseRate)}）并不比「`, arm(f.other.arm), `」（${pct(f.other.responseRate)}）显著更好（p = ${p4(f.pValue)}，需要小于 ${p4(f.level)}）`, ...everyone(f.defaultArm, true)];
    }
    case 'behind': {
      const f = d.figures;
      return ['没有胜出的组：响应率最高的「', arm(f.best.arm), `」（${pct(f.best.responseRate)}）还不如「`, arm(f.other.arm), `」（${pct(f.other.responseRate)}）`, ...everyone(f.defaultArm, true)];
    }
    case 'not-enough-data': {
      const f = d.figures;
      return ['数据不够，不判定胜出：测试结束时「', arm(f.fewest.arm), `」只有 ${f.fewest.assigned} 位顾客，每组至少需要 ${f.minPerArm} 位`, ...everyone(f.defaultArm, true)];
    }
    case 'no-treatment-customers':
      return ['测试组里没有顾客，无法判定胜出', ...everyone(d.figures.defaultArm, true)];
    default:
      return null;
  }
}

/** The parts as one line, each arm named by `name` (its label in the report, else its id). */
export function decisionText(w: DecisionWords, name: (arm: string) => string = (a) => a): string {
  return w.parts.map((p) => (typeof p === 'string' ? p : name(p.arm))).join('');
}
