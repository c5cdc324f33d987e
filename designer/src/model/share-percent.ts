/**
 * A share the file keeps as a fraction (a flow's multiTouchShare: 0.3) as the marketer types it:
 * a percentage. The field's help said 例如 30%, and 30 was refused with 不能大于 1 (walk20).
 */

/** 0.3 → "30", 0.125 → "12.5"; "" when unset. No float noise (0.3 × 100 is 30.000000000000004). */
export function percentOfShare(share: unknown): string {
  if (typeof share !== 'number' || !Number.isFinite(share)) return '';
  return String(Number((share * 100).toFixed(4)));
}

/** "30" or "30%" → 0.3; "" → undefined (unset); what is not a number → NaN, for the checks to name. */
export function shareOfPercent(text: string): number | undefined {
  const t = text.trim().replace(/[%％]$/, '').trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? Number((n / 100).toFixed(6)) : Number.NaN;
}

/**
 * The fields kept as a fraction and shown as a percentage (paths as the inspector names them): a
 * flow's multiTouchShare, and an experiment's 希望检测的提升 (detectLift 0.1 = +10%), which took 0.1
 * beside 测试人数比例 % and 多次触达比例 taking 10 (walkthrough).
 */
export const PERCENT_FIELDS: ReadonlySet<string> = new Set(['multiTouchShare', 'experiment.detectLift']);
