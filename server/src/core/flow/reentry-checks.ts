import type { PathProblem } from './problems.js';

/**
 * Re-entry where it means nothing: a one-off audience (`trigger.type: audience`) runs once, at its
 * startAt (core/engine/schedule.ts: never again once it ran), and each customer of it enters once
 * (entry key `audience:<customer>`), so `reentry: after | always` changes nothing; a file that
 * sets it suggests its writer expected the campaign to repeat. A warning on the policy's line.
 * `never` (the default, written out by the canonical form) is what such an entry does anyway.
 */
export function checkReentry(nodes: readonly unknown[]): PathProblem[] {
  const out: PathProblem[] = [];
  nodes.forEach((raw, index) => {
    const n = raw as Record<string, unknown> | null;
    if (!n || typeof n !== 'object' || n.type !== 'entry') return;
    const trigger = n.trigger as Record<string, unknown> | undefined;
    const reentry = n.reentry as Record<string, unknown> | undefined;
    if (trigger?.type !== 'audience' || !reentry || typeof reentry !== 'object') return;
    if (reentry.policy !== 'after' && reentry.policy !== 'always') return;
    out.push({
      path: ['nodes', index, 'reentry', 'policy'],
      nodeId: typeof n.id === 'string' ? n.id : null,
      severity: 'warning',
      message: `reentry "${reentry.policy}" means nothing for a one-off audience: it enters once, at startAt, and never runs again; remove reentry (or set policy: never), or use a schedule trigger for a campaign that repeats`,
    });
  });
  return out;
}
