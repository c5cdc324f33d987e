import { useEffect, useState } from 'react';
import { INTAKE_SEPARATOR, intakeParts, intakePrefix, intakeTitle, intakeWords, undeclaredNearMissWords, type FlowIntake, type LagWindow, type UndeclaredType } from '../model/intake-words.js';
import { useShopDeclaredEvents } from './declared-events.js';
import { useLang } from './i18n.js';

/**
 * The live view's event-intake line for a flow that acts on events (its trigger, exit or awaited
 * events): events stored but not yet acted on, and the lag between an event being stored and the
 * engine acting on it (the longest within the answer's window). Polls every 5 s; renders nothing
 * for flows that act on no event or are not published.
 */
export function IntakeLag({ flowId }: { flowId: string }) {
  const lang = useLang();
  const declared = useShopDeclaredEvents();
  const [row, setRow] = useState<FlowIntake | null>(null);
  const [undeclared, setUndeclared] = useState<UndeclaredType[]>([]);
  const [lagWindow, setLagWindow] = useState<LagWindow | undefined>(undefined);
  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const res = await fetch('/api/events/intake');
        if (!res.ok) return;
        const body = (await res.json()) as { flows: FlowIntake[]; undeclaredTypes?: UndeclaredType[]; window?: LagWindow; dueCapped?: boolean };
        if (stop) return;
        setLagWindow(body.window);
        const mine = body.flows.find((f) => f.flowId === flowId);
        setRow(mine ? { ...mine, dueCapped: body.dueCapped } : null);
        setUndeclared(body.undeclaredTypes ?? []);
      } catch {
        /* the next poll tries again */
      }
    };
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [flowId]);
  if (!row) return null;
  const words = intakeWords(lang, row, declared, lagWindow);
  const parts = intakeParts(lang, row, declared, lagWindow);
  const nearMiss = row.event === null ? null : undeclaredNearMissWords(lang, row.event, undeclared, declared);
  return (
    // The line wraps between its parts (each part kept whole where it fits): at 1400 px during a
    // burst with two event types it was one line cut at its end, the lag never in view. The whole
    // line is in the tooltip too, then what it counts.
    <div className="intake-lag" data-testid="intake-lag" title={`${words}\n\n${intakeTitle(lang, row, declared, lagWindow)}`}>
      {intakePrefix(lang)}
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && INTAKE_SEPARATOR}
          <span className="intake-part">{part}</span>
        </span>
      ))}
      {nearMiss && (
        <div className="intake-undeclared" data-testid="intake-undeclared">
          {nearMiss}
        </div>
      )}
    </div>
  );
}
