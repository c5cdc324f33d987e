import { PLACEHOLDER } from '../engine/template.js';

/**
 * The text of a held-back message, as the send log shows it. A blocked or skipped message issues no
 * coupon, so the engine stores its text rendered without one: "送您元新品券，满可用，前有效", holes an
 * analyst reads as a broken template. Given the node's template, each `{{coupon…}}` hole is filled
 * with a readable stand-in (送您〈券面额〉元新品券…), so the row says what the customer would have got
 * and plainly that no coupon was given. Every other placeholder keeps the value it was rendered with.
 */

/** The stand-in for each coupon field; `{{coupon}}` alone prints the code. */
export const COUPON_STAND_INS: Readonly<Record<string, string>> = {
  coupon: '〈券码〉',
  'coupon.code': '〈券码〉',
  'coupon.amount': '〈券面额〉',
  'coupon.minSpend': '〈使用门槛〉',
  'coupon.threshold': '〈使用门槛〉',
  'coupon.expires': '〈有效期〉',
};
const OTHER_COUPON_FIELD = '〈券〉';

const isCouponPath = (path: string) => path === 'coupon' || path.startsWith('coupon.');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `stored` with the coupon holes of `template` filled by stand-ins, or `stored` unchanged when the
 * template names no coupon or the text does not line up with it (a row stored when held-back
 * messages still carried their coupon, or a template edited since).
 */
export function withCouponStandIns(template: string | null | undefined, stored: string | null): string | null {
  if (!template || stored === null) return stored;
  const parts: { text: string; path: string | null }[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push({ text: template.slice(last, m.index), path: m[1] });
    last = m.index! + m[0].length;
  }
  if (!parts.some((p) => p.path !== null && isCouponPath(p.path))) return stored;
  parts.push({ text: template.slice(last), path: null });
  // Coupon holes rendered as empty text; every other placeholder as whatever it rendered to.
  let pattern = '^';
  for (const p of parts) pattern += escape(p.text) + (p.path === null || isCouponPath(p.path) ? '' : '([\\s\\S]*?)');
  const m = new RegExp(pattern + '$').exec(stored);
  if (!m) return stored;
  let out = '';
  let group = 1;
  for (const p of parts) {
    out += p.text;
    if (p.path === null) continue;
    out += isCouponPath(p.path) ? (COUPON_STAND_INS[p.path] ?? OTHER_COUPON_FIELD) : m[group++];
  }
  return out;
}
