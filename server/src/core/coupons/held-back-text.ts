import { PLACEHOLDER } from '../engine/template.js';

/**
 * The text of a held-back message. A blocked or skipped message issues no coupon, so its text has
 * no coupon to name: rendered empty ("送您元新品券，满可用，前有效") an analyst reads it as a broken
 * template. The engine renders it with readable stand-ins instead (COUPON_STAND_IN_VARS: 送您〈券面额〉
 * 元新品券…) and stores that text, so the send log, its export, `explain` and the customer view all
 * read the same row: what the customer would have got, and plainly that no coupon was given.
 * withCouponStandIns fills the holes of rows stored before the engine did (rendered empty).
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

/** The template variables of a coupon that was not given (the engine renders held-back texts with them). */
export const COUPON_STAND_IN_VARS: Readonly<Record<string, unknown>> = {
  code: COUPON_STAND_INS['coupon.code'],
  amount: COUPON_STAND_INS['coupon.amount'],
  minSpend: COUPON_STAND_INS['coupon.minSpend'],
  threshold: COUPON_STAND_INS['coupon.threshold'],
  expires: COUPON_STAND_INS['coupon.expires'],
  toString: () => COUPON_STAND_INS.coupon,
};

const isCouponPath = (path: string) => path === 'coupon' || path.startsWith('coupon.');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `stored` (a row written before the engine stored stand-ins) with the coupon holes of `template` filled by stand-ins, or `stored` unchanged when the
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
