/**
 * mulberry32: a tiny deterministic PRNG (floats in [0, 1)), so a bench or a test generates the same
 * data on every run. The import bench, its parser-cost bench and the import tests share it, so
 * they read the same generated files.
 */
export function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
