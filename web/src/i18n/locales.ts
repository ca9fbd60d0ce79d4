import { en, type Catalogue } from './en.js';
import type { LocaleInfo } from './types.js';

/**
 * The languages the app can show: the six official languages of the United Nations. English is bundled; any other
 * catalogue is loaded on demand so that it costs nothing to users who do not choose it. A language without a
 * catalogue yet (`translated: false`) is shown in English with a notice, but keeps its own direction (Arabic is
 * right to left), so the layout is ready when its catalogue arrives: write `ar.ts` exporting `ar: Catalogue`, then
 * set `load: () => import('./ar.js').then((m) => m.ar)` and `translated: true` here.
 */
export interface LocaleEntry {
  info: LocaleInfo;
  /** False while the language has no catalogue: its pages are shown in English. */
  translated: boolean;
  load: () => Promise<Catalogue>;
}

const english = () => Promise.resolve(en);

export const LOCALES = {
  en: {
    info: { lang: 'en', intl: 'en-GB', dir: 'ltr', nativeName: 'English' },
    translated: true,
    // English is the fallback for missing keys, so it is always in the bundle.
    load: english,
  },
  fr: {
    info: { lang: 'fr', intl: 'fr-FR', dir: 'ltr', nativeName: 'Français' },
    translated: true,
    load: () => import('./fr.js').then((m) => m.fr),
  },
  es: {
    info: { lang: 'es', intl: 'es-ES', dir: 'ltr', nativeName: 'Español' },
    translated: true,
    load: () => import('./es.js').then((m) => m.es),
  },
  ar: {
    info: { lang: 'ar', intl: 'ar', dir: 'rtl', nativeName: 'العربية' },
    translated: false,
    load: english,
  },
  zh: {
    info: { lang: 'zh', intl: 'zh-CN', dir: 'ltr', nativeName: '中文' },
    translated: false,
    load: english,
  },
  ru: {
    info: { lang: 'ru', intl: 'ru-RU', dir: 'ltr', nativeName: 'Русский' },
    translated: false,
    load: english,
  },
} satisfies Record<string, LocaleEntry>;

export type LocaleCode = keyof typeof LOCALES;
export const DEFAULT_LOCALE: LocaleCode = 'en';
/** In the order of the language menu (the UN's: Arabic, Chinese, English, French, Russian, Spanish). */
export const LOCALE_ORDER: readonly LocaleCode[] = ['ar', 'zh', 'en', 'fr', 'ru', 'es'];

export function isLocaleCode(value: string): value is LocaleCode {
  return Object.prototype.hasOwnProperty.call(LOCALES, value);
}

const STORAGE_KEY = 'att.lang';

export interface LocaleChoice {
  code: LocaleCode;
  /** The `lang` asked for in the URL when it is not one the app knows (shown in a notice), else null. */
  unknown: string | null;
}

/**
 * The language to show: `?lang=` in the URL first (remembered for the next visit), then the one remembered, then
 * English. An unknown `?lang=` falls back to English and is reported so that the page can say so.
 */
export function chooseLocale(
  search: string,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
): LocaleChoice {
  const asked = new URLSearchParams(search).get('lang');
  if (asked !== null) {
    const code = asked.trim().toLowerCase();
    if (isLocaleCode(code)) {
      try {
        storage?.setItem(STORAGE_KEY, code);
      } catch {
        // private browsing: the URL still carries the choice
      }
      return { code, unknown: null };
    }
    return { code: DEFAULT_LOCALE, unknown: asked.slice(0, 20) };
  }
  let remembered: string | null;
  try {
    remembered = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    remembered = null;
  }
  return { code: remembered && isLocaleCode(remembered) ? remembered : DEFAULT_LOCALE, unknown: null };
}
