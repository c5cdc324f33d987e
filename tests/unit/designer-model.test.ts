import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { canAdd, canConnect, connect, disconnect, removeNodes, renameNode } from '../../designer/src/model/connect.js';
import { canvasToFlow, flowToCanvas } from '../../designer/src/model/convert.js';
import { edgesFrom, outputsOf } from '../../designer/src/model/handles.js';
import { record, redo, start, undo } from '../../designer/src/model/history.js';
import { autoLayout, layoutOf, NODE_HEIGHT, positionsFor } from '../../designer/src/model/layout.js';
import { copiesOf, newNode } from '../../designer/src/model/palette.js';
import type { DraftFlow } from '../../designer/src/model/types.js';
import { edgesOf, FlowSchema, NODE_TYPES as SERVER_NODE_TYPES } from '../../server/src/core/flow/schema.js';
import { NODE_TYPES } from '../../designer/src/model/types.js';

const example = (id: string) => parse(readFileSync(`rules/flows/${id}.flow.yaml`, 'utf8')) as DraftFlow;
const examples = ['payment-reminder', 'sleeping-reactivation', 'double11-campaign', 'new-product-launch', 'post-purchase-care'];

const tiny = (): DraftFlow => ({
  id: 't',
  name: 'T',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, next: 'check' },
    { id: 'check', type: 'condition', conditions: { all: [] }, yes: 'done', no: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe('designer handles', () => {
  it('offers a palette entry for every node type of the engine', () => {
    expect([...NODE_TYPES].sort()).toEqual([...SERVER_NODE_TYPES].sort());
  });

  it.each(examples)('names the same edges as the engine for %s', (id) => {
    const flow = FlowSchema.parse(example(id));
    for (const n of flow.nodes) expect(edgesFrom(n as never)).toEqual(edgesOf(n));
  });

  it('labels branches by what they mean', () => {
    const [, check] = tiny().nodes;
    expect(outputsOf(check).map((h) => h.label)).toEqual([{ key: 'edge.yes' }, { key: 'edge.no' }]);
    const split = newNode(tiny(), 'split');
    expect(outputsOf(split).map((h) => h.id)).toEqual(['arm-a', 'arm-b', 'arm-holdout']);
    expect(outputsOf(split)[2].label).toEqual({ text: '对照组 10%' });
    expect(outputsOf({ id: 's', type: 'send', onCapped: 'branch' }).map((h) => h.id)).toEqual(['next', 'capped']);
    expect(outputsOf({ id: 's', type: 'switch', cases: [{ label: 'VIP' }, {}] }).map((h) => h.label)).toEqual([{ text: 'VIP' }, { text: '#2' }, { key: 'edge.else' }]);
  });
});

describe('designer flow ⇄ canvas', () => {
  it.each(examples)('round-trips %s through the canvas unchanged', (id) => {
    const flow = example(id);
    const { nodes, edges } = flowToCanvas(flow, undefined);
    const { nodes: _n, ...meta } = flow;
    expect(canvasToFlow(meta, nodes, edges)).toEqual(flow);
  });

  it('uses the layout file positions and stable ids, and lays out nodes the layout lacks', () => {
    const flow = tiny();
    const { nodes, edges } = flowToCanvas(flow, { positions: { start: { x: 5, y: 7 } } });
    expect(nodes.map((n) => n.id)).toEqual(['start', 'check', 'done']);
    expect(nodes[0].position).toEqual({ x: 5, y: 7 });
    expect(nodes[1].position).toEqual(expect.objectContaining({ x: expect.any(Number), y: expect.any(Number) }));
    expect(edges.map((e) => e.id)).toEqual(['start:next', 'check:yes', 'check:no']);
  });

  it('pins problems and counts on their node and does not draw edges to missing nodes', () => {
    const flow = tiny();
    flow.nodes[0].next = 'gone';
    const { nodes, edges } = flowToCanvas(flow, undefined, [{ line: 3, nodeId: 'start', path: 'nodes.0.next', message: 'x', severity: 'error' }], [{ nodeId: 'done', outcomes: { entered: 3 }, waiting: 0 }]);
    expect(nodes[0].data.problems).toHaveLength(1);
    expect(nodes[2].data.counts?.outcomes.entered).toBe(3);
    expect(edges.some((e) => e.target === 'gone')).toBe(false);
  });
});

describe('designer connection rules', () => {
  it('refuses self-edges, edges into the entry and handles the node does not have', () => {
    const f = tiny();
    expect(canConnect(f, { source: 'check', sourceHandle: 'yes', target: 'check' })).toEqual({ ok: false, reason: 'connect.self' });
    expect(canConnect(f, { source: 'check', sourceHandle: 'yes', target: 'start' })).toEqual({ ok: false, reason: 'connect.intoEntry' });
    expect(canConnect(f, { source: 'check', sourceHandle: 'next', target: 'done' })).toEqual({ ok: false, reason: 'connect.noSuchHandle' });
    expect(canConnect(f, { source: 'done', sourceHandle: 'next', target: 'check' }).ok).toBe(false);
  });

  it('keeps one edge per handle: a new connection replaces the old one', () => {
    let f = tiny();
    f = { ...f, nodes: [...f.nodes, { id: 'other', type: 'exit' }] };
    f = connect(f, { source: 'check', sourceHandle: 'no', target: 'other' });
    expect(f.nodes[1]).toMatchObject({ yes: 'done', no: 'other' });
    f = disconnect(f, 'check', 'yes');
    expect(f.nodes[1].yes).toBeUndefined();
  });

  it('sets case and arm edges inside the case and arm', () => {
    let f: DraftFlow = { ...tiny(), nodes: [...tiny().nodes, newNode(tiny(), 'split')] };
    f = connect(f, { source: 'split-1', sourceHandle: 'arm-b', target: 'done' });
    expect((f.nodes[3].arms as { next?: string }[]).map((a) => a.next)).toEqual([undefined, 'done', undefined]);
  });

  it('allows exactly one entry', () => {
    expect(canAdd(tiny(), 'entry').ok).toBe(false);
    expect(canAdd({ ...tiny(), nodes: [] }, 'entry').ok).toBe(true);
  });

  it('deleting a node unconnects the handles that led to it', () => {
    const f = removeNodes(tiny(), ['done']);
    expect(f.nodes.map((n) => n.id)).toEqual(['start', 'check']);
    expect(f.nodes[1].yes).toBeUndefined();
    expect(f.nodes[1].no).toBeUndefined();
  });

  it('renaming a node renames the edges to it', () => {
    const f = renameNode(tiny(), 'done', 'finish');
    expect(f.nodes[1]).toMatchObject({ yes: 'finish', no: 'finish' });
    expect(renameNode(tiny(), 'done', 'check')).toEqual(tiny()); // taken: refused
  });
});

describe('designer palette, copy/paste and history', () => {
  it('gives new nodes fresh lower-case ids valid for the schema', () => {
    const n = newNode(tiny(), 'waitForEvent');
    expect(n.id).toBe('wait-event-1');
    expect(n.id).toMatch(/^[a-z0-9][a-z0-9-_]*$/);
  });

  it('pastes copies with fresh ids, keeping inner edges and dropping outer ones', () => {
    const f = tiny();
    const copies = copiesOf(f, [f.nodes[1], f.nodes[0]]);
    expect(copies).toHaveLength(1); // the entry is not copied: one entry per flow
    expect(copies[0]).toMatchObject({ id: 'check-1', type: 'condition' });
    expect(copies[0].yes).toBeUndefined();
    const both = copiesOf(f, [f.nodes[1], f.nodes[2]]);
    expect(both[0]).toMatchObject({ id: 'check-1', yes: 'exit-1', no: 'exit-1' });
  });

  it('undoes and redoes whole states', () => {
    let h = start(1);
    h = record(h, 2);
    h = record(h, 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = redo(h);
    expect(h.present).toBe(3);
    h = undo(undo(h));
    h = record(h, 9);
    expect(h.future).toEqual([]);
    expect(undo(start(1)).present).toBe(1);
  });
});

describe('designer layout', () => {
  it('puts each node below the one before it and keeps branches apart', () => {
    const p = autoLayout(example('payment-reminder'));
    expect(p['wait-2h'].y).toBeGreaterThanOrEqual(p.start.y + NODE_HEIGHT);
    expect(p['remind-1-wangwang'].y).toBe(p['remind-1-sms'].y);
    expect(p['remind-1-wangwang'].x).not.toBe(p['remind-1-sms'].x);
  });

  it('keeps only positions of existing nodes, rounded', () => {
    const f = tiny();
    expect(layoutOf(f, { start: { x: 1.6, y: 2.2 }, gone: { x: 0, y: 0 } })).toEqual({ positions: { start: { x: 2, y: 2 } } });
    expect(Object.keys(positionsFor(f, { positions: {} }))).toEqual(['start', 'check', 'done']);
  });
});
