import { brokenSegmentWords, type BrokenSegment } from '../model/broken-segments.js';
import { useT } from './i18n.js';

/** The one line that says an audience cannot be used and why (on a card, under a picker): shown before publishing refuses it. */
export function BrokenAudienceNote({ broken, testId, className }: { broken: BrokenSegment; testId: string; className?: string }) {
  const t = useT();
  return (
    <div className={`broken-audience ${className ?? ''}`} role="note" data-testid={testId}>
      ⚠ {brokenSegmentWords(t, broken)}
    </div>
  );
}
