import { createContext, useContext, useState, type ReactNode } from 'react';
import { translate, type Lang } from '../model/i18n.js';

/** The interface language (Chinese by default), switchable in the top bar and remembered. */
export const LangContext = createContext<Lang>('zh');
const ToggleContext = createContext<() => void>(() => {});

export function useT(): (key: string) => string {
  const lang = useContext(LangContext);
  return (key) => translate(lang, key);
}
export const useLang = () => useContext(LangContext);
export const useToggleLang = () => useContext(ToggleContext);

export function initialLang(): Lang {
  try {
    return localStorage.getItem('rekindle.lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Outside everything (main.tsx), so the sign-in gate's bar speaks the chosen language too. */
export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const toggle = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('rekindle.lang', next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLang(next);
  };
  return (
    <LangContext.Provider value={lang}>
      <ToggleContext.Provider value={toggle}>{children}</ToggleContext.Provider>
    </LangContext.Provider>
  );
}
