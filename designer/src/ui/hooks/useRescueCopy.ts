import { useMemo, useState } from 'react';
import { layoutOf, positionsFor } from '../../model/layout.js';
import { rescueOffer, rescueSlot, type RescueOffer, type RescueStorage } from '../../model/rescue-copy.js';
import { useSession } from '../SignIn.js';
import type { FlowDocument } from './useFlowDocument.js';
import type { Drawing } from './useDrawing.js';

/** localStorage, or null where the browser refuses it (reading the property itself can throw). */
function browserStorage(): RescueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * The signed-in account's rescue copy of this flow (rescue-copy.ts): the slot autosave keeps it
 * in, and on opening, the copy to offer when it differs from what the server has. Restoring
 * applies it as one edit (`apply`: one undo takes it back), which autosave then saves as usual;
 * the copy stays until the server confirms it. Read only (an analyst), there is nothing to keep.
 */
export function useRescueCopy(flowId: string, doc: FlowDocument, canEdit: boolean, apply: (d: Drawing) => void) {
  const user = useSession()?.user.username ?? null;
  const slot = useMemo(() => (canEdit && user ? rescueSlot(browserStorage(), user, flowId) : null), [canEdit, user, flowId]);
  const [offer, setOffer] = useState<RescueOffer | null>(() => (slot ? rescueOffer(slot, { flow: doc.initial.flow, layout: layoutOf(doc.initial.flow, doc.initial.positions), revision: doc.draftRevision }, Date.now()) : null));
  const restore = () => {
    if (!offer) return;
    const flow = { ...offer.copy.flow, id: flowId };
    apply({ flow, positions: positionsFor(flow, offer.copy.layout) });
    setOffer(null);
  };
  const drop = () => {
    slot?.drop();
    setOffer(null);
  };
  return { slot, offer, restore, drop };
}
