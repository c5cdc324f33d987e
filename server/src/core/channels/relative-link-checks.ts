import { templatePaths } from '../engine/template.js';
import type { PathProblem } from '../flow/problems.js';

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/**
 * Send nodes whose tracked link would go out relative. The send step writes `{{link}}` as
 * `<publicBaseUrl>/r/<token>` only with a `publicBaseUrl` (rules/channels.yaml, else
 * REKINDLE_PUBLIC_BASE_URL; tracked-link.ts); without it the SMS reads "…：/r/SrVd51CB8qr6 回T退订",
 * a link no customer can open. The designer's preview says so (linkAbsolute); this is the same
 * verdict for `rekindle validate`: a warning on each send with a link target (`link:`) or a
 * `{{link}}` in its texts, placed on the `link:` line when there is one.
 */
export function checkRelativeLinks(nodes: readonly unknown[], publicBaseUrl: string | null): PathProblem[] {
  if (publicBaseUrl) return [];
  const out: PathProblem[] = [];
  nodes.forEach((n, i) => {
    const node = asObject(n);
    if (!node || node.type !== 'send') return;
    const hasTarget = typeof node.link === 'string' && node.link.trim() !== '';
    const inText = (['template', 'subject'] as const).find((f) => typeof node[f] === 'string' && templatePaths(node[f] as string).includes('link'));
    if (!hasTarget && !inText) return;
    out.push({
      path: ['nodes', i, hasTarget ? 'link' : inText!],
      nodeId: typeof node.id === 'string' ? node.id : null,
      message: 'the tracked link would go out as a relative path (/r/…) that customers cannot open: set publicBaseUrl in rules/channels.yaml (e.g. https://crm.shop.example.com)',
      severity: 'warning',
      cause: 'relative-link',
    });
  });
  return out;
}
