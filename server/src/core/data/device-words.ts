/**
 * A customer's device as Chinese shops write it. The import took only `mobile` / `pc`, so a
 * customers file from a Chinese shop (设备: 手机 / 电脑, the words its own back office shows) was
 * refused row by row ("expected one of mobile, pc, got "手机"").
 */
const MOBILE = new Set(['mobile', '手机', '手机端', '移动', '移动端', '无线', '无线端', '手机订单']);
const PC = new Set(['pc', 'pc端', '电脑', '电脑端', '电脑订单']);

/** `mobile`/`pc` for a word of either (any case, spaces around ignored); null for anything else. */
export function deviceOf(text: string): 'mobile' | 'pc' | null {
  const t = text.trim().toLowerCase();
  return MOBILE.has(t) ? 'mobile' : PC.has(t) ? 'pc' : null;
}
