import { DURATION_PATTERN, parseDuration } from './duration.js';
import type { PathProblem } from './problems.js';

/** Longer than this is almost certainly a slip (99999天 for 9天, minutes typed as days). */
export const LONGEST_SENSIBLE_WAIT_DAYS = 365;
const LONGEST_MS = LONGEST_SENSIBLE_WAIT_DAYS * 86_400_000;

type Raw = Record<string, unknown>;
const asObject = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/**
 * A wait (`duration`) or a response window (`within`) longer than a year: the schema accepts any
 * number ("99999d" is a duration), and the card then reads 等待 99999 天 with nothing said, while
 * every customer who reaches it sits there for 270 years. A warning, not an error: a shop may mean
 * a long wait (an anniversary journey), and a flow already live must still republish. Works on the
 * raw nodes, like the graph checks, so it also runs when the schema fails; a malformed duration is
 * the schema's to report.
 */
export function checkWaitLengths(nodes: readonly unknown[]): PathProblem[] {
  const out: PathProblem[] = [];
  nodes.forEach((n, i) => {
    const node = asObject(n);
    if (!node) return;
    const field = node.type === 'wait' ? 'duration' : node.type === 'waitForEvent' ? 'within' : null;
    const value = field ? node[field] : undefined;
    if (!field || typeof value !== 'string' || !DURATION_PATTERN.test(value)) return;
    const ms = parseDuration(value);
    if (ms <= LONGEST_MS) return;
    out.push({
      path: ['nodes', i, field],
      nodeId: typeof node.id === 'string' ? node.id : null,
      severity: 'warning',
      message: `${field} ${value} is ${Math.round(ms / 86_400_000)} days, longer than ${LONGEST_SENSIBLE_WAIT_DAYS} days: every customer who reaches this step waits that long; check the number (hours or days meant?)`,
    });
  });
  return out;
}
