/**
 * What erasing a customer's personal data (PIPL 删除权) leaves of their texts. The rows that
 * carry them stay, so counts, caps, funnels and experiment reports add up as before; only the
 * words that could say who the person is are replaced.
 */
export const ERASED_TEXT = '〈已删除〉';

/**
 * Event properties that name the shop's own things (orders, messages, journeys, coupons), not
 * the person: an erased customer's events keep them so reports still join orders, clicks and
 * coupons to the messages that earned them. Every other text is replaced.
 */
const REFERENCE_KEYS = new Set(['orderId', 'sendId', 'flowId', 'nodeId', 'code', 'couponCode', 'template', 'promotion', 'status', 'channel', 'category', 'currency']);

/**
 * An event's properties with their personal text gone: numbers, true/false and null stay (amounts
 * feed revenue figures), so do the reference keys above; any other text, list or object becomes
 * ERASED_TEXT. Null when nothing changes, so untouched rows are not rewritten.
 */
export function erasedProperties(properties: Record<string, unknown>): Record<string, unknown> | null {
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(properties)) {
    const keep = v === null || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && (REFERENCE_KEYS.has(k) || v === ERASED_TEXT));
    out[k] = keep ? v : ERASED_TEXT;
    if (!keep) changed = true;
  }
  return changed ? out : null;
}
