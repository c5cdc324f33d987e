import { describe, expect, it } from '@jest/globals';
import { appendAfter, everyArmTaken, shiftedBelow } from '../../designer/src/model/append-after.js';
import { newNode } from '../../designer/src/model/palette.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { publishPreview } from '../../designer/src/model/publish-preview.js';
import { stepName } from '../../designer/src/model/step-name.js';
import type { DraftFlow, DraftNode } from '../../designer/src/model/types.js';

/** A step clicked in the palette goes after the selected one, connected, and is called in words. */
const flow = (nodes: DraftNode[]): DraftFlow => ({ id: 'f', name: 'f', nodes });
const byId = (f: DraftFlow, id: string) => f.nodes.find((n) => n.id === id)!;

describe('adding a step after the selected one', () => {
  it('connects the selected step to the new one, and the new one to what the selected step led to', () => {
    const f = flow([
      { id: 'start', type: 'entry', next: 'end' },
      { id: 'end', type: 'exit' },
    ]);
    const out = appendAfter(f, 'start', newNode(f, 'wait'));
    expect(byId(out, 'start').next).toBe('wait-1');
    expect(byId(out, 'wait-1').next).toBe('end');
  });

  it('takes a condition\'s first free branch; a condition inserted in a chain goes on through 是, a step with branches alike is left unconnected', () => {
    const f = flow([{ id: 'check', type: 'condition', yes: 'a' }, { id: 'a', type: 'exit' }, { id: 'start', type: 'entry', next: 'a' }]);
    const out = appendAfter(f, 'check', newNode(f, 'send'));
    expect(byId(out, 'check')).toMatchObject({ yes: 'a', no: 'send-1' });
    const split = appendAfter(f, 'start', newNode(f, 'condition'));
    expect(byId(split, 'start').next).toBe('check-1');
    // The step that followed stays reachable from the entry (it was cut off: 从入口走不到这一步); 否 is left to draw.
    expect(byId(split, 'check-1')).toMatchObject({ yes: 'a' });
    expect(byId(split, 'check-1').no).toBeUndefined();
    const cases = appendAfter(f, 'start', newNode(f, 'switch'));
    expect(JSON.stringify(byId(cases, 'switch-1'))).not.toContain('"a"'); // several alike ways out: which one would be a guess
  });

  it("takes an A/B split's free arm, and when every arm leads on adds the step unconnected instead of cutting into 方案 A", () => {
    const arms = (a?: string, b?: string) => [{ id: 'a', label: '方案 A', weight: 50, next: a }, { id: 'b', label: '方案 B', weight: 50, next: b }];
    const half = flow([{ id: 'ab', type: 'split', arms: arms('sa') }, { id: 'sa', type: 'exit' }]);
    expect(everyArmTaken(half, 'ab')).toBe(false);
    expect((byId(appendAfter(half, 'ab', newNode(half, 'send')), 'ab').arms as { next?: string }[]).map((x) => x.next)).toEqual(['sa', 'send-1']);
    const full = flow([{ id: 'ab', type: 'split', arms: arms('sa', 'sb') }, { id: 'sa', type: 'exit' }, { id: 'sb', type: 'exit' }]);
    expect(everyArmTaken(full, 'ab')).toBe(true);
    const out = appendAfter(full, 'ab', newNode(full, 'send'));
    expect(byId(out, 'ab')).toBe(byId(full, 'ab')); // untouched: 方案 A still leads to its own step
    expect(byId(out, 'send-1').next).toBeUndefined();
    // A condition with both branches taken still goes on 是, as before (two ways, one the usual).
    expect(everyArmTaken(flow([{ id: 'c', type: 'condition', yes: 'x', no: 'y' }]), 'c')).toBe(false);
  });

  it('adds it unconnected when nothing is selected, the selected step has no way out, or the new step is an entry', () => {
    const f = flow([{ id: 'end', type: 'exit' }]);
    expect(appendAfter(f, null, newNode(f, 'wait')).nodes.map((n) => n.next)).toEqual([undefined, undefined]);
    expect(appendAfter(f, 'end', newNode(f, 'wait')).nodes[0]).toBe(f.nodes[0]);
    const g = flow([{ id: 'w', type: 'wait', duration: '1d' }]);
    expect(appendAfter(g, 'w', newNode(g, 'entry')).nodes[0]).toBe(g.nodes[0]);
  });

  it('makes room below the selected step', () => {
    expect(shiftedBelow({ a: { x: 0, y: 0 }, b: { x: 0, y: 150 } }, 0, 150)).toEqual({ a: { x: 0, y: 0 }, b: { x: 0, y: 300 } });
  });
});

describe('step names', () => {
  it('calls an unnamed step by what it does, and a named one by its label', () => {
    const f = flow([]);
    expect(stepName('zh', newNode(f, 'wait'))).toBe('等待 1 天');
    expect(stepName('zh', { ...newNode(f, 'wait'), duration: '3d' })).toBe('等待 3 天');
    expect(stepName('zh', newNode(f, 'send'))).toBe('发送短信');
    expect(stepName('zh', newNode(f, 'condition'))).toBe('条件判断');
    expect(stepName('zh', { id: 'w', type: 'wait', label: '冷静期' })).toBe('冷静期');
  });

  it('names an unnamed step by that name in the Problems panel and the publish dialog, never by its id', () => {
    const f = flow([{ id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, next: 'wait-1' }, { id: 'wait-1', type: 'wait', duration: '2h' }]);
    const preview = publishPreview('zh', { flow: f, liveVersion: null, changes: { settings: false, added: ['wait-1'], removed: [], changed: [] }, problems: [{ line: 0, nodeId: 'wait-1', path: 'nodes.1.next', message: 'branch "next" is not connected to any node', severity: 'warning' }], figures: { at: 0, audience: null, inFlight: 0, caps: [], quietHours: {} } });
    expect(preview.warnings).toEqual([`等待 2 小时：${problemWords('zh', { line: 0, nodeId: 'wait-1', path: 'nodes.1.next', message: 'branch "next" is not connected to any node', severity: 'error' })}`]);
    expect(preview.changes).toEqual(['新增步骤：等待 2 小时']);
  });
});

describe('adding a step under a 等待响应', () => {
  const waited = (): DraftFlow => flow([
    { id: 'start', type: 'entry', next: 'email' },
    { id: 'email', type: 'send', channel: 'email', next: 'answered' },
    { id: 'answered', type: 'waitForEvent', events: ['order_paid'], within: '3d' },
  ]);

  it('puts the next message on 超时, for the customers who did not answer, not on the first free branch 已响应', () => {
    const f = waited();
    const out = appendAfter(f, 'answered', newNode(f, 'send'));
    expect(byId(out, 'answered')).toMatchObject({ timedOut: 'send-1' });
    expect(byId(out, 'answered').responded).toBeUndefined();
    const w = appendAfter(f, 'answered', newNode(f, 'wait'));
    expect(byId(w, 'answered')).toMatchObject({ timedOut: 'wait-1' });
  });

  it('puts a 结束 on 已响应, and takes the other branch once the preferred one is drawn', () => {
    const f = waited();
    const ended = appendAfter(f, 'answered', newNode(f, 'exit'));
    expect(byId(ended, 'answered')).toMatchObject({ responded: 'exit-1' });
    const withSms = appendAfter(ended, 'answered', newNode(ended, 'send'));
    expect(byId(withSms, 'answered')).toMatchObject({ responded: 'exit-1', timedOut: 'send-1' });
    const secondExit = appendAfter(withSms, 'answered', newNode(withSms, 'exit'));
    expect(byId(secondExit, 'answered').timedOut).toBe('send-1'); // both drawn: the first branch, as before
  });
});
