/**
 * A small seeded PRNG (sfc32, seeded through splitmix32). The demo shop must be byte-identical
 * for the same seed, so nothing here touches Math.random. Each customer gets its own stream
 * derived from (seed, customer number): customer 17 is the same whether the shop has 1,000 or
 * 1,000,000 customers, and generation never depends on how many numbers a previous customer drew.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    let s = (mix32(seed >>> 0) ^ mix32((stream + 0x9e3779b9) >>> 0)) >>> 0;
    const next = () => (s = mix32((s + 0x9e3779b9) >>> 0));
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** Standard normal (Box–Muller; one value per call keeps the stream simple). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space sigma: prices and spending have long tails. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** splitmix32-style finaliser: spreads nearby seeds (42, 43) into unrelated states. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** Seeds given as text (`--seed demo`) hash to a number; numeric text is used as is. */
export function seedFromText(seed: string | number): number {
  if (typeof seed === 'number') return seed >>> 0;
  if (/^\d+$/.test(seed)) return Number(seed) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A precomputed weighted choice (cumulative table + binary search), built once per table and
 * used millions of times.
 */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(private readonly items: readonly (readonly [T, number])[]) {
    let sum = 0;
    for (const [, w] of items) this.cumulative.push((sum += w));
    this.total = sum;
  }
  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo][0];
  }
}
