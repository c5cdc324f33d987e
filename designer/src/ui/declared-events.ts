import { createContext, useContext } from 'react';
import { NO_DECLARED_EVENTS, type DeclaredEvents } from '../model/summary.js';

/**
 * The shop's declared events (rules/shop.yaml `events:`) for the canvas cards, which React Flow
 * renders from node data alone: the editor provides them once from GET /api/event-types, so a card
 * names wechat_reply by the shop's description as the inspector does.
 */
export const DeclaredEventsContext = createContext<DeclaredEvents>(NO_DECLARED_EVENTS);
export const useDeclaredEvents = () => useContext(DeclaredEventsContext);
