/**
 * What 所属活动 offers: the campaigns the shop's other journeys belong to, each once, in order.
 * Journeys of one campaign share its caps only when they name it alike, so the marketer picks
 * "double11-2027" rather than retyping it ("double11_2027" would be a campaign of its own); a new
 * one can still be typed.
 */
export function campaignChoices(flows: readonly { id: string; campaign?: string | null }[], flowId: string): string[] {
  const names = flows.filter((f) => f.id !== flowId).map((f) => f.campaign?.trim() ?? '').filter((c) => c !== '');
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}
