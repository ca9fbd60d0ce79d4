import { en, type Catalogue } from './en.js';
import type { LocaleInfo } from './types.js';

/**
 * The languages the app can show. English is bundled; any other catalogue is loaded on demand so that it costs
 * nothing to users who do not choose it. To add French: write `fr.ts` exporting `fr: Catalogue`, then add
 * `fr: { info: {...}, load: () => import('./fr.js').then((m) => m.fr) }` here.
 */
export interface LocaleEntry {
  info: LocaleInfo;
  load: () => Promise<Catalogue>;
}

export const LOCALES = {
  en: {
    info: { lang: 'en', intl: 'en-GB', dir: 'ltr', nativeName: 'English' },
    // English is the fallback for missing keys, so it is always in the bundle.
    load: () => Promise.resolve(en),
  },
} satisfies Record<string, LocaleEntry>;

export type LocaleCode = keyof typeof LOCALES;
export const DEFAULT_LOCALE: LocaleCode = 'en';

export function isLocaleCode(value: string): value is LocaleCode {
  return Object.prototype.hasOwnProperty.call(LOCALES, value);
}
