import { MS_PER_DAY } from '../clock.js';
import { bucket } from '../engine/split-assignment.js';
import type { NodeOfType } from '../flow/schema.js';

export type GroupLimit = NonNullable<NodeOfType<'entry'>['limit']>;

export interface Limited<C> {
  /** Candidates that enter, with their group label and entry instant. */
  admitted: { candidate: C; label: string; enteredAt: number }[];
  /** Cut by `first` (group full). */
  cut: number;
  /** Entering on a later day (`spread`). */
  deferred: number;
  /** Size of each group. */
  groups: Record<string, number>;
}

/**
 * Applies an entry audience's group-size limit (Double 11: every group at most 30,000 so each
 * group's response can be analysed). Candidates are ordered by the limit's fact (ties and a
 * missing `by` fall back to a stable random order: a salted hash of the customer id, the same on
 * every run and machine), then:
 *  - split: into ceil(n / max) groups of near-equal size, consecutive in that order;
 *  - first: the first max enter, the rest are cut;
 *  - spread: max per day; the rest enter on the following days (group label = entry day).
 */
export function applyGroupLimit<C extends { customerId: number }>(
  limit: GroupLimit,
  candidates: C[],
  values: Map<number, number | null> | null,
  salt: string,
  now: number,
  prefix: string,
): Limited<C> {
  const rand = new Map(candidates.map((c) => [c.customerId, bucket(salt, String(c.customerId))]));
  const sign = limit.order === 'desc' ? -1 : 1;
  const ordered = [...candidates].sort((a, b) => {
    if (values) {
      const va = values.get(a.customerId) ?? null;
      const vb = values.get(b.customerId) ?? null;
      if (va !== vb) {
        if (va === null) return 1; // customers without the fact go last
        if (vb === null) return -1;
        return sign * (va - vb);
      }
    }
    return rand.get(a.customerId)! - rand.get(b.customerId)! || a.customerId - b.customerId;
  });
  const n = ordered.length;
  const out: Limited<C> = { admitted: [], cut: 0, deferred: 0, groups: {} };
  const add = (candidate: C, label: string, enteredAt: number) => {
    out.admitted.push({ candidate, label, enteredAt });
    out.groups[label] = (out.groups[label] ?? 0) + 1;
  };
  if (limit.mode === 'first') {
    ordered.slice(0, limit.max).forEach((c) => add(c, `${prefix}`, now));
    out.cut = Math.max(0, n - limit.max);
  } else if (limit.mode === 'spread') {
    ordered.forEach((c, i) => {
      const day = Math.floor(i / limit.max);
      if (day > 0) out.deferred++;
      add(c, `${prefix}:day-${day + 1}`, now + day * MS_PER_DAY);
    });
  } else {
    const k = Math.max(1, Math.ceil(n / limit.max));
    ordered.forEach((c, i) => add(c, `${prefix}:g${Math.floor((i * k) / n) + 1}`, now));
  }
  return out;
}
