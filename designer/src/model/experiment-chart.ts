/**
 * The experiment view's chart: each arm's response rate with its interval as a horizontal
 * whisker on a shared scale (0 … a rounded-up maximum), so overlapping intervals are visible at
 * a glance. Pure geometry; the component draws it as SVG.
 */
export interface ArmRate {
  arm: string;
  label?: string;
  responseRate: number;
  responseRateCi: { low: number; high: number };
  holdout: boolean;
}

export interface ChartRow {
  arm: string;
  /** What the row says: the arm's label (方案 A, 对照组), as the table beside it; its id only when it has none. */
  name: string;
  y: number;
  x: number;
  low: number;
  high: number;
  text: string;
}

const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 2 : 1)}%`;

/** A round upper bound for the scale: the next of 1, 2, 5 × 10^k above the largest interval end. */
export function niceMax(v: number): number {
  if (v <= 0) return 0.01;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function intervalChart(arms: readonly ArmRate[], o: { width: number; rowHeight: number; left: number; right: number }): { rows: ChartRow[]; max: number; ticks: { x: number; text: string }[]; height: number } {
  const max = Math.min(1, niceMax(Math.max(0, ...arms.map((a) => a.responseRateCi.high))));
  const span = o.width - o.left - o.right;
  const sx = (v: number) => o.left + (Math.min(Math.max(v, 0), max) / max) * span;
  const rows = arms.map((a, i) => ({
    arm: a.arm,
    name: a.label?.trim() || a.arm,
    y: (i + 0.5) * o.rowHeight,
    x: sx(a.responseRate),
    low: sx(a.responseRateCi.low),
    high: sx(a.responseRateCi.high),
    text: `${pct(a.responseRate)} [${pct(a.responseRateCi.low)}, ${pct(a.responseRateCi.high)}]`,
  }));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ x: sx(f * max), text: pct(f * max) }));
  return { rows, max, ticks, height: arms.length * o.rowHeight };
}
