import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';
export type { MessageKey };

export const dictionaries: Record<Lang, Record<MessageKey, string>> = {
  'zh-CN': zhCN,
  en,
};

const STORAGE_KEY = 'incuchain.lang';

function readStoredLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'zh-CN' || v === 'en') return v;
  } catch {
    // Storage can be unavailable (private mode); the default language still works.
  }
  return DEFAULT_LANG;
}

// The language lives outside React so the API client can send Accept-Language
// without being handed a hook result on every call.
let current: Lang = readStoredLang();
const listeners = new Set<() => void>();

export function getLanguage(): Lang {
  return current;
}

export function setLanguage(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Not persisting is acceptable; the switch still applies to this tab.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  listeners.forEach((l) => l());
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export type TParams = Record<string, string | number>;

/** translate formats one message; `{name}` placeholders are replaced from params. */
export function translate(lang: Lang, key: MessageKey, params?: TParams): string {
  const template = dictionaries[lang][key] ?? dictionaries[DEFAULT_LANG][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m,
  );
}

export type TFunc = (key: MessageKey, params?: TParams) => string;

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: TFunc;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const lang = useSyncExternalStore(subscribe, getLanguage, getLanguage);
  const t = useCallback<TFunc>((key, params) => translate(lang, key, params), [lang]);
  const value = useMemo(() => ({ lang, setLang: setLanguage, t }), [lang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n must be used inside <I18nProvider>');
  return v;
}

/** isMessageKey lets callers translate server codes (roles, kinds) only when we know them. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}
