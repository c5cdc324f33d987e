import { createHash } from 'node:crypto';

/** A point in [0, 100) from a salted SHA-256 of the subject: uniform, stable across runs and machines. */
export function bucket(salt: string, subject: string): number {
  const h = createHash('sha256').update(salt).update('\u0000').update(subject).digest();
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
