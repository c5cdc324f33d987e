import { useEffect, useState } from 'react';
import { intakeWords, undeclaredNearMissWords, type FlowIntake, type UndeclaredType } from '../model/intake-words.js';
import { useShopDeclaredEvents } from './declared-events.js';
import { useLang } from './i18n.js';

/**
 * The live view's event-intake line for an event-triggered flow: events stored but not yet acted
 * on, and the lag between an event being stored and its journey starting. Polls every 5 s;
 * renders nothing for flows that are not event-triggered or not published.
 */
export function IntakeLag({ flowId }: { flowId: string }) {
  const lang = useLang();
  const declared = useShopDeclaredEvents();
  const [row, setRow] = useState<FlowIntake | null>(null);
  const [undeclared, setUndeclared] = useState<UndeclaredType[]>([]);
  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const res = await fetch('/api/events/intake');
        if (!res.ok) return;
        const body = (await res.json()) as { flows: FlowIntake[]; undeclaredTypes?: UndeclaredType[] };
        if (stop) return;
        setRow(body.flows.find((f) => f.flowId === flowId) ?? null);
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
  const nearMiss = undeclaredNearMissWords(lang, row.event, undeclared, declared);
  return (
    <div className="intake-lag" data-testid="intake-lag" title={row.event}>
      {intakeWords(lang, row, declared)}
      {nearMiss && (
        <div className="intake-undeclared" data-testid="intake-undeclared">
          {nearMiss}
        </div>
      )}
    </div>
  );
}
