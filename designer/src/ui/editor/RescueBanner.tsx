import type { RescueOffer } from '../../model/rescue-copy.js';
import { useT } from '../i18n.js';

/**
 * Above the canvas on opening a journey: this browser kept changes the server never confirmed
 * (rescue-copy.ts). The marketer restores them (an edit autosave then saves) or drops them.
 */
export function RescueBanner({ offer, onRestore, onDrop }: { offer: RescueOffer; onRestore: () => void; onDrop: () => void }) {
  const t = useT();
  const ago = t(`rescue.ago.${offer.ago.unit}`).replace('{n}', String(offer.ago.n));
  return (
    <div className="message rescue-banner" role="alert" data-testid="rescue-banner">
      {t('rescue.offer').replace('{ago}', ago)}
      {offer.outdated && ` ${t('rescue.outdated')}`}{' '}
      <button type="button" onClick={onRestore} data-testid="rescue-restore">
        {t('rescue.restore')}
      </button>{' '}
      <button type="button" onClick={onDrop} data-testid="rescue-drop">
        {t('rescue.drop')}
      </button>
    </div>
  );
}
