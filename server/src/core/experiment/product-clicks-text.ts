import { csvCell } from '../text/csv-cell.js';
import { excelCsv, type ExcelColumn } from '../text/excel-sheet.js';
import { yuan } from '../text/money.js';
import { percent } from '../text/signed-number.js';
import type { ProductClicks } from './product-clicks.js';

/** A step's product report as `rekindle report <flow> --products <node>` prints it and exports it. */
export interface ProductClicksReport extends ProductClicks {
  flowId: string;
  nodeId: string;
  link: string | null;
  window: string;
  asOf: number;
}

/** The text report: the step's clicks and what clickers paid, then the products its responders bought. */
export function productClicksText(r: ProductClicksReport, asOfText: string): string {
  const lines = [
    `products and clicks of send step ${r.nodeId} of flow ${r.flowId} (as of ${asOfText}; orders paid within ${r.window})`,
    `link: ${r.link ?? '(the step has no link: nobody could click)'}`,
    '',
    `delivered ${r.delivered}, clicked ${r.clickers} (${percent(r.clickRate)}), of the clickers paid within ${r.window} of their click ${r.clickersPaid} (${percent(r.clickConversion)}) for ${yuan(r.clickersRevenue)}`,
    `responders (paid within ${r.window} of the message, clicked or not) ${r.responders} for ${yuan(r.respondersRevenue)}`,
  ];
  if (r.ordersWithoutItems) lines.push(`${r.ordersWithoutItems} of their orders name no items (no order lines in the shop's data, or a simulation's purchases): counted above, in no product below`);
  lines.push('');
  if (!r.products.length) {
    lines.push(r.responders ? "no product: none of the responders' orders names its items" : 'no product bought by a responder yet');
    return lines.join('\n');
  }
  // "clicked first": of a product's buyers, those who had clicked the link before paying. A product
  // most of whose buyers never clicked sells without the message; the step's clicks against its
  // clickers' purchases above are the link's conversion.
  // "clicks": the step's clickers on the row of the product its link shows (the sku in the URL), else –.
  const rows = [['sku', 'category', 'clicks', 'buyers', 'clicked first', 'quantity', 'revenue']];
  for (const p of r.products) rows.push([p.sku, p.category, p.clickers === null ? '–' : String(p.clickers), String(p.buyers), String(p.clickedBuyers), String(p.quantity), yuan(p.revenue)]);
  const width = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) lines.push(row.map((c, i) => (i < 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ').trimEnd());
  return lines.join('\n');
}

const HEAD = ['flow', 'node', 'sku', 'category', 'clickers', 'buyers', 'clicked_buyers', 'quantity', 'revenue'] as const;
const EXCEL: Record<(typeof HEAD)[number], ExcelColumn> = {
  flow: { label: '旅程', kind: 'id' },
  node: { label: '步骤', kind: 'id' },
  sku: { label: '商品编码', kind: 'id' },
  category: { label: '品类', kind: 'text' },
  clickers: { label: '点击人数', kind: 'number' },
  buyers: { label: '购买人数', kind: 'number' },
  clicked_buyers: { label: '点击后购买', kind: 'number' },
  quantity: { label: '件数', kind: 'number' },
  revenue: { label: '收入(元)', kind: 'money' },
};

/** One row per product (the step's totals are the JSON's and the text's; clickers empty on a product the link does not show); `excel`: the Excel variant (core/text/excel-sheet.ts). */
export function productClicksCsv(r: ProductClicksReport, opts: { excel?: boolean; timezone?: string } = {}): string {
  const rows = r.products.map((p) => [r.flowId, r.nodeId, p.sku, p.category, p.clickers, p.buyers, p.clickedBuyers, p.quantity, p.revenue]);
  if (opts.excel) return excelCsv(HEAD.map((h) => EXCEL[h]), rows, opts.timezone ?? 'UTC');
  return [[...HEAD], ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/**
 * Every send step of a flow side by side (`rekindle report <flow> --products`): delivered, clicked,
 * the click rate, clickers who paid within the window of their click and their share, responders
 * and their revenue, then the link, last (long). The products are each step's own report.
 */
export function stepClicksText(r: { flowId: string; window: string; steps: (ProductClicks & { nodeId: string; link: string | null })[] }, asOfText: string): string {
  const lines = [`clicks against sales of the send steps of flow ${r.flowId} (as of ${asOfText}; orders paid within ${r.window})`, ''];
  if (!r.steps.length) return [...lines, 'the flow has no send step'].join('\n');
  const rows = [['step', 'delivered', 'clicked', 'click rate', 'clickers paid', 'conv.', 'responders', 'revenue', 'link']];
  for (const s of r.steps) rows.push([s.nodeId, String(s.delivered), String(s.clickers), percent(s.clickRate), String(s.clickersPaid), s.clickers ? percent(s.clickConversion) : '–', String(s.responders), yuan(s.respondersRevenue), s.link ?? '–']);
  const last = rows[0].length - 1;
  const width = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) lines.push(row.map((c, i) => (i === 0 ? c.padEnd(width[i]) : i === last ? c : c.padStart(width[i]))).join('  ').trimEnd());
  lines.push('', `the products a step's responders bought: rekindle report <flow> --products <step>`);
  return lines.join('\n');
}
