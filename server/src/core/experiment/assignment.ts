import { bucket } from '../engine/split-assignment.js';

/**
 * Balanced assignment methods of a split (docs/experiments.md#assignment). Both are
 * deterministic functions of (salt, stratum, arrival number): replaying the same arrivals gives
 * the same arms, and nothing calls Math.random.
 *
 * - Stratified permuted blocks: within each stratum, arrivals are cut into blocks of B slots;
 *   each block holds every arm in proportion to its weight, in an order shuffled by a salted
 *   hash. So every stratum's arms stay within one block of their target shares, while the next
 *   arm is still unpredictable to anyone without the salt.
 * - Exact quotas: the arrivals 0..Q−1 (Q = sum of quotas) are a salted random permutation of
 *   the Q slots, i.e. a draw without replacement: each arm gets exactly its quota.
 */

const MAX_BLOCK = 100;

/** Slots per arm in one block: the smallest block (≤ 100) that holds every weight as a whole number. */
export function blockSlots(weights: number[]): number[] {
  for (let size = 1; size <= MAX_BLOCK; size++) {
    const slots = weights.map((w) => (w * size) / 100);
    if (slots.every((s) => Math.abs(s - Math.round(s)) < 1e-9)) return slots.map(Math.round);
  }
  // Weights like 33.3/33.3/33.4: largest remainder on a block of 100.
  const raw = weights.map((w) => w);
  const floor = raw.map(Math.floor);
  let left = MAX_BLOCK - floor.reduce((s, v) => s + v, 0);
  const order = raw.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) if (left-- > 0) floor[i]++;
  return floor;
}

/** A salted shuffle (Fisher–Yates driven by SHA-256 buckets) of arm indexes repeated by their slot counts. */
function shuffledSlots(counts: number[], salt: string): number[] {
  const slots: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) slots.push(i);
  });
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor((bucket(salt, String(i)) / 100) * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

/** Arm index of the `seq`-th arrival (0-based) of a stratum under permuted blocks. */
export function blockArm(weights: number[], salt: string, stratum: string, seq: number): number {
  const slots = blockSlots(weights);
  const size = slots.reduce((s, v) => s + v, 0);
  const block = Math.floor(seq / size);
  return shuffledSlots(slots, `${salt}\u0000${stratum}\u0000block-${block}`)[seq % size];
}

const quotaCache = new Map<string, number[]>();

/** Arm index of the `seq`-th arrival under exact quotas, or null once every quota is full. */
export function quotaArm(quotas: number[], salt: string, seq: number): number | null {
  const total = quotas.reduce((s, v) => s + v, 0);
  if (seq >= total) return null;
  const key = `${salt}\u0000${quotas.join(',')}`;
  let perm = quotaCache.get(key);
  if (!perm) {
    if (quotaCache.size > 64) quotaCache.clear();
    quotaCache.set(key, (perm = shuffledSlots(quotas, `${salt}\u0000quota`)));
  }
  return perm[seq];
}
