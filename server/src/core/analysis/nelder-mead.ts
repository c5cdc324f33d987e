// fmin ships a UMD bundle in a "type": "module" package: loaded as ESM it exports nothing and
// registers itself as globalThis.fmin instead. Importing it for that side effect is the one way
// to use it without a bundler.
import 'fmin';

export interface NelderMeadResult {
  x: number[];
  fx: number;
}

type NelderMead = (f: (x: number[]) => number, x0: number[], parameters?: { maxIterations?: number; minErrorDelta?: number; minTolerance?: number; zeroDelta?: number; nonZeroDelta?: number; sigma?: number }) => NelderMeadResult;

/**
 * Nelder–Mead minimisation from the maintained `fmin` package (benfred/fmin), restarted from its
 * best point until a restart no longer improves. fmin 0.0.4's shrink step assigns an undeclared
 * loop variable, which throws in strict (ES module) code; with sigma = 1 fmin stops where it would
 * shrink instead, and the restart (a fresh simplex around the best point) takes its place.
 */
export function nelderMead(f: (x: number[]) => number, x0: number[], parameters: Omit<NonNullable<Parameters<NelderMead>[2]>, 'sigma'> & { restarts?: number; minImprovement?: number } = {}): NelderMeadResult & { restarts: number } {
  const lib = (globalThis as unknown as { fmin?: { nelderMead?: NelderMead } }).fmin;
  if (!lib?.nelderMead) throw new Error('the fmin package did not load (globalThis.fmin.nelderMead missing)');
  const { restarts = 50, minImprovement = 1e-9, ...rest } = parameters;
  let best: NelderMeadResult = { x: x0.slice(), fx: f(x0) };
  let n = 0;
  for (; n < restarts; n++) {
    const res = lib.nelderMead(f, best.x.slice(), { ...rest, sigma: 1 });
    const gain = best.fx - res.fx;
    if (res.fx < best.fx) best = { x: res.x.slice(), fx: res.fx };
    if (!(gain > minImprovement)) break;
  }
  return { ...best, restarts: n + 1 };
}
