import type { Lang } from './i18n.js';

/**
 * Under a customer search that found more than the list shows (the designer asks for 20): how many
 * matched and how to narrow it down, so a marketer who typed "c" does not take the first 20 for
 * everyone; null when the list shows them all.
 */
export function moreCustomersWords(lang: Lang, total: number | undefined, shown: number): string | null {
  if (total === undefined || total <= shown) return null;
  return lang === 'zh'
    ? `共 ${total.toLocaleString('zh-CN')} 位顾客符合，这里只显示前 ${shown} 位：输入更完整的编号、姓名、电话或邮箱缩小范围`
    : `${total.toLocaleString('en')} customers match; only the first ${shown} are shown: type more of the id, name, phone or e-mail`;
}
