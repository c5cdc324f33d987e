import { nextRunWords, pausedRunWords, type NextRun } from '../../model/next-run-words.js';
import type { SegmentTitles } from '../../model/segment-words.js';
import { useLang } from '../i18n.js';

/** Beside a scheduled journey's live numbers: when it next runs (shop time) and what that run does. */
export function NextRunNote({ next, nobodyYet, titles }: { next: NextRun; nobodyYet: boolean; titles?: SegmentTitles }) {
  const lang = useLang();
  return (
    <div className="counts-note next-run" data-testid="next-run">
      {nextRunWords(lang, next, nobodyYet, titles)}
    </div>
  );
}

/** In its place while the journey is paused: no runs, and the missed one at resume (model/next-run-words.ts). */
export function PausedRunNote({ trigger, titles }: { trigger: unknown; titles?: SegmentTitles }) {
  const lang = useLang();
  const words = pausedRunWords(lang, trigger, titles);
  return words ? (
    <div className="counts-note next-run" data-testid="paused-run">
      {words}
    </div>
  ) : null;
}
