import type { RescueOffer } from '../../model/rescue-copy.js';
import { rescueWords } from '../../model/rescue-words.js';
import { useLang, useT } from '../i18n.js';

/**
 * Above the canvas on opening a journey: this browser kept changes the server never confirmed
 * (rescue-copy.ts). The marketer restores them (an edit autosave then saves) or drops them. The
 * words (rescue-words.ts) tell these changes from the server's drawing the canvas shows meanwhile.
 */
export function RescueBanner({ offer, onRestore, onDrop }: { offer: RescueOffer; onRestore: () => void; onDrop: () => void }) {
  const t = useT();
  const lang = useLang();
  const ago = t(`rescue.ago.${offer.ago.unit}`).replace('{n}', String(offer.ago.n));
  return (
    <div className={`message rescue-banner${offer.outdated ? ' rescue-outdated' : ''}`} role="alert" data-testid="rescue-banner">
      {rescueWords(lang, offer, ago).offer}{' '}
      <button type="button" onClick={onRestore} data-testid="rescue-restore">
        {t('rescue.restore')}
      </button>{' '}
      <button type="button" onClick={onDrop} data-testid="rescue-drop">
        {t('rescue.drop')}
      </button>
    </div>
  );
}
