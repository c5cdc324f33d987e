import { describe, expect, it } from '@jest/globals';
import { messageAsImportStarts } from '../../designer/src/model/flow-import.js';
import { MESSAGES } from '../../designer/src/model/i18n.js';
import { useFlowImport } from '../../designer/src/ui/hooks/useFlowImport.js';

const t = (key: string) => (MESSAGES.zh as Record<string, string>)[key] ?? key;
type Message = { kind: 'ok' | 'error'; text: string; problems?: boolean; from?: 'import' } | null;

/**
 * Marketer walk: More → 导入 a malformed YAML, then a valid file without reloading: the old
 * 无法导入：文件不是有效的 YAML… stayed beside the new file's confirm dialog, and after 取消.
 */
describe('importing one file after another', () => {
  it('clears what the last import said, and only that, as a new import starts', () => {
    const refused: Message = { kind: 'error', text: '无法导入：文件不是有效的 YAML', from: 'import' };
    expect(messageAsImportStarts(refused)).toBeNull();
    expect(messageAsImportStarts({ kind: 'ok', text: '已导入', from: 'import' })).toBeNull();
    const problems: Message = { kind: 'error', text: '有问题，无法发布', problems: true };
    expect(messageAsImportStarts(problems)).toBe(problems);
    expect(messageAsImportStarts(null)).toBeNull();
  });

  it('shows no YAML error beside the next file\'s confirm dialog, nor after 取消', async () => {
    // The editor's message line and dialog, as EditorView keeps them.
    let message: Message = null;
    let dialog: Parameters<Parameters<typeof useFlowImport>[1]>[0] | null = null;
    const d = { flow: { id: 'win-back-vip', name: 'VIP 召回', nodes: [{ id: 'a', type: 'exit' as const }] }, setSelected: () => undefined, commit: () => undefined };
    const importFile = useFlowImport(
      d,
      (c) => (dialog = c),
      (kind, text) => (message = { kind, text, from: 'import' }),
      t,
      () => undefined,
      () => (message = messageAsImportStarts(message)),
    );
    const file = (name: string, text: string) => ({ name, text: async () => text });
    await importFile(file('broken.yaml', 'id: x\nnodes:\n  - id: a\n    type: [exit\n'));
    expect(message).toMatchObject({ kind: 'error', text: expect.stringMatching(/^无法导入：文件不是有效的 YAML/) });
    expect(dialog).toBeNull();
    await importFile(file('good.flow.yaml', 'id: payment-reminder\nname: 催付\nnodes: [{ id: s, type: entry }, { id: e, type: exit }]'));
    expect(dialog).not.toBeNull();
    // Beside the confirm dialog, and still after 取消 (which only closes it): nothing about broken.yaml.
    expect(message).toBeNull();
  });
});
