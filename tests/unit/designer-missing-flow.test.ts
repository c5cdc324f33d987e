import { afterEach, describe, expect, it } from '@jest/globals';
import { flowExists, MissingFlow, missingFlowWords } from '../../designer/src/model/missing-flow.js';

/** Marketer walk: #/flows/no-such-flow opened an empty editor titled no-such-flow (草稿), as if new. */
describe('opening a link to a journey that does not exist', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });
  /** The server as it answers for a flow it has neither drafted nor listed; every request logged. */
  const serverWithout = (listed: string[]) => {
    const asked: string[] = [];
    globalThis.fetch = (async (url: string, init?: { method?: string }) => {
      asked.push(`${init?.method ?? 'GET'} ${url}`);
      if (url === '/api/flows') return new Response(JSON.stringify(listed.map((id) => ({ id, name: id, status: 'draft', currentVersion: null, hasFile: false }))), { status: 200 });
      return new Response(JSON.stringify({ message: 'not found' }), { status: 404 });
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
});
