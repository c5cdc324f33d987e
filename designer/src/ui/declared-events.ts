import { retried } from '../model/retried.js';
import { createContext, useContext, useEffect, useState } from 'react';
import { api } from '../api.js';
import { declaredEventWords, NO_DECLARED_EVENTS, type DeclaredEvents } from '../model/summary.js';

/**
 * The shop's declared events (rules/shop.yaml `events:`) for the canvas cards, which React Flow
 * renders from node data alone: the editor provides them once from GET /api/event-types, so a card
 * names wechat_reply by the shop's description as the inspector does.
 */
export const DeclaredEventsContext = createContext<DeclaredEvents>(NO_DECLARED_EVENTS);
export const useDeclaredEvents = () => useContext(DeclaredEventsContext);

/**
 * The same words for the views outside the editor (the journeys list, a customer's history), so
 * every view names an event as its card does. Until GET /api/event-types answers (or if it fails),
 * declared events show by their raw name, as before.
 */
export function useShopDeclaredEvents(): DeclaredEvents {
  const [declared, setDeclared] = useState<DeclaredEvents>(NO_DECLARED_EVENTS);
  useEffect(() => {
    retried(api.eventTypes).then((e) => setDeclared(declaredEventWords(e.events))).catch(() => {}); // the ids show instead: what they name is still right
  }, []);
  return declared;
}
