import { formatCount, formatDate, formatMoney } from './format.js';
import type { Lang } from './i18n.js';

/**
 * What POST /api/flows/:id/simulate answers as `broughtForward` when the simulation starts after
 * the shop's last order: the copy of the shop lived until the start (persistence/simulated-gap.ts).
 */
export interface BroughtForward {
  /** The shop's newest order (ISO): where its data ended. */
  dataEnd: string;
  /** The simulation's start (ISO). */
  start: string;
  buyers: number;
  orders: number;
  revenue: number;
  /** Unpaid orders closed (left unpaid two days) and fresh ones placed, unpaid, in the last two days. */
  unpaidClosed: number;
  unpaidPlaced: number;
}

/**
 * The gap between the shop's data and the simulation's start, in one line for the summary
 * ("店铺数据到 2026/11/29 为止；模拟前先让顾客按各自的购买习惯继续购买到开始日：…"); null when the
 * server brought nothing forward. The CLI says the same in English (cli/commands/simulate.ts gapLines).
 */
export function broughtForwardWords(lang: Lang, g: BroughtForward | null | undefined, timeZone?: string): string | null {
  if (!g) return null;
  const end = formatDate(lang, Date.parse(g.dataEnd), timeZone);
  const n = (x: number) => formatCount(lang, x);
  const money = formatMoney(lang, g.revenue);
  if (lang === 'zh') {
    const unpaid = g.unpaidClosed || g.unpaidPlaced ? `；${n(g.unpaidClosed)} 笔超过两天未付款的订单已关闭，${n(g.unpaidPlaced)} 笔新下单未付款` : '';
    return `店铺数据到 ${end} 为止；模拟前先让顾客按各自的购买习惯继续购买到开始日：${n(g.buyers)} 位顾客付款 ${n(g.orders)} 单，金额 ${money}${unpaid}`;
  }
  const unpaid = g.unpaidClosed || g.unpaidPlaced ? `; ${n(g.unpaidClosed)} orders left unpaid over two days closed, ${n(g.unpaidPlaced)} placed and not yet paid` : '';
  return `The shop's data ends ${end}; before the simulation, customers kept buying at their own rate until the start: ${n(g.buyers)} customers paid ${n(g.orders)} orders worth ${money}${unpaid}`;
}
