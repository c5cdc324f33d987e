import { useEffect, useState } from 'react';
import { api } from '../../api.js';
import { retried } from '../../model/retried.js';
import type { DraftFlow } from '../../model/types.js';

/**
 * The live version's journey, which the editor compares the drawing with (model/unpublished.ts: the
 * 有未发布的修改 badge; model/counts-on-draft.ts: which cards the live numbers may be shown on) —
 * the one 对比线上版本 compares with. `opened`: the one read as the flow opened (loadFlowDocument);
 * read again when another version goes live (a publish from this tab or another). Null while the
 * current version's is not known (or the flow has none), and when it cannot be read: the callers
 * then say what they said before, never a comparison with another version.
 */
export function useLiveVersion(flowId: string, version: number | null, opened: { version: number | null; flow: DraftFlow | null }): [DraftFlow | null, (version: number, flow: DraftFlow) => void] {
  const [known, setKnown] = useState(opened);
  // A version this tab already read (its own publish, usePublish.ts): not asked for a second time.
  const seen = (v: number, flow: DraftFlow) => setKnown({ version: v, flow });
  useEffect(() => {
    if (version === null || known.version === version) return;
    let current = true;
    retried(() => api.version(flowId, version)).then(
      (v) => current && setKnown({ version, flow: v.flow }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [flowId, version, known.version]);
  return [version !== null && known.version === version ? known.flow : null, seen];
}
