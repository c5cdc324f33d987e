/**
 * Whether a journey has figures to read (实时数据 on the canvas, a send step's responses by group
 * and products): a published version, or — on a server opened on a simulation's copy — its
 * simulation (GET /api/flows says `simulated`; the figures are then read by the journey's own id).
 * A journey simulated with `rekindle simulate --copy-of` but never published in the live shop had
 * its 实时数据 greyed out, while the journeys home showed the simulation's figures (walkthrough).
 */
export function hasFiguresToRead(summary: { currentVersion: number | null; simulated?: boolean } | undefined): boolean {
  return summary?.currentVersion != null || summary?.simulated === true;
}
