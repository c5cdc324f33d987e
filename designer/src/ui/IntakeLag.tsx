import { useEffect, useState } from 'react';
import { useLang } from './i18n.js';

/** One flow's line of `GET /api/events/intake` (server/src/api/journeys/intake-status.controller.ts). */
export interface FlowIntake {
  flowId: string;
  event: string;
  pending: number;
  oldestPendingAgeMs: number | null;
  matched: number;
  enrolled: number;
  lastLagMs: number | null;
  maxLagMs: number | null;
}

const TEXT = {
  zh: { title: '事件接入', waiting: '待处理', lag: '延迟', worst: '最长', enrolled: '已进入' },
  en: { title: 'Event intake', waiting: 'waiting', lag: 'lag', worst: 'worst', enrolled: 'enrolled' },
};

export function formatLag(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * The live view's event-intake line for an event-triggered flow: events stored but not yet acted
 * on, and the lag between an event being stored and its journey starting. Polls every 5 s;
 * renders nothing for flows that are not event-triggered or not published.
 */
export function IntakeLag({ flowId }: { flowId: string }) {
  const lang = useLang();
  const [row, setRow] = useState<FlowIntake | null>(null);
  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const res = await fetch('/api/events/intake');
        if (!res.ok) return;
        const body = (await res.json()) as { flows: FlowIntake[] };
        if (!stop) setRow(body.flows.find((f) => f.flowId === flowId) ?? null);
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
  const t = TEXT[lang === 'en' ? 'en' : 'zh'];
  const behind = row.pending > 0 ? ` · ${t.waiting} ${row.pending} (${formatLag(row.oldestPendingAgeMs)})` : '';
  return (
    <div className="intake-lag" data-testid="intake-lag" title={`${row.event}: ${t.enrolled} ${row.enrolled} / ${row.matched}`}>
      {t.title} · {t.lag} {formatLag(row.lastLagMs)} · {t.worst} {formatLag(row.maxLagMs)}
      {behind}
    </div>
  );
}
