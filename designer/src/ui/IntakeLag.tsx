import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { loadFailureWords } from '../model/load-failure.js';
import { INTAKE_SEPARATOR, intakeParts, intakePrefix, intakeTitle, intakeWords, undeclaredNearMissWords, type FlowIntake, type LagWindow, type UndeclaredType } from '../model/intake-words.js';
import { useShopDeclaredEvents } from './declared-events.js';
import { useLang } from './i18n.js';
import { LoadFailed } from './LoadFailed.js';

/**
 * The live view's event-intake line for a flow that acts on events (its trigger, exit or awaited
 * events): events stored but not yet acted on, and the lag between an event being stored and the
 * engine acting on it (the longest within the answer's window). Polls every 5 s; renders nothing
 * for flows that act on no event or are not published.
 * A failed poll is said (with 重试) instead of leaving the last figures as if they were current:
 * during an outage the line kept counting nothing new and its lag looked fine. A first read that
 * fails is said only for a journey started by an event (`expectsRow`): one that acts on no event
 * has no line to miss.
 */
export function IntakeLag({ flowId, timezone, expectsRow = false }: { flowId: string; timezone?: string; expectsRow?: boolean }) {
  const lang = useLang();
  const declared = useShopDeclaredEvents();
  const [row, setRow] = useState<FlowIntake | null>(null);
  const [undeclared, setUndeclared] = useState<UndeclaredType[]>([]);
  const [lagWindow, setLagWindow] = useState<LagWindow | undefined>(undefined);
  /** Why the last poll failed (undefined: it did not). */
  const [failed, setFailed] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const body = await api.intake();
        if (stop) return;
        setFailed(undefined);
        setLagWindow(body.window);
        const mine = body.flows.find((f) => f.flowId === flowId);
        setRow(mine ? { ...mine, dueCapped: body.dueCapped } : null);
        setUndeclared(body.undeclaredTypes ?? []);
      } catch (e) {
        // The next poll tries again; meanwhile the line says its figures are old.
        if (!stop) setFailed(e);
      }
    };
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [flowId, attempt]);
  if (!row) return failed !== undefined && expectsRow ? <LoadFailed words={loadFailureWords(lang, 'intake', failed)} retry={retry} testId="intake-failed" /> : null;
  const words = intakeWords(lang, row, declared, lagWindow, timezone);
  const parts = intakeParts(lang, row, declared, lagWindow, timezone);
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
      {failed !== undefined && <LoadFailed words={loadFailureWords(lang, 'intakeStale', failed)} retry={retry} testId="intake-stale" />}
      {nearMiss && (
        <div className="intake-undeclared" data-testid="intake-undeclared">
          {nearMiss}
        </div>
      )}
    </div>
  );
}
