import { BaseEdge, getBezierPath, Position, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { labelSpot, type CardBox } from '../../model/edge-label-spot.js';

/** What the editor hands an edge that carries a count label: the cards its label must keep clear of. */
export type CountEdgeData = { handle: string; cards?: readonly CardBox[] };

/**
 * React Flow's bezier edge with its label moved off the cards (model/edge-label-spot.ts): the same
 * curve, the label where no card covers it.
 */
export const CountEdge = memo(function CountEdge(p: EdgeProps<Edge<CountEdgeData>>) {
  const [path, midX, midY] = getBezierPath({
    sourceX: p.sourceX,
    sourceY: p.sourceY,
    sourcePosition: p.sourcePosition ?? Position.Bottom,
    targetX: p.targetX,
    targetY: p.targetY,
    targetPosition: p.targetPosition ?? Position.Top,
  });
  const spot =
    typeof p.label === 'string' && p.data?.cards
      ? labelSpot({ x: p.sourceX, y: p.sourceY }, { x: p.targetX, y: p.targetY }, p.label, p.data.cards)
      : { x: midX, y: midY };
  return (
    <BaseEdge
      path={path}
      labelX={spot.x}
      labelY={spot.y}
      label={p.label}
      labelStyle={p.labelStyle}
      labelShowBg={p.labelShowBg}
      labelBgStyle={p.labelBgStyle}
      labelBgPadding={p.labelBgPadding}
      labelBgBorderRadius={p.labelBgBorderRadius}
      style={p.style}
      markerEnd={p.markerEnd}
      markerStart={p.markerStart}
      interactionWidth={p.interactionWidth}
    />
  );
});

export const EDGE_TYPES_RF = { counted: CountEdge };
