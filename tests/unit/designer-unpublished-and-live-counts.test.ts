/**
 * The walkthrough's editor defects, pure parts:
 * - after every edit was undone the editor said 有未发布的修改 while 对比线上版本 found no difference:
 *   both now ask one comparison (server/src/core/flow/journey-changes.ts, re-exported by
 *   designer/src/model/diff.ts) and a draft that is the live journey is no unpublished change;
 * - 实时数据 showed the live version's numbers on cards the draft had changed or added, read as the
 *   new cards' numbers: those cards now show why they have none (model/counts-on-draft.ts);
 * - on a simulation's copy 实时数据 was greyed out for a journey never published in the live shop
 *   (model/figures-to-read.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { nodeChanges, sameJourney } from '../../server/src/core/flow/journey-changes.js';
import { nodeChanges as designerNodeChanges, sameJourney as designerSameJourney } from '../../designer/src/model/diff.js';
import { flowToCanvas } from '../../designer/src/model/convert.js';
import { countsOnDraft, withheldNote, withheldWords } from '../../designer/src/model/counts-on-draft.js';
import { edgeLabels } from '../../designer/src/model/edge-labels.js';
import { hasFiguresToRead } from '../../designer/src/model/figures-to-read.js';
import { openedDraftDiffers, unpublishedChanges } from '../../designer/src/model/unpublished.js';
import type { NodeCounts } from '../../designer/src/model/counts.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

const live: DraftFlow = {
  id: 'care',
  name: '售后关怀',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_paid' }, next: 'ask' },
    { id: 'ask', type: 'condition', rule: { all: [] }, yes: 'sms', no: 'done' },
    { id: 'sms', type: 'send', channel: 'sms', template: '感谢购买', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
};
const edited = (f: DraftFlow, id: string, patch: Record<string, unknown>): DraftFlow => ({ ...f, nodes: f.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) });
const counted = (id: string, entered: number, outcomes: Record<string, number> = {}): NodeCounts => ({ nodeId: id, outcomes, waiting: 0, funnel: { nodeId: id, entered, waiting: 0, sent: 0, blocked: {}, responded: 0, converted: 0, exited: 0 } });

describe('one comparison of a drawing with the live journey', () => {
  it('is the designer\'s diff and the server\'s (one module)', () => {
    expect(designerNodeChanges).toBe(nodeChanges);
    expect(designerSameJourney).toBe(sameJourney);
  });

  it('finds no change in a drawing edited back (key order and left-out fields do not count), and one in an edit', () => {
    const back = JSON.parse(JSON.stringify({ nodes: live.nodes.map((n) => Object.fromEntries(Object.entries(n).reverse())), name: live.name, id: live.id, description: undefined }));
    expect(sameJourney(live, back)).toBe(true);
    expect(sameJourney(live, edited(live, 'sms', { template: '感谢购买！' }))).toBe(false);
    expect(sameJourney(live, { ...live, name: '售后关怀 2' })).toBe(false);
  });

  it('never takes a malformed draft (drafts are kept whatever their problems) for the live journey', () => {
    expect(sameJourney(live, null)).toBe(false);
    expect(sameJourney(live, { id: 'care', name: '售后关怀' })).toBe(false);
    expect(sameJourney(live, { ...live, nodes: [null] })).toBe(false);
    expect(sameJourney(live, [live])).toBe(false);
  });
});

describe('有未发布的修改 in the editor', () => {
  const base = { published: true, live, hasDraft: true, fileChanged: false };
  it('is not said of a draft that is the live journey (every edit undone, or edited back), as 对比线上版本 finds no difference', () => {
    expect(unpublishedChanges({ ...base, flow: live })).toBe(false);
    expect(unpublishedChanges({ ...base, flow: edited(live, 'sms', { template: '新文案' }) })).toBe(true);
  });

  it('follows the drawing, not the file: opened from a file committed since the live version, the drawing shows it', () => {
    const fromFile = edited(live, 'sms', { template: '文件里的新文案' });
    expect(unpublishedChanges({ ...base, hasDraft: false, fileChanged: true, flow: fromFile })).toBe(true);
  });

  it('says what it said before while the live journey is not known, and nothing of a journey never published', () => {
    expect(unpublishedChanges({ ...base, live: null, flow: live })).toBe(true);
    expect(unpublishedChanges({ ...base, live: null, hasDraft: false, fileChanged: true, flow: live })).toBe(true);
    expect(unpublishedChanges({ ...base, live: null, hasDraft: false, flow: live })).toBe(false);
    expect(unpublishedChanges({ published: false, live: null, hasDraft: true, fileChanged: false, flow: live })).toBe(false);
  });

  it('opening a draft that is the live journey says nothing of restoring unpublished changes', () => {
    expect(openedDraftDiffers(live, live)).toBe(false);
    expect(openedDraftDiffers(live, { ...live, name: '新名字' })).toBe(true);
    expect(openedDraftDiffers(null, live)).toBe(true);
  });
});

describe("the live numbers on a draft's cards", () => {
  const counts = [counted('start', 12, { entered: 12 }), counted('ask', 12, { yes: 8, no: 4 }), counted('sms', 8, { queued: 8 }), counted('done', 12)];
  const draft: DraftFlow = {
    ...edited(live, 'sms', { template: '新文案 {{coupon.code}}', next: 'wait' }),
    nodes: [...edited(live, 'sms', { template: '新文案 {{coupon.code}}', next: 'wait' }).nodes, { id: 'wait', type: 'wait', duration: '1d', next: 'done' }],
  };

  it('are not shown on a card the draft changed or added; unchanged cards keep theirs', () => {
    const shown = countsOnDraft(live, draft, counts);
    expect(shown.counts.map((c) => c.nodeId)).toEqual(['start', 'ask', 'done']);
    expect([...shown.withheld]).toEqual([
      ['sms', 'changed'],
      ['wait', 'added'],
    ]);
  });

  it('are all shown when the drawing is the live journey, or when the live journey is not known', () => {
    expect(countsOnDraft(live, live, counts)).toEqual({ counts, withheld: new Map() });
    expect(countsOnDraft(null, draft, counts)).toEqual({ counts, withheld: new Map() });
  });

  it('say why in words on the card, and above the canvas how many show none', () => {
    expect(withheldWords('zh', 'changed', 1)).toBe('草稿里改过，线上版本 v1 的数字不适用');
    expect(withheldWords('zh', 'added', 3)).toBe('草稿新加的步骤，线上版本 v3 里还没有它');
    expect(withheldWords('en', 'changed', 1)).toContain('live v1');
    const shown = countsOnDraft(live, draft, counts);
    expect(withheldNote('zh', shown.withheld, 1)).toBe('数字来自线上运行的旅程（v1）：草稿里改过或新加的 2 个步骤不显示数字，以免当成改动后的数字');
    expect(withheldNote('zh', new Map(), 1)).toBeNull();
  });

  it('put the words on the card and no count on the branches of a withheld card (not a 0 read as its own)', () => {
    const words = new Map([['ask', withheldWords('zh', 'changed', 1)]]);
    const changedAsk = edited(live, 'ask', { rule: { all: [{ fact: 'orders', operator: 'greaterThan', value: 1 }] } });
    const shown = countsOnDraft(live, changedAsk, counts);
    const c = flowToCanvas(changedAsk, undefined, [], shown.counts, words);
    expect(c.nodes.find((n) => n.id === 'ask')!.data).toMatchObject({ counts: undefined, countsWithheld: '草稿里改过，线上版本 v1 的数字不适用' });
    expect(c.nodes.find((n) => n.id === 'start')!.data.countsWithheld).toBeUndefined();
    expect(c.nodes.find((n) => n.id === 'start')!.data.counts?.funnel?.entered).toBe(12);
    const labels = edgeLabels(changedAsk, shown.counts, (k) => k, words);
    expect(labels['ask:yes']).toBeUndefined();
    expect(labels['ask:no']).toBeUndefined();
    expect(labels['start:next']).toBe('12');
    // Without the withheld steps it labelled the changed condition's branches with v1's 8 and 4.
    expect(edgeLabels(changedAsk, counts, (k) => k)['ask:yes']).toMatch(/8 \(67%\)/);
  });
});

describe('实时数据 can be read', () => {
  it('for a published journey, and for one whose simulation is in the database the server was opened on', () => {
    expect(hasFiguresToRead({ currentVersion: 1 })).toBe(true);
    expect(hasFiguresToRead({ currentVersion: null, simulated: true })).toBe(true);
    expect(hasFiguresToRead({ currentVersion: null, simulated: false })).toBe(false);
    expect(hasFiguresToRead({ currentVersion: null })).toBe(false);
    expect(hasFiguresToRead(undefined)).toBe(false);
  });
});
