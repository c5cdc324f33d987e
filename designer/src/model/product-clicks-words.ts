import { formatAmount, formatCount, formatPercent } from './format.js';
import type { Lang } from './i18n.js';
import type { ProductClicks } from '../../../server/src/core/experiment/product-clicks.js';

/** GET /api/flows/:id/nodes/:node/products: the server's figures (one type, server/src/core/experiment/product-clicks.ts) and what they are of. */
export interface ProductClicksReply extends ProductClicks {
  flowId: string;
  nodeId: string;
  link: string | null;
  window: string;
}

export interface ProductRowWords {
  sku: string;
  category: string;
  clickers: string;
  buyers: string;
  clickedBuyers: string;
  revenue: string;
}

/** The products table in the server's order (buyers, then revenue); "–" for clicks on a product the link does not show. */
export function productRows(lang: Lang, r: ProductClicksReply): ProductRowWords[] {
  return r.products.map((p) => ({
    sku: p.sku,
    category: p.category,
    clickers: p.clickers === null ? '–' : formatCount(lang, p.clickers),
    buyers: formatCount(lang, p.buyers),
    clickedBuyers: formatCount(lang, p.clickedBuyers),
    revenue: formatAmount(lang, p.revenue),
  }));
}

/**
 * The step's own line above the table: delivered, clicked, and how many clickers paid within the
 * window after their click, so a link clicked often and bought from rarely reads at a glance.
 */
export function productClicksSummary(lang: Lang, r: ProductClicksReply): string {
  const n = (v: number) => formatCount(lang, v);
  const days = windowWords(lang, r.window);
  if (lang === 'zh') {
    const head = `送达 ${n(r.delivered)} 人，点击 ${n(r.clickers)} 人（${formatPercent(r.clickRate)}），点击后${days}内付款 ${n(r.clickersPaid)} 人（${formatPercent(r.clickConversion)}），${formatAmount(lang, r.clickersRevenue)}；发送后${days}内付款 ${n(r.responders)} 人，${formatAmount(lang, r.respondersRevenue)}`;
    return r.ordersWithoutItems ? `${head}；其中 ${n(r.ordersWithoutItems)} 笔订单没有商品明细，不在下表` : head;
  }
  const head = `delivered ${n(r.delivered)}, clicked ${n(r.clickers)} (${formatPercent(r.clickRate)}), paid within ${days} of clicking ${n(r.clickersPaid)} (${formatPercent(r.clickConversion)}), ${formatAmount(lang, r.clickersRevenue)}; paid within ${days} of the message ${n(r.responders)}, ${formatAmount(lang, r.respondersRevenue)}`;
  return r.ordersWithoutItems ? `${head}; ${n(r.ordersWithoutItems)} of their orders name no items and are not in the table` : head;
}

/** `7d` → 7 天 / 7 days; another duration as written. */
function windowWords(lang: Lang, w: string): string {
  const m = /^(\d+)d$/.exec(w);
  if (!m) return lang === 'zh' ? ` ${w} ` : w;
  return lang === 'zh' ? ` ${m[1]} 天` : `${m[1]} days`;
}
