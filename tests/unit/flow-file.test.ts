import { describe, expect, it } from '@jest/globals';
import { parseFlowFile, parseLayoutFile, serializeFlow, serializeLayout } from '../../server/src/core/flow/flow-file.js';
import type { Flow } from '../../server/src/core/flow/schema.js';

const FILE = 'rules/flows/payment-reminder.flow.yaml';

/** A small flow written the way a person might: keys in any order, defaults left out. */
const SHUFFLED = `nodes:
  - next: wait-2h
    trigger: { key: orderId, event: order_created, type: event }
    type: entry
    id: start
  - next: remind
    duration: 2h
    id: wait-2h
    type: wait
  - template: 您的订单还没有付款
    next: done
    channel: sms
    label: Reminder
    type: send
    id: remind
  - type: exit
    id: done
exitOn:
  - match: { orderId: $key }
    event: order_paid
name: Payment reminder
id: payment-reminder
`;

/** 1-based line of the first line of `text` that contains `needle`. */
function lineWith(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture: no line with ${needle}`);
  return i + 1;
}

function parsed(text: string, file = FILE): Flow {
  const r = parseFlowFile(text, file);
  expect(r.problems).toEqual([]);
  return r.flow!;
}

function changedLines(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(x.length).toBe(y.length);
  return x.filter((line, i) => line !== y[i]).length;
}

describe('flow files: canonical YAML', () => {
  it('writes keys in schema order (id, type, label, description, settings, edges) whatever order they were read in', () => {
    const text = serializeFlow(parsed(SHUFFLED));
    const lines = text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schema/flow.schema.json');
    const topKeys = lines.filter((l) => /^[a-zA-Z]/.test(l)).map((l) => l.split(':')[0]);
    expect(topKeys).toEqual(['id', 'name', 'exitOn', 'nodes']);
    const send = text.slice(text.indexOf('- id: remind'), text.indexOf('- id: done'));
    const sendKeys = send.split('\n').filter((l) => l.trim()).map((l) => l.replace(/^\s*-?\s*/, '').split(':')[0]);
    expect(sendKeys).toEqual(['id', 'type', 'label', 'channel', 'category', 'priority', 'template', 'next']);
    expect(text).toContain('    trigger:\n      type: event\n      event: order_created\n      key: orderId\n');
  });

  it('writes the defaults zod fills in (reentry, category, priority, goal), so the file states the whole behaviour', () => {
    const text = serializeFlow(parsed(SHUFFLED));
    expect(text).toContain('    reentry:\n      policy: never\n');
    expect(text).toContain('    category: marketing\n    priority: 50\n');
    expect(text).toContain('    goal: true\n'); // exitOn default
    expect(text).toContain('  - id: done\n    type: exit\n    goal: false\n');
  });

  it('round-trips: parse(serialize(flow)) deep-equals the flow, and canonical text is a fixed point', () => {
    const flow = parsed(SHUFFLED);
    const text = serializeFlow(flow);
    expect(parsed(text)).toEqual(flow);
    expect(serializeFlow(parsed(text))).toBe(text);
  });

  it('a one-field edit changes exactly one line of the serialized YAML', () => {
    const flow = parsed(SHUFFLED);
    const before = serializeFlow(flow);
    const edited = structuredClone(flow);
    const wait = edited.nodes.find((n) => n.id === 'wait-2h');
    if (wait?.type !== 'wait') throw new Error('fixture');
    wait.duration = '3h';
    expect(changedLines(before, serializeFlow(edited))).toBe(1);
    const longer = structuredClone(flow);
    const send = longer.nodes.find((n) => n.id === 'remind');
    if (send?.type !== 'send') throw new Error('fixture');
    send.template = '您的订单还没有付款，'.repeat(20); // long text is never folded over several lines
    expect(changedLines(before, serializeFlow(longer))).toBe(1);
  });

  it('quotes times such as 09:00 that a YAML 1.1 reader would take for a number', () => {
    const text = SHUFFLED.replace("trigger: { key: orderId, event: order_created, type: event }", "trigger: { type: schedule, segment: x, at: '09:00' }");
    const out = serializeFlow(parsed(text));
    expect(out).toContain("at: '09:00'");
    expect(parsed(out).nodes[0]).toMatchObject({ trigger: { at: '09:00' } });
  });
});

describe('flow files: problems with lines', () => {
  it('places a schema error on the line of the offending key and names the node', () => {
    const text = SHUFFLED.replace('channel: sms', 'channel: fax');
    const r = parseFlowFile(text, FILE);
    expect(r.flow).toBeUndefined();
    expect(r.problems).toEqual([
      expect.objectContaining({ line: lineWith(text, 'channel: fax'), nodeId: 'remind', path: 'nodes.2.channel', severity: 'error' }),
    ]);
    expect(r.problems[0].message).toMatch(/^channel: .*sms/);
  });

  it('reports an unknown node type with the known ones', () => {
    const text = SHUFFLED.replace('type: exit', 'type: exitt');
    const r = parseFlowFile(text, FILE);
    expect(r.problems).toEqual([expect.objectContaining({ nodeId: 'done', line: lineWith(text, 'type: exitt'), message: expect.stringMatching(/^unknown node type "exitt" \(expected one of entry, condition, .*exit\)/) })]);
  });

  it('reports keys the schema does not know instead of silently dropping them', () => {
    const text = SHUFFLED.replace('    duration: 2h', '    duration: 2h\n    withn: 3d');
    const r = parseFlowFile(text, FILE);
    expect(r.problems).toEqual([expect.objectContaining({ line: lineWith(text, 'withn'), nodeId: 'wait-2h', path: 'nodes.1.withn', message: expect.stringContaining('unknown key "withn"') })]);
  });

  it('reports a file name that does not match the flow id', () => {
    const r = parseFlowFile(SHUFFLED, 'rules/flows/reminder.flow.yaml');
    expect(r.flow).toBeDefined();
    expect(r.problems).toEqual([expect.objectContaining({ line: lineWith(SHUFFLED, 'id: payment-reminder'), path: 'id', message: 'file name "reminder.flow.yaml" does not match flow id "payment-reminder" (expected payment-reminder.flow.yaml)' })]);
  });

  it('reports YAML syntax errors with their line', () => {
    const r = parseFlowFile('id: x\nname: [unclosed\nnodes: []\n', 'rules/flows/x.flow.yaml');
    expect(r.flow).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/^not valid YAML/) });
    expect(r.problems[0].line).toBeGreaterThanOrEqual(2);
  });
});

describe('layout files', () => {
  it('round-trips with positions sorted by node id, and warns about positions of nodes the flow does not have', () => {
    const flow = parsed(SHUFFLED);
    const text = 'positions:\n  start: { x: 0, y: 0 }\n  gone: { y: 5, x: 1 }\n  done: { x: 10, y: 300 }\n';
    const r = parseLayoutFile(text, 'rules/flows/payment-reminder.layout.yaml', flow);
    expect(r.layout).toEqual({ positions: { start: { x: 0, y: 0 }, gone: { x: 1, y: 5 }, done: { x: 10, y: 300 } } });
    expect(r.problems).toEqual([expect.objectContaining({ line: 3, nodeId: 'gone', severity: 'warning' })]);
    const out = serializeLayout(r.layout!);
    expect(out.split('\n').filter((l) => /^ {2}\S/.test(l))).toEqual(['  done:', '  gone:', '  start:']);
    expect(out.startsWith('# yaml-language-server: $schema=../schema/layout.schema.json\n')).toBe(true);
    expect(parseLayoutFile(out, 'rules/flows/payment-reminder.layout.yaml').layout).toEqual(r.layout);
  });
});
