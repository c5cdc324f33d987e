import { translate, type Lang } from './i18n.js';
import type { RescueOffer } from './rescue-copy.js';

/** What the rescue banner and the editor's message say about an offered copy (rescue-copy.ts). */
export interface RescueWords {
  /** The banner: this browser's changes, what the canvas shows instead, and what restoring overwrites. */
  offer: string;
  /** The message once restored: what the restored drawing replaced, when the server moved on. */
  restored: string;
  /** The message once dropped: what stays on the canvas. */
  dropped: string;
}

/**
 * The banner names both sides: the changes only this browser has, and the server's drawing on the
 * canvas (a draft, a live version), so it is not read as the server's draft being restored. A copy
 * made on another live version says so with the versions: restoring puts the old version's
 * drawing (with this browser's changes) over the new one, which the marketer must check.
 */
export function rescueWords(lang: Lang, offer: RescueOffer, ago: string): RescueWords {
  const t = (key: string) => translate(lang, key);
  const showing = offer.showing.draft ? t('rescue.showing.draft') : offer.showing.version !== null ? t('rescue.showing.version').replace('{v}', String(offer.showing.version)) : t('rescue.showing.none');
  const o = offer.outdated;
  const base = o?.kind === 'published' ? (o.from !== null ? t('rescue.base.version').replace('{v}', String(o.from)) : t('rescue.base.none')) : '';
  const since = !o ? '' : o.kind === 'published' ? t('rescue.published').replaceAll('{to}', String(o.to)).replace('{base}', base) : t('rescue.outdated');
  return {
    offer: [t('rescue.offer').replace('{ago}', ago).replace('{showing}', showing), since].filter(Boolean).join(lang === 'zh' ? '' : ' '),
    restored: o?.kind === 'published' ? t('rescue.restoredOver').replace('{base}', base).replace('{to}', String(o.to)) : t('rescue.restored'),
    dropped: t('rescue.dropped').replace('{showing}', showing),
  };
}
