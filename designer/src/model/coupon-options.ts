import { formatMoney } from './format.js';
import type { Lang } from './i18n.js';

/** A coupon template as GET /api/coupons lists it (rules/coupons.yaml). */
export interface CouponChoice {
  id: string;
  name: string;
  amount: number;
  minSpend: number;
}

export interface CouponOption {
  value: string;
  label: string;
}

/** The select value of a one-off coupon written in the flow file (`coupon: {value, …}`), which the select keeps as it is. */
export const ONE_OFF = '__one-off__';

/**
 * The choices of a send node's coupon: none, then the templates of rules/coupons.yaml. The flow
 * stores a template by its id (`coupon: welcome-back-10`), so the select's value is that id. A
 * value the list does not hold (a template since removed, a one-off coupon from the file) stays
 * selectable, so opening the node never changes it.
 */
export function couponOptions(lang: Lang, templates: readonly CouponChoice[], value: unknown): CouponOption[] {
  const zh = lang === 'zh';
  const money = (n: number) => formatMoney(lang, n);
  const out: CouponOption[] = [{ value: '', label: zh ? '无' : 'None' }];
  for (const t of templates) {
    const terms = t.minSpend > 0 ? (zh ? `${money(t.amount)}，满 ${money(t.minSpend)} 可用` : `${money(t.amount)} off ${money(t.minSpend)}`) : zh ? `${money(t.amount)}，无门槛` : `${money(t.amount)}, no minimum`;
    out.push({ value: t.id, label: zh ? `${t.name}（${t.id}，${terms}）` : `${t.name} (${t.id}, ${terms})` });
  }
  if (typeof value === 'string' && value && !templates.some((t) => t.id === value)) {
    out.push({ value, label: zh ? `${value}（不在 coupons.yaml 中）` : `${value} (not in coupons.yaml)` });
  } else if (value && typeof value === 'object') {
    const v = (value as { value?: unknown }).value;
    out.push({ value: ONE_OFF, label: zh ? `一次性券 ${money(Number(v))}（在旅程文件中设置）` : `One-off coupon ${money(Number(v))} (set in the flow file)` });
  }
  return out;
}

/** The select's value for what the flow stores. */
export const couponSelectValue = (value: unknown): string => (typeof value === 'string' ? value : value && typeof value === 'object' ? ONE_OFF : '');

/** What the flow stores for a chosen option: the template id, nothing for none, the one-off coupon unchanged. */
export const couponFromSelect = (selected: string, before: unknown): unknown => (selected === '' ? undefined : selected === ONE_OFF ? before : selected);
