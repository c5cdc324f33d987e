import { yuan } from '../text/money.js';
import { percent, points, signed } from '../text/signed-number.js';
import type { Interval, JourneyIncrementalEffect, SplitIncrementalEffect } from './incremental-effect-figures.js';
import { pStatement } from './p-value-text.js';

/**
 * The incremental effect as `rekindle simulate` prints it (the designer says the same figures in
 * Chinese: designer/src/model/incremental-effect-words.ts). Rates as percentages, the lift in
 * percentage points (a difference of two rates, as `rekindle report` writes it), money in yuan.
 */
export function incrementalEffectLines(e: JourneyIncrementalEffect): string[] {
  if (!e.measured) {
    if (e.reason === 'holdout-without-experiment') {
      return [`incremental effect: not measured — split ${e.splits.join(', ')} has a holdout arm but no experiment: block, so nothing counts its conversions; give the split an experiment (id, responses such as order_paid) to see what the messages bring beyond the holdout`];
    }
    return [`incremental effect: not measured — the journey has no holdout${e.splits.length ? ` (split ${e.splits.join(', ')} compares messages with each other only)` : ''}; to measure it, add an arm that sends nothing (holdout: true) to a split with an experiment: block, e.g. 10% of the customers`];
  }
  return e.splits.flatMap(splitLines);
}

const count = (n: number) => n.toLocaleString('en-US');
/** Incremental conversions are customers: whole, signed, nothing for what rounds to 0. */
const about = (n: number) => signed(n, (a) => count(Math.round(a)));

function splitLines(s: SplitIncrementalEffect): string[] {
  const h = s.holdout;
  const t = s.treated;
  const lines = [`incremental effect of split ${s.nodeId} (experiment ${s.experimentId}) against its holdout (${h.arms.join(', ')}: ${count(h.assigned)} customers, ${percent(h.share)} of the split, sent nothing):`];
  if (h.assigned === 0 || t.assigned === 0) {
    lines.push(`  not measured: ${h.assigned === 0 ? 'nobody was assigned to the holdout' : 'nobody was assigned to an arm that sends'}`);
    return lines;
  }
  const ci = (i: Interval) => `${Math.round((1 - s.alpha) * 100)}% interval ${points(i.low)} to ${points(i.high)}`;
  lines.push(`  converted: treated (${t.arms.join(', ')}) ${count(t.converted)} of ${count(t.assigned)} = ${percent(t.rate)}, holdout ${count(h.converted)} of ${count(h.assigned)} = ${percent(h.rate)}; lift ${points(s.lift)} (${ci(s.liftCi)}, ${pStatement(s.pValue)})`);
  // With two messages or more, which one brought the lift: each against the same holdout.
  if (s.byArm.length > 1) {
    for (const a of s.byArm) lines.push(`    arm ${a.arm}: ${count(a.converted)} of ${count(a.assigned)} = ${percent(a.rate)}; lift ${points(a.lift)} against the holdout (${ci(a.liftCi)}, ${pStatement(a.pValue)})`);
  }
  lines.push(`  incremental conversions ≈ ${about(s.incrementalConversions)} (${count(t.assigned)} treated × ${points(s.lift)})`);
  lines.push(
    s.incrementalRevenue === null
      ? '  incremental revenue: not counted — the experiment\'s responses carry no order amount (make order_paid a response)'
      : `  incremental revenue ${yuan(s.incrementalRevenue)} (treated paid ${yuan(t.revenue)} − ${count(t.assigned)} × the holdout's ${yuan(h.revenue / h.assigned)} a customer)`,
  );
  const c = s.caution;
  if (c?.code === 'too-few-customers') lines.push(`  caution: only ${count(c.assigned)} customer${c.assigned === 1 ? '' : 's'} in the ${c.group === 'holdout' ? 'holdout' : 'treated arms'}, fewer than the ${c.minPerArm} each side needs to compare: these figures cannot tell the messages' effect from chance yet`);
  else if (c?.code === 'not-significant') lines.push(`  caution: the difference is within chance (${pStatement(c.pValue)}, not below ${c.alpha}): a larger holdout or a longer run is needed to tell`);
  return lines;
}
