/**
 * An analyst's walk-through (w-analyst): the step-numbers CSV (GET /api/flows/:id/funnel?format=csv,
 * `rekindle report <flow> --funnel --csv`) and the text funnel named every step by its internal id
 * only — Double 11's groups read cap-only-d11, cap-never-d11, wave1-sms… — so a Chinese-speaking
 * analyst opening it in Excel had to look each id up on the canvas. The step's card name (its
 * `label`, as the designer shows it) is now the CSV's last column, `label` (scripts reading by
 * position keep working), and the text's last column, `step name`.
 */
import { describe, expect, it } from '@jest/globals';
import { humanFunnel } from '../../server/src/cli/commands/report.js';
import { funnelCsv, nodeLabels, type FunnelNode } from '../../server/src/persistence/flow-report.js';

const node = (nodeId: string, type: string, entered: number, converted: number): FunnelNode => ({ nodeId, type, entered, waiting: 0, sent: 0, queued: 0, blocked: {}, failed: 0, failedErrors: {}, responded: 0, clicked: 0, redeemed: 0, redeemedAfterEnd: 0, messageCost: 0, couponCost: 0, converted, exited: 0 });
const FLOW_NODES = [
  { id: 'start', type: 'entry', label: '双十一全部人群' },
  { id: 'cap-only-d11', type: 'limit', label: '只在双11买过' },
  { id: 'cap-lost', type: 'limit', label: '=流失, 老客' },
  { id: 'done', type: 'exit' },
];
const FUNNEL = { flowId: 'd11', nodes: [node('start', 'entry', 100, 5), node('cap-only-d11', 'limit', 40, 3), node('cap-lost', 'limit', 60, 2), node('done', 'exit', 95, 0), node('gone', 'removed', 1, 0)] };

describe('the funnel names each step by its card name', () => {
  it('takes the card names of the published nodes, leaving out steps without one', () => {
    expect(nodeLabels(FLOW_NODES)).toEqual({ start: '双十一全部人群', 'cap-only-d11': '只在双11买过', 'cap-lost': '=流失, 老客' });
  });

  it('adds them to the CSV as the last column, label, empty for a step without one (and guarded against formulas)', () => {
    const [head, ...rows] = funnelCsv(FUNNEL, { labels: nodeLabels(FLOW_NODES) }).trimEnd().split('\n');
    const cols = head.split(',');
    expect(cols.at(-1)).toBe('label');
    expect(cols.at(-2)).toBe('coupon_cost');
    expect(rows[0].endsWith(',双十一全部人群')).toBe(true);
    expect(rows[1].endsWith(',只在双11买过')).toBe(true);
    // A name with a comma is quoted, one starting with = is not run as a formula by the spreadsheet.
    expect(rows[2].endsWith(`,"'=流失, 老客"`)).toBe(true);
    expect(rows[3].endsWith(',')).toBe(true);
    expect(rows[4].endsWith(',')).toBe(true);
    // Every row as many cells as the header (the quoted comma is one cell).
    for (const r of rows) expect(r.replace(/"[^"]*"/g, 'x').split(',')).toHaveLength(cols.length);
    // Excel's variant: its byte order mark, Chinese headers with the step's name next to its id, the name still guarded.
    const x = funnelCsv(FUNNEL, { labels: nodeLabels(FLOW_NODES), excel: true, timezone: 'Asia/Shanghai' });
    expect(x.charCodeAt(0)).toBe(0xfeff);
    expect(x.slice(1).split('\n')[0].split(',').slice(0, 3)).toEqual(['旅程', '步骤', '步骤名称']);
    expect(x).toContain(`,"'=流失, 老客",`);
  });

  it("says step types, held-back reasons and delivery errors in the designer's words in Excel's variant, codes in the plain CSV", () => {
    const send: FunnelNode = { ...node('sms', 'send', 10, 0), blocked: { 'blocked:no-consent:sms': 3, 'skipped:quiet-hours:sms:expired': 1, 'blocked:brand-new': 1 }, failed: 2, failedErrors: { 'simulated: not delivered': 2 } };
    const f = { flowId: 'd11', nodes: [node('start', 'entry', 10, 0), send] };
    const plain = funnelCsv(f);
    expect(plain.split('\n')[0]).toContain(',blocked:brand-new,blocked:no-consent:sms,skipped:quiet-hours:sms:expired,');
    expect(plain).toContain(',simulated: not delivered (2),');
    const [head, ...rows] = funnelCsv(f, { excel: true, timezone: 'Asia/Shanghai' }).slice(1).trimEnd().split('\n');
    // An unknown reason keeps its code.
    expect(head).toContain(',被拦截:brand-new,被拦截:没有短信营销许可,未发送:短信免打扰时段，错过了发送窗口,');
    expect(rows.map((r) => r.split(',')[3])).toEqual(['入口', '发送消息']);
    expect(rows[1]).toContain(',模拟渠道未送达 (2),');
  });

  it('adds them to the text as the last column, step name', () => {
    const lines = humanFunnel(FUNNEL, 1, nodeLabels(FLOW_NODES)).split('\n');
    expect(lines[2]).toMatch(/ converted +conv\. +exited +step name$/);
    expect(lines.find((l) => l.startsWith('cap-only-d11'))).toMatch(/ 3 +7\.50% +0 +只在双11买过$/);
    expect(lines.find((l) => l.startsWith('done'))).toMatch(/ 0\.00% +0$/);
    // Without names (an older caller, a flow without labels) the text is as it was.
    expect(humanFunnel(FUNNEL, 1).split('\n')[2]).toMatch(/ converted +conv\. +exited$/);
  });
});
