/**
 * The designer's view of a flow: the same shape as a flow file (server/src/core/flow/schema.ts),
 * but loose, because a drawing in progress is not valid yet (an edge not connected, a field
 * left empty). The server checks it with the real schema (POST /api/flows/validate).
 */
export const NODE_TYPES = ['entry', 'condition', 'switch', 'split', 'wait', 'waitForEvent', 'send', 'action', 'limit', 'exit'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface DraftNode {
  id: string;
  type: NodeType;
  label?: string;
  [field: string]: unknown;
}

export interface DraftFlow {
  id: string;
  name: string;
  nodes: DraftNode[];
  [field: string]: unknown;
}

export interface Position {
  x: number;
  y: number;
}
export interface Layout {
  positions: Record<string, Position>;
}

/** A problem as the server reports it (core/flow/problems.ts). */
export interface Problem {
  line: number;
  nodeId: string | null;
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** Per-node counts (persistence/flow-report.ts). */
export interface NodeReport {
  nodeId: string;
  outcomes: Record<string, number>;
  waiting: number;
}
