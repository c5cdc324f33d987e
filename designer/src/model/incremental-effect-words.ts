import type { JourneyIncrementalEffect, SplitIncrementalEffect } from '../../../server/src/core/experiment/incremental-effect-figures.js';
import { pStatement } from '../../../server/src/core/experiment/p-value-text.js';
import { armLabel } from './count-line-words.js';
import { formatAmount, formatCount, formatPercent, formatPoints } from './format.js';
import type { Lang } from './i18n.js';
import type { DraftFlow } from './types.js';

/**
 * What the journey brought in beyond its holdout, as the simulation's summary says it: the server
 * computes every figure (core/experiment/incremental-effect.ts, the same `rekindle simulate`
 * prints), this only writes them — rates in %, the lift in percentage points, money as the rest of
 * the designer writes it, counts with formatCount, and a plain caution when the holdout cannot tell.
 * A journey without a holdout gets one line saying what to add to measure it.
 */
export function incrementalEffectWords(lang: Lang, e: JourneyIncrementalEffect | undefined, flow?: DraftFlow): string[] {
  if (!e) return []; // a server older than the figures
  const zh = lang === 'zh';
  if (!e.measured) {
    if (e.reason === 'holdout-without-experiment') {
      const steps = e.splits.map((id) => stepName(flow, id)).join(zh ? '、' : ', ');
      return [
        zh
          ? `增量效果：${steps} 有不发送的对照组，但没有设为实验，转化没有统计；给它填上实验 ID 和响应事件（如付款）后再模拟，就能看到消息比对照组多带来多少`
          : `Incremental effect: ${steps} has a holdout but is no experiment, so its conversions are not counted; give it an experiment id and responses (such as paid) and simulate again`,
      ];
    }
    return [
      zh
        ? '增量效果：这个旅程没有对照组，无法衡量消息带来的增量；要衡量，在「A/B 分流」步骤里加一组「对照组（不发送）」（例如 10% 的顾客），并填上实验 ID'
        : 'Incremental effect: this journey has no holdout, so what the messages bring beyond it cannot be measured; to measure it, add a holdout arm (no message, e.g. 10% of the customers) to an A/B split with an experiment id',
    ];
  }
  return e.splits.flatMap((s) => splitWords(lang, s, flow, e.splits.length > 1));
}

/** A step by its label as on the canvas (「A/B 测试（留对照组）」), its id when it has none. */
function stepName(flow: DraftFlow | undefined, id: string): string {
  const label = flow?.nodes.find((n) => n.id === id)?.label;
  return typeof label === 'string' && label ? `「${label}」` : `「${id}」`;
}

function splitWords(lang: Lang, s: SplitIncrementalEffect, flow: DraftFlow | undefined, named: boolean): string[] {
  const zh = lang === 'zh';
  const n = (x: number) => formatCount(lang, x);
  const h = s.holdout;
  const t = s.treated;
  const of = named ? stepName(flow, s.nodeId) : '';
  const head = zh
    ? `增量效果${of ? `（${of}）` : ''}：对照组 ${n(h.assigned)} 位顾客不发送消息，占分流的 ${formatPercent(h.share)}`
    : `Incremental effect${of ? ` (${of})` : ''}: the holdout, ${n(h.assigned)} customers sent nothing, ${formatPercent(h.share)} of the split`;
  if (h.assigned === 0 || t.assigned === 0) {
    const who = h.assigned === 0 ? (zh ? '没有顾客分到对照组' : 'nobody was assigned to the holdout') : zh ? '没有顾客分到发送消息的组' : 'nobody was assigned to an arm that sends';
    return [zh ? `${head}；${who}，无法衡量` : `${head}; ${who}: nothing to measure`];
  }
  const confidence = `${Math.round((1 - s.alpha) * 100)}%`;
  const p = pStatement(s.pValue);
  const lines = [
    zh
      ? `${head}。转化率：发送组 ${formatPercent(t.rate)}（${n(t.assigned)} 位中 ${n(t.converted)} 位），对照组 ${formatPercent(h.rate)}（${n(h.assigned)} 位中 ${n(h.converted)} 位），提升 ${formatPoints(lang, s.lift, { plus: true })}（${confidence} 区间 ${formatPoints(lang, s.liftCi.low, { unit: false })} 至 ${formatPoints(lang, s.liftCi.high)}，${p}）`
      : `${head}. Converted: treated ${formatPercent(t.rate)} (${n(t.converted)} of ${n(t.assigned)}), holdout ${formatPercent(h.rate)} (${n(h.converted)} of ${n(h.assigned)}), lift ${formatPoints(lang, s.lift, { plus: true })} (${confidence} interval ${formatPoints(lang, s.liftCi.low, { unit: false })} to ${formatPoints(lang, s.liftCi.high)}, ${p})`,
  ];
  // With two messages or more, which one brought the lift: each arm against the same holdout.
  if (s.byArm.length > 1) {
    const split = flow?.nodes.find((x) => x.id === s.nodeId);
    const arms = s.byArm.map((a) => {
      const label = armLabel(split, a.arm);
      const [low, high] = [formatPoints(lang, a.liftCi.low, { unit: false }), formatPoints(lang, a.liftCi.high)];
      return zh
        ? `「${label}」${formatPercent(a.rate)}（${n(a.assigned)} 位中 ${n(a.converted)} 位），提升 ${formatPoints(lang, a.lift, { plus: true })}（${confidence} 区间 ${low} 至 ${high}，${pStatement(a.pValue)}）`
        : `"${label}" ${formatPercent(a.rate)} (${n(a.converted)} of ${n(a.assigned)}), lift ${formatPoints(lang, a.lift, { plus: true })} (${confidence} interval ${low} to ${high}, ${pStatement(a.pValue)})`;
    });
    lines.push(zh ? `各发送组分别对比对照组：${arms.join('；')}` : `Each arm against the holdout: ${arms.join('; ')}`);
  }
  const conversions = n(Math.round(s.incrementalConversions));
  const revenue =
    s.incrementalRevenue === null
      ? zh
        ? '增量收入无法计算：实验的响应事件不带订单金额（把付款设为响应事件）'
        : "incremental revenue not counted: the experiment's responses carry no order amount (make paid a response)"
      : zh
        ? `增量收入 ${formatAmount(lang, s.incrementalRevenue)}（发送组收入 ${formatAmount(lang, t.revenue)} − ${n(t.assigned)} 位 × 对照组人均 ${formatAmount(lang, h.revenue / h.assigned)}）`
        : `incremental revenue ${formatAmount(lang, s.incrementalRevenue)} (treated paid ${formatAmount(lang, t.revenue)} − ${n(t.assigned)} × the holdout's ${formatAmount(lang, h.revenue / h.assigned)} a customer)`;
  lines.push(zh ? `增量转化约 ${conversions} 位（发送组 ${n(t.assigned)} 位 × 提升），${revenue}` : `Incremental conversions about ${conversions} (${n(t.assigned)} treated × the lift); ${revenue}`);
  const c = s.caution;
  if (c?.code === 'too-few-customers') {
    const side = c.group === 'holdout' ? (zh ? '对照组' : 'the holdout') : zh ? '发送组' : 'the treated arms';
    lines.push(zh ? `注意：${side}只有 ${n(c.assigned)} 位顾客，每边至少需要 ${c.minPerArm} 位才能比较，这些数字还分不清是消息的作用还是偶然` : `Caution: only ${n(c.assigned)} customers in ${side}; each side needs at least ${c.minPerArm} to compare, so these figures cannot yet tell the messages' effect from chance`);
  } else if (c?.code === 'not-significant') {
    lines.push(zh ? `注意：这个差异在偶然范围内（${pStatement(c.pValue)}，未低于 ${c.alpha}），要看清效果需要更大的对照组或更长的时间` : `Caution: the difference is within chance (${pStatement(c.pValue)}, not below ${c.alpha}); a larger holdout or a longer run is needed to tell`);
  }
  return lines;
}
