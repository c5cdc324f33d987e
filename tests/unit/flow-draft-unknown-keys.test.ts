import { describe, expect, it } from '@jest/globals';
import { checkDraft } from '../../server/src/api/designer/flow-drafts.js';
import { parseFlowFile } from '../../server/src/core/flow/flow-file.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { readFlowFile } from '../../designer/src/model/flow-import.js';

/** A file with a misspelt wait duration, as a marketer might import it (导入 → 替换). */
const FILE = `id: x
name: 催付
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created, key: orderId }
    next: w
  - id: w
    type: wait
    duraton: 2h
    next: done
  - id: done
    type: exit
`;

describe('a misspelt key', () => {
  it('rekindle validate names it with the key it most likely is', () => {
    const r = parseFlowFile(FILE, 'x.flow.yaml');
    expect(r.problems).toContainEqual(expect.objectContaining({ line: 10, nodeId: 'w', path: 'nodes.1.duraton', message: expect.stringMatching(/^unknown key "duraton": did you mean "duration"\? \(known here: .*duration/) }));
  });

  it('an imported draft keeps it, and the designer\'s check (POST /api/flows/validate) reports it as validate does, on its step', () => {
    const imported = readFlowFile(FILE, 'x');
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const { problems, flow } = checkDraft(imported.flow, 'rules');
    // Before: the canonical text dropped the key unseen, and only "give exactly one of duration…" was said.
    expect(problems).toContainEqual(expect.objectContaining({ nodeId: 'w', path: 'nodes.1.duraton', severity: 'error', message: expect.stringMatching(/^unknown key "duraton": did you mean "duration"\?/) }));
    expect(problems.find((p) => p.path === 'nodes.1.duraton')!.line).toBeGreaterThan(0);
    // Refused for saving and publishing (an error), never silently rewritten without the setting.
    expect(flow).toBeUndefined();
  });

  it('a draft with only the schema\'s keys gets no unknown-key problem', () => {
    const imported = readFlowFile(FILE.replace('duraton', 'duration'), 'x');
    if (!imported.ok) throw new Error('not imported');
    expect(checkDraft(imported.flow, 'rules').problems.filter((p) => p.message.startsWith('unknown key'))).toEqual([]);
  });

  it('is said in Chinese in the Problems panel, naming the step id, the key and the one meant', () => {
    const problem = { line: 10, nodeId: 'w', path: 'nodes.1.duraton', message: 'unknown key "duraton": did you mean "duration"? (known here: id, label, description, type, duration, untilTime, untilDate, next)', severity: 'error' as const };
    expect(serverProblemWords(problem)).toBe('步骤 w 里有不认识的设置项「duraton」，这一项不会生效：是不是想写「等待时长」（duration）？请在文件里把「duraton」改成「duration」后重新导入，或在右侧重新填写「等待时长」');
  });
});
