import { describe, expect, it } from '@jest/globals';
import { hasChanges, nodeChanges, sideBySide } from '../../designer/src/model/diff.js';
import { branchCounts, edgeLabels, handleOfOutcome } from '../../designer/src/model/edge-labels.js';
import { idFromName, idProblem } from '../../designer/src/model/flow-id.js';
import { editGroup, record, start, undo } from '../../designer/src/model/history.js';
import { allProblems, localProblems } from '../../designer/src/model/local-problems.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { formatRoute, parseRoute } from '../../designer/src/model/route.js';
import { goalWays, simulationWords } from '../../designer/src/model/sim-summary.js';
import type { DraftFlow, NodeReport } from '../../designer/src/model/types.js';

const flow = (nodes: DraftFlow['nodes'], extra: Partial<DraftFlow> = {}): DraftFlow => ({ id: 'f', name: 'F', nodes, ...extra });

describe('designer drafts, diff, ids, routes and history', () => {
  it('tells what changed between the live version and a draft, step by step and line by line', () => {
    const live = flow([{ id: 'a', type: 'wait', duration: '1d' }, { id: 'b', type: 'exit' }]);
    const draft = flow([{ id: 'a', type: 'wait', duration: '3d' }, { id: 'c', type: 'exit' }], { name: 'F2' });
    expect(nodeChanges(live, draft)).toEqual({ added: ['c'], removed: ['b'], changed: ['a'], settings: true });
    expect(hasChanges(nodeChanges(live, live))).toBe(false);
    const rows = sideBySide('a\nb\nc', 'a\nB\nc\nd');
    expect(rows).toEqual([
      { kind: 'same', left: 'a', right: 'a' },
      { kind: 'changed', left: 'b', right: 'B' },
      { kind: 'same', left: 'c', right: 'c' },
      { kind: 'added', left: null, right: 'd' },
    ]);
  });

  it('derives the flow id from the name and explains ids it cannot take', () => {
    expect(idFromName('Summer sale: reminder!', new Set())).toBe('summer-sale-reminder');
    expect(idFromName('Payment reminder', new Set(['payment-reminder']))).toBe('payment-reminder-2');
    expect(idFromName('双十一催付', new Set(), Date.parse('2026-11-20T00:00:00Z'))).toBe('journey-2026-11');
    // A Chinese name's digits alone are no id (it was "2027"): what the journey does and the month instead.
    expect(idFromName('双十一 2027 从零开始', new Set(), Date.parse('2026-11-20T00:00:00Z'))).toBe('journey-2026-11');
    expect(idFromName('双十一 2027', new Set(), 0, 'double11-campaign')).toBe('double11-1970-01');
    expect(idFromName('Double 11 2027', new Set())).toBe('double-11-2027');
    expect(idProblem('Bad Id', new Set())).toBe('id.chars');
    expect(idProblem('taken', new Set(['taken']))).toBe('id.taken');
    expect(idProblem('fine-1', new Set())).toBeNull();
  });

  it('keeps the view and the flow in the address', () => {
    expect(parseRoute('#/flows/payment-reminder')).toEqual({ view: 'editor', flowId: 'payment-reminder' });
    expect(parseRoute('#/customers')).toEqual({ view: 'customers' });
    expect(parseRoute('#/policy')).toEqual({ view: 'policy' });
    expect(formatRoute({ view: 'policy' })).toBe('#/policy');
    expect(parseRoute('')).toEqual({ view: 'home' });
    expect(parseRoute('#/flows/Bad%20Id')).toEqual({ view: 'home' });
    expect(formatRoute({ view: 'editor', flowId: 'x' })).toBe('#/flows/x');
  });

  it('undoes a word typed in one field as one step, not one per keystroke', () => {
    const n = (template: string): Record<string, unknown> => ({ id: 's', type: 'send', template });
    let h = start(n(''));
    for (const text of ['h', 'he', 'hel', 'hello']) h = record(h, n(text), editGroup(h.present, n(text)));
    expect(h.past.length).toBe(1);
    h = record(h, { ...n('hello'), channel: 'email' }, editGroup(h.present, { ...n('hello'), channel: 'email' }));
    expect(h.past.length).toBe(2);
    expect(undo(undo(h)).present).toEqual(n(''));
  });

  it('flags at once an empty rule group, a zero wait and arm shares that do not add up', () => {
    const problems = localProblems(
      flow([
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' } },
        { id: 'c', type: 'condition', conditions: { all: [] } },
        { id: 'w', type: 'wait', duration: '0d' },
        { id: 'sp', type: 'split', arms: [{ id: 'a', weight: 60 }, { id: 'b', weight: 55 }] },
        { id: 'ok', type: 'condition', conditions: { all: [{ fact: 'aov', operator: 'greaterThan', value: 1 }] } },
      ]),
    );
    expect(problems.map((p) => `${p.nodeId}:${p.message}:${p.path}`)).toEqual(['c:local.emptyGroup:conditions', 'w:local.zeroWait:duration', 'sp:local.weights:arms:115']);
  });

  it('flags a journey without an entry at once (a blank new journey is not publishable), said once when the server says it too', () => {
    expect(localProblems(flow([])).map((p) => `${p.nodeId}:${p.message}`)).toEqual(['null:local.noEntry']);
    expect(localProblems(flow([{ id: 's', type: 'send', channel: 'sms', template: 'hi' }])).map((p) => p.message)).toEqual(['local.noEntry']);
    expect(localProblems(flow([{ id: 'start', type: 'entry' }]))).toEqual([]);
    const server = [
      { line: 0, nodeId: null, path: 'nodes', message: 'a flow needs exactly one entry node; there is none', severity: 'error' as const },
      { line: 0, nodeId: 's', path: 'nodes.0.next', message: 'branch "next" is not connected to any node', severity: 'error' as const },
    ];
    const all = allProblems(server, flow([{ id: 's', type: 'send', channel: 'sms', template: 'hi' }]));
    expect(all.map((p) => p.message)).toEqual(['branch "next" is not connected to any node', 'local.noEntry']);
    expect(problemWords('zh', all[1])).toBe('旅程还没有入口：请从左侧拖入一个「入口」，设置哪些顾客进入旅程');
  });

  it('counts each branch and its share for the edge labels', () => {
    const cond = { id: 'c', type: 'condition' as const, yes: 'x', no: 'y' };
    expect(handleOfOutcome(cond, 'yes')).toBe('yes');
    expect(handleOfOutcome({ id: 'w', type: 'waitForEvent' }, 'timed-out')).toBe('timedOut');
    expect(handleOfOutcome({ id: 's', type: 'switch', cases: [{ label: 'deep' }, { label: 'shallow' }] }, 'case:shallow')).toBe('case-1');
    expect(handleOfOutcome({ id: 'p', type: 'split', arms: [{ id: 'a' }] }, 'arm:a')).toBe('arm-a');
    expect(handleOfOutcome({ id: 'q', type: 'send' }, 'deferred:quiet-hours:sms')).toBeNull();
    expect(branchCounts(cond, { nodeId: 'c', outcomes: { yes: 3, no: 1 }, waiting: 0 })).toEqual({ yes: 3, no: 1 });
    const labels = edgeLabels(flow([cond]), [{ nodeId: 'c', outcomes: { yes: 3, no: 1 }, waiting: 0 }], (k) => ({ 'edge.yes': '是', 'edge.no': '否' })[k] ?? k);
    expect(labels).toEqual({ 'c:yes': '是 · 3 (75%)', 'c:no': '否 · 1 (25%)' });
  });

  it('sums a simulation up in sentences, and says why nobody entered', () => {
    const r = {
      days: 7,
      summary: { enrolled: 99 },
      report: { enrollments: { active: 2, completed: 1, exited: 2 }, nodes: [], sends: [{ channel: 'sms', status: 'queued', reason: null, count: 3 }, { channel: 'email', status: 'skipped', reason: 'no-consent:email', count: 2 }] },
      funnel: null,
    };
    expect(simulationWords('zh', r)).toEqual(['模拟最近 7 天：5 位顾客进入旅程', '3 条消息会发出', '2 条未发出：没有邮件营销许可', '1 位达成目标，2 位仍在旅程中']);
    const delivered = { ...r, report: { ...r.report, sends: [{ channel: 'sms', status: 'sent', reason: null, count: 2 }, { channel: 'sms', status: 'failed', reason: null, count: 1 }] }, delivery: { delivered: 2, undelivered: 1, responses: 1, redeemed: 0 } };
    expect(simulationWords('zh', delivered)).toEqual(['模拟最近 7 天：5 位顾客进入旅程', '3 条消息会发出（模拟渠道送达 2 条，未送达 1 条）', '模拟顾客的反应：1 次点击，0 张券被使用', '1 位达成目标，2 位仍在旅程中']);
    // Delivered messages without a link are answered by no simulated customer: said, with what to do.
    const unlinked = { ...delivered, delivery: { ...delivered.delivery, deliveredWithoutLink: 2, responses: 0 } };
    expect(simulationWords('zh', unlinked)).toContain('送达的 2 条消息中有 2 条没有链接：模拟的顾客只会点击带链接的消息，这些消息在模拟中不会带来点击、用券或下单（真实顾客仍可能购买）；要估计效果，请给发送步骤填上「链接」');
    expect(simulationWords('zh', delivered).some((l) => l.includes('没有链接'))).toBe(false);
    // The simulated purchases: paid orders and their value (a server that reports them).
    const bought = { ...delivered, delivery: { ...delivered.delivery, redeemed: 1, orders: 2, revenue: 318.5 } };
    expect(simulationWords('zh', bought)).toContain('模拟下单：2 笔付款订单，金额 ¥318.50');
    // 2 simulated orders but 1 goal: the summary says why the two figures differ.
    expect(simulationWords('zh', bought).at(-1)).toMatch(/^说明：达成目标只计顾客还在旅程中时达成的.*离开旅程后才付款的也算在内$/);
    expect(simulationWords('zh', { ...bought, delivery: { ...bought.delivery, orders: 1 } }).some((l) => l.startsWith('说明'))).toBe(false);
    const none = { ...r, report: { enrollments: { active: 0, completed: 0, exited: 0 }, nodes: [], sends: [] }, whyNobody: [{ code: 'no-events', event: 'order_created' }] };
    expect(simulationWords('en', none)).toEqual(['Simulated the last 7 days: 0 customers entered', '0 messages would go out', 'Nobody entered: no "order placed" events in the simulated days']);
    // A segment that matched nobody is named by its title (the server sends segmentTitle), its id when it has none.
    const empty = { ...none, whyNobody: [{ code: 'segment-empty', segment: 'sleeping-high-value', segmentTitle: '高价值沉睡客户' }] };
    expect(simulationWords('zh', empty)).toContain('没有顾客进入：人群「高价值沉睡客户」没有匹配的顾客');
    expect(simulationWords('zh', { ...none, whyNobody: [{ code: 'segment-empty', segment: 'no-title', segmentTitle: null }] })).toContain('没有顾客进入：人群「no-title」没有匹配的顾客');
  });

  it('says a simulation\'s organic purchases (messaged or not) apart from the messages\' orders', () => {
    const r = { days: 7, summary: { enrolled: 3 }, report: { enrollments: { active: 1, completed: 2, exited: 0 }, nodes: [], sends: [{ channel: 'sms', status: 'sent', reason: null, count: 1 }] }, funnel: null };
    const d = { ...r, delivery: { delivered: 1, undelivered: 0, responses: 0, redeemed: 0, orders: 0, revenue: 0, organicOrders: 2, organicRevenue: 240 } };
    expect(simulationWords('zh', d)).toContain('自然下单（不论是否收到消息）：2 笔付款订单，金额 ¥240.00');
    expect(simulationWords('en', d)).toContain('Organic purchases (messaged or not): 2 paid orders worth ¥240.00');
  });

  it('says how the journeys of a simulation reached their goal: paid during the journey, or a goal exit step by its label', () => {
    const nodes: NodeReport[] = [
      { nodeId: 'wait', outcomes: { 'completed:order_paid': 450, 'timed-out': 30 }, waiting: 0 },
      { nodeId: 'won', outcomes: { 'completed:goal:won': 3 }, waiting: 0 },
    ];
    const flow = { id: 'f', name: 'f', nodes: [{ id: 'won', type: 'exit' as const, label: '已复购', goal: true }] } as unknown as Parameters<typeof simulationWords>[2];
    const r = { days: 7, summary: {}, report: { enrollments: { active: 2, completed: 453, exited: 30 }, nodes, sends: [] }, funnel: null };
    expect(simulationWords('zh', r, flow).at(-1)).toBe('453 位达成目标（在旅程中付款 450、到达「已复购」 3），2 位仍在旅程中');
    expect(goalWays('en', nodes)).toBe('order paid during the journey 450, reached "won" 3');
  });
});
