import { createRequire } from 'node:module';

/**
 * stdlib's distribution and special functions, loaded on first use. They are ~360 small CommonJS
 * modules (~75 ms of CPU to load); every process and thread that opens the database reached them
 * (a migration reads experiment reports), while only experiment reports and the BG/NBD analysis
 * call them. The functions are the same; only when they are loaded changed.
 */
const require = createRequire(import.meta.url);

function lazy<F extends (...args: number[]) => number>(name: string): F {
  let f: F | undefined;
  return ((...args: number[]) => (f ??= require(name) as F)(...args)) as F;
}

export const chisquareCdf = lazy<(x: number, k: number) => number>('@stdlib/stats-base-dists-chisquare-cdf');
export const betaCdf = lazy<(x: number, alpha: number, beta: number) => number>('@stdlib/stats-base-dists-beta-cdf');
export const normalCdf = lazy<(x: number, mu: number, sigma: number) => number>('@stdlib/stats-base-dists-normal-cdf');
export const normalQuantile = lazy<(p: number, mu: number, sigma: number) => number>('@stdlib/stats-base-dists-normal-quantile');
export const betaln = lazy<(a: number, b: number) => number>('@stdlib/math-base-special-betaln');
export const gammaln = lazy<(x: number) => number>('@stdlib/math-base-special-gammaln');
