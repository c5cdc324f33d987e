import { createContext, useContext } from 'react';

/**
 * The property that keys the journey (trigger.key) for the canvas cards, which React Flow renders
 * from node data alone: a send card shows {{key}} as 〈订单号〉 (message-stand-ins.ts).
 */
export const JourneyKeyContext = createContext<string | undefined>(undefined);
export const useJourneyKey = () => useContext(JourneyKeyContext);
