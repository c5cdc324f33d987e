/**
 * Where a node's branch handles sit so their labels never overlap: each label gets a slot as
 * wide as its text (estimated from its characters at the 11px label font), the slots are
 * centred in the card, and the card grows when the labels need more room than it has (the
 * Double-11 switch with 8 groups gets a wide card instead of labels printed over each other).
 */
export const LABEL_GAP = 10;
const PADDING = 16;

/** Estimated width in px of a label at 11px: CJK characters are square, Latin ones about half. */
export function labelWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(ch) ? 11.5 : /[A-Z0-9%]/.test(ch) ? 7.5 : 6.5;
  return Math.ceil(w) + 6;
}

export interface HandleSlots {
  /** Width of the card. */
  width: number;
  /** Centre of each handle, px from the card's left edge. */
  centers: number[];
  /** Width reserved for each label. */
  widths: number[];
}

export function handleSlots(labels: readonly string[], minWidth: number): HandleSlots {
  const widths = labels.map(labelWidth);
  const needed = widths.reduce((a, b) => a + b, 0) + LABEL_GAP * Math.max(0, labels.length - 1) + PADDING;
  const width = Math.max(minWidth, needed);
  // Spread the spare room evenly between the slots.
  const spare = (width - needed) / (labels.length + 1);
  const centers: number[] = [];
  let x = PADDING / 2 + spare;
  for (const w of widths) {
    centers.push(x + w / 2);
    x += w + LABEL_GAP + spare;
  }
  return { width, centers, widths };
}
