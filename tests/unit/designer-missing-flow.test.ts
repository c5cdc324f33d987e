import { afterEach, describe, expect, it } from '@jest/globals';
import { flowExists, MissingFlow, missingFlowWords, movedFlowWords } from '../../designer/src/model/missing-flow.js';

/** Marketer walk: #/flows/no-such-flow opened an empty editor titled no-such-flow (草稿), as if new. */
describe('opening a link to a journey that does not exist', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });
  /** The server as it answers for a flow it has neither drafted nor listed; every request logged. */
  const serverWithout = (listed: string[], notFound: Record<string, unknown> = { message: 'not found' }) => {
    const asked: string[] = [];
    globalThis.fetch = (async (url: string, init?: { method?: string }) => {
      asked.push(`${init?.method ?? 'GET'} ${url}`);
      if (url === '/api/flows') return new Response(JSON.stringify(listed.map((id) => ({ id, name: id, status: 'draft', currentVersion: null, hasFile: false }))), { status: 200 });
      return new Response(JSON.stringify(notFound), { status: 404 });
    }) as typeof fetch;
    return asked;
  };

  it('says the journey does not exist and offers the way back to the list, in Chinese', () => {
    expect(missingFlowWords('zh', 'no-such-flow')).toEqual({ text: '找不到旅程「no-such-flow」：它可能已被删除，或链接有误。', back: '返回旅程列表' });
  });

  it('counts a journey as existing when it has a draft or the server lists it, not otherwise', () => {
    expect(flowExists({ draft: false, listed: false })).toBe(false);
    expect(flowExists({ draft: true, listed: false })).toBe(true); // just made with 新建旅程
    expect(flowExists({ draft: false, listed: true })).toBe(true);
  });

  it('refuses to load it as a new empty journey, and writes nothing to the server', async () => {
    const asked = serverWithout(['payment-reminder']);
    // By a computed path: the root typecheck has no DOM library for the designer's api.ts it would pull in.
    const loader = '../../designer/src/ui/hooks/useFlowDocument.js';
    const { loadFlowDocument } = (await import(loader)) as { loadFlowDocument: (id: string) => Promise<unknown> };
    await expect(loadFlowDocument('no-such-flow')).rejects.toBeInstanceOf(MissingFlow);
    expect(asked.filter((a) => !a.startsWith('GET '))).toEqual([]);
  });

  const moved = { flowId: 'order-created', author: 'li.na', at: Date.parse('2026-12-04T21:25:00+08:00'), version: 1 };

  it('says where a journey whose id changed at its first publish went, instead of 找不到', () => {
    expect(movedFlowWords('zh', 'journey-20261204', moved)).toEqual({
      text: '这个旅程已改名为「order-created」：li.na 首次发布时把旅程 ID 从「journey-20261204」改成了「order-created」，这个旧链接不再指向它。',
      open: '打开「order-created」',
      back: '返回旅程列表',
    });
    expect(movedFlowWords('en', 'journey-20261204', moved).text).toMatch(/^This journey is now "order-created": li\.na changed its id from "journey-20261204"/);
  });

  it('takes where it went from the 404 of its file (the server read the rename in the audit log); none when the 404 does not say', async () => {
    const loader = '../../designer/src/ui/hooks/useFlowDocument.js';
    const { loadFlowDocument } = (await import(loader)) as { loadFlowDocument: (id: string) => Promise<unknown> };
    const asked = serverWithout(['order-created'], { message: 'no flow file rules/flows/journey-20261204.flow.yaml; the journey was renamed "order-created" at its first publish', movedTo: moved });
    const e = (await loadFlowDocument('journey-20261204').catch((x: unknown) => x)) as MissingFlow;
    expect([e instanceof MissingFlow, e.movedTo]).toEqual([true, moved]);
    expect(asked).toContain('GET /api/flows/journey-20261204/file');
    expect(asked.filter((a) => !a.startsWith('GET '))).toEqual([]);
    serverWithout([]);
    expect(((await loadFlowDocument('no-such-flow').catch((x: unknown) => x)) as MissingFlow).movedTo).toBeNull();
  });
});
