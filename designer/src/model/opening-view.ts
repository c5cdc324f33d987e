/**
 * Where the canvas opens on a journey: the whole journey when its cards can still be read at the
 * zoom that fits it, else the journey's start at the smallest readable zoom, the rest a pan (or
 * the fit-view button, or the minimap) away.
 *
 * Fitting every step of the Double-11 campaign (30 steps) into a 1366×768 window zooms out to
 * 0.31: the cards' 12 px text comes out under 4 px, boxes with no words a marketer can read. A
 * card's text stays readable down to READABLE_TEXT_PX on screen, so no view opens below
 * READABLE_ZOOM; a journey that fits above it opens fitted, as before.
 */

/** A step's box on the canvas, in flow coordinates (React Flow's position and measured size). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** Room kept clear along each edge of the canvas, in screen pixels (FIT_VIEW's padding: the minimap and zoom buttons sit in the bottom band). */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}
/** React Flow's viewport: a flow point p is drawn at (p.x × zoom + x, p.y × zoom + y). */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** The cards' text size (`.step` in styles.css: the step type and label). */
export const CARD_TEXT_PX = 12;
/** The smallest on-screen size the cards' text may have when a journey opens. */
export const READABLE_TEXT_PX = 9;
/** The zoom below which the cards' text is smaller than READABLE_TEXT_PX. */
export const READABLE_ZOOM = READABLE_TEXT_PX / CARD_TEXT_PX;

export interface OpeningInput {
  steps: Box[];
  /** The step the view starts from when the journey does not fit readably: the entry (or the step just added). */
  anchor?: Box;
  /** The canvas's size in screen pixels. */
  canvas: { width: number; height: number };
  insets: Insets;
  /** The canvas's zoom range (React Flow's minZoom / maxZoom). */
  minZoom: number;
  maxZoom: number;
  /** Default READABLE_ZOOM. */
  readableZoom?: number;
}

/** Either fit every step (as React Flow's fitView with the same insets does), or this viewport. */
export type Opening = { fitsAll: true; zoom: number } | { fitsAll: false; viewport: Viewport };

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

export function boundsOf(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
}

/** The zoom at which every step fits inside the insets (React Flow's getViewportForBounds, px paddings). */
export function fitZoom(bounds: Box, canvas: { width: number; height: number }, insets: Insets, minZoom: number, maxZoom: number): number {
  const w = canvas.width - Math.floor(insets.left) - Math.floor(insets.right);
  const h = canvas.height - Math.floor(insets.top) - Math.floor(insets.bottom);
  return clamp(Math.min(w / bounds.width, h / bounds.height), minZoom, maxZoom);
}

/**
 * One axis of the readable view: the flow's span fits → centred as fitting would; else the view
 * is centred on the anchor and then slid back inside the flow's span, so it shows as much of the
 * journey as it can: an entry at the top of the flow ends up at the top of the view.
 */
function start(span: { from: number; size: number }, anchorCentre: number, visible: number): number {
  if (span.size <= visible) return span.from + span.size / 2 - visible / 2;
  return clamp(anchorCentre - visible / 2, span.from, span.from + span.size - visible);
}

/**
 * The opening view for these steps on this canvas. Fits all when the fitted zoom keeps the text
 * readable (or the canvas cannot be measured yet); otherwise the readable zoom (never above
 * maxZoom), the anchor (default: the flow's top-left corner) in view and inside the insets.
 */
export function openingView(input: OpeningInput): Opening {
  const { steps, canvas, insets, minZoom, maxZoom } = input;
  const readable = Math.min(input.readableZoom ?? READABLE_ZOOM, maxZoom);
  if (!steps.length || canvas.width <= 0 || canvas.height <= 0) return { fitsAll: true, zoom: 1 };
  const bounds = boundsOf(steps);
  const zoom = fitZoom(bounds, canvas, insets, minZoom, maxZoom);
  if (zoom >= readable) return { fitsAll: true, zoom };
  const visibleW = Math.max(canvas.width - insets.left - insets.right, 1) / readable;
  const visibleH = Math.max(canvas.height - insets.top - insets.bottom, 1) / readable;
  const a = input.anchor ?? { x: bounds.x, y: bounds.y, width: 0, height: 0 };
  const left = start({ from: bounds.x, size: bounds.width }, a.x + a.width / 2, visibleW);
  const top = start({ from: bounds.y, size: bounds.height }, a.y + a.height / 2, visibleH);
  return { fitsAll: false, viewport: { x: insets.left - left * readable, y: insets.top - top * readable, zoom: readable } };
}

/**
 * Whether two viewports are the same view: React Flow's pan and zoom go through a d3 transform and
 * come back with float noise, so a view read back after setting it is never bit-equal to it.
 */
export function sameViewport(a: Viewport, b: Viewport): boolean {
  return Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.zoom - b.zoom) < 1e-3;
}
