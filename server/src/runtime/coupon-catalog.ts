import { existsSync } from 'node:fs';
import { readRulesFile } from '../core/text/rules-file-text.js';
import { parseCouponText } from '../core/coupons/coupon-text.js';
import type { CouponCatalog } from '../core/coupons/flow-checks.js';
import { couponFile } from '../persistence/coupon-ledger.js';

/**
 * The template ids of rules/coupons.yaml, for flow validation. A broken coupons file gives no
 * catalog (its own problems are reported when it is validated), so flows are not buried under
 * "unknown template" errors caused by one typo there.
 */
export function couponCatalogOf(rulesDir: string): CouponCatalog | null {
  const file = couponFile(rulesDir);
  if (!existsSync(file)) return { has: () => false, ids: () => [] };
  try {
    const ids = [...parseCouponText(readRulesFile(file), file).keys()].sort();
    return { has: (id) => ids.includes(id), ids: () => ids };
  } catch {
    return null;
  }
}
