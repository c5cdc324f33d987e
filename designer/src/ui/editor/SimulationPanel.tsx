import { useEffect, useState } from 'react';
import { simBarButtons, simBarLine } from '../../model/sim-bar.js';
import { useLang, useT } from '../i18n.js';

/**
 * While a simulation runs: what it covers and a progress bar; then its summary in sentences. The
 * marketer can fold it to one line (the head and how many entered) to see the cards and edge labels
 * it covers, and open it again; it stays folded for the next run.
 */
export function SimulationPanel({ running, startedAt, lines, runningText, note, onClose }: { running: boolean; startedAt: number; lines: string[]; runningText?: string; note?: string; onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const [now, setNow] = useState(Date.now());
  const [folded, setFolded] = useState(false);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [running]);
  // The server answers at the end; the bar approaches the end over the usual few seconds and never claims to be done early.
  const pct = running ? Math.min(95, Math.round(100 * (1 - Math.exp(-(now - startedAt) / 4000)))) : 100;
  const buttons = simBarButtons(lang);
  const head = running ? (runningText ?? t('sim.running')) : t('sim.done');
  const bar = running ? `${pct}%` : simBarLine(lines);
  return (
    <div className={`sim-panel${folded ? ' sim-panel-folded' : ''}`} data-testid="simulation">
      <div className="sim-head">
        <b data-testid="simulation-head">{head}</b>
        {folded && bar && (
          <span className="sim-bar-line" data-testid="simulation-bar">
            {bar}
          </span>
        )}
        <span className="sim-head-buttons">
          <button type="button" className="link" aria-expanded={!folded} onClick={() => setFolded(!folded)} data-testid="simulation-fold">
            {folded ? buttons.expand : buttons.collapse}
          </button>
          {!running && (
            <button type="button" className="link" onClick={onClose}>
              {t('close')}
            </button>
          )}
        </span>
      </div>
      {!folded && (
        <>
          {/* Why this many days (sim-window.ts windowNote): the journey's longest path. */}
          {note && (
            <small className="help" data-testid="simulation-note">
              {note}
            </small>
          )}
          <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <div className="progress-bar" style={{ width: `${pct}%` }} />
          </div>
          <ul data-testid="simulation-summary">
            {lines.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
