import { fill, importReplaceVars, readFlowFile } from '../../model/flow-import.js';
import { positionsFor } from '../../model/layout.js';
import type { Confirmation } from '../editor/ConfirmDialog.js';
import type { DrawingState } from './useDrawing.js';

/**
 * More → Import: reads a flow file over the journey being edited. A file that is no flow (or no
 * YAML) is refused in words naming the line or field, and nothing changes; a flow replaces the
 * journey only after the marketer confirms, having been told what goes and that the id stays,
 * and the replacement is one undo step.
 */
export function useFlowImport(d: DrawingState, ask: (c: Confirmation) => void, say: (kind: 'ok' | 'error', text: string) => void, t: (key: string) => string, replaced: (fileName: string) => void) {
  return async (file: File) => {
    let text: string;
    try {
      text = await file.text();
    } catch {
      return say('error', fill(t('import.readFailed'), { file: file.name }));
    }
    const read = readFlowFile(text, d.flow.id);
    if (!read.ok) return say('error', fill(t(read.problem.key), read.problem.vars));
    const vars = importReplaceVars(d.flow, read.flow, read.fileId, file.name);
    ask({
      title: t('import.replaceTitle'),
      body: [fill(t('import.replaceBody'), vars), fill(t(vars.fileId ? 'import.idKeptOther' : 'import.idKept'), vars), t('import.undoHint')].join(' '),
      confirm: t('import.replace'),
      danger: true,
      run: () => {
        d.setSelected([]);
        d.commit({ flow: read.flow, positions: positionsFor(read.flow, undefined) });
        say('ok', fill(t('import.done'), vars));
        replaced(file.name);
      },
    });
  };
}
