import { createContext, useContext } from 'react';
import { translate, type Lang } from '../model/i18n.js';

/** The interface language (Chinese by default), switchable in the toolbar and remembered. */
export const LangContext = createContext<Lang>('zh');

export function useT(): (key: string) => string {
  const lang = useContext(LangContext);
  return (key) => translate(lang, key);
}
export const useLang = () => useContext(LangContext);

export function initialLang(): Lang {
  try {
    return localStorage.getItem('rekindle.lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}
