import { hash } from 'node:crypto';

/**
 * A point in [0, 100) from a salted SHA-256 of the subject: uniform, stable across runs and machines.
 * One-shot `hash` of `salt \0 subject` (the same bytes, so the same digest, as a Hash object fed the
 * three parts): a split hashes every new customer, and the Hash object with its three `update`
 * calls cost about twice the one-shot call (bench/README.md, w-engine4).
 */
export function bucket(salt: string, subject: string): number {
  const h = hash('sha256', `${salt}\u0000${subject}`, 'buffer');
  return (h.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

export function pickArm<A extends { weight: number }>(arms: readonly A[], salt: string, subject: string): A {
  const x = bucket(salt, subject);
  let acc = 0;
  for (const a of arms) {
    acc += a.weight;
    if (x < acc) return a;
  }
  return arms[arms.length - 1];
}
