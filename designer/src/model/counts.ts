import type { NodeReport } from './types.js';

/**
 * What a node shows of a run (live or simulated): the funnel when there is one (entered,
 * waiting, sent, blocked by reason, responded, converted, exited), else the journey log's
 * outcomes. Pure, so the canvas only renders the lines.
 */
export interface FunnelNode {
  nodeId: string;
  entered: number;
  waiting: number;
  sent: number;
  /** Of `sent`, still in the outbox (not delivered yet); absent from older servers. */
  queued?: number;
  blocked: Record<string, number>;
  /** Not delivered by the channel (its own line, never a block-list reason); absent from older servers. */
  failed?: number;
  /** The commonest delivery errors of those, summarised by the server. */
  failedErrors?: Record<string, number>;
  /** Answers at a wait-for-event step; a send step's answers are clicked and redeemed. */
  responded: number;
  /** A send step's messages whose link was clicked; absent from older servers. */
  clicked?: number;
  /** A send step's coupons used in a paid order; absent from older servers. */
  redeemed?: number;
  /** Of those, used after the journey had ended: never its conversion (its own line beside 用券下单 / 转化). */
  redeemedAfterEnd?: number;
  converted: number;
  exited: number;
}

/** How often the editor reads the live numbers again while they are shown (the intake line beside them polls every 5 s). */
export const LIVE_COUNTS_EVERY_MS = 10_000;

export interface NodeCounts extends NodeReport {
  funnel?: FunnelNode;
}

export function mergeCounts(report: readonly NodeReport[], funnel: readonly FunnelNode[] | null | undefined): NodeCounts[] {
  const ids = [...new Set([...report.map((r) => r.nodeId), ...(funnel ?? []).map((f) => f.nodeId)])];
  return ids.map((id) => ({
    ...(report.find((r) => r.nodeId === id) ?? { nodeId: id, outcomes: {}, waiting: 0 }),
    funnel: funnel?.find((f) => f.nodeId === id),
  }));
}

/** The delivery errors behind a node's "failed" count, one "error ×n" a line (the card's tooltip). */
export function failedErrorLines(c: NodeCounts, words: (error: string) => string = (e) => e): string[] {
  return Object.entries(c.funnel?.failedErrors ?? {}).map(([e, n]) => `${words(e)} ×${n}`);
}

/** [label key or outcome name, value] pairs; zeros left out except "entered". Keys starting with "counts." are i18n keys. */
export function countLines(c: NodeCounts): [string, number][] {
  const f = c.funnel;
  if (!f) return [...Object.entries(c.outcomes), ...(c.waiting ? [['counts.waiting', c.waiting] as [string, number]] : [])];
  const lines: [string, number][] = [['counts.entered', f.entered]];
  const add = (key: string, n: number) => n > 0 && lines.push([key, n]);
  add('counts.waiting', f.waiting);
  // The server's sent counts the outbox's messages too: 已发送 only what has gone out, 排队待发 the rest
  // (a Double-11 midnight leaves tens of thousands queued for minutes; the card said 已发送 for them).
  add('counts.sent', f.sent - (f.queued ?? 0));
  add('counts.queued', f.queued ?? 0);
  for (const [reason, n] of Object.entries(f.blocked).sort()) add(`blocked:${reason}`, n);
  add('counts.failed', f.failed ?? 0);
  add('counts.responded', f.responded);
  add('counts.clicked', f.clicked ?? 0);
  add('counts.redeemed', f.redeemed ?? 0);
  // "用券下单 134 · 转化 0" read as a contradiction: say how many of them came after the journey ended.
  add('counts.redeemedAfterEnd', f.redeemedAfterEnd ?? 0);
  add('counts.converted', f.converted);
  add('counts.exited', f.exited);
  return lines;
}

/**
 * Which numbers the canvas shows once the drawing is published: whatever it showed (a simulation of
 * the draft, or the live run of the version before) gives way to the live numbers of what now runs
 * — none yet on a first publish, the live run's on a new version. Nothing shown stays nothing.
 */
export function countsAfterPublish(shown: 'live' | 'sim' | null): 'live' | null {
  return shown === null ? null : 'live';
}

/** No journey in the numbers at all (a journey just published, before its first run): every figure is 0. */
export function nobodyEntered(nodes: readonly NodeCounts[]): boolean {
  return !nodes.some((n) => (n.funnel?.entered ?? 0) > 0 || n.waiting > 0 || Object.values(n.outcomes).some((v) => v > 0));
}
