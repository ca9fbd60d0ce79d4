import { currentLocaleCode, t } from '../i18n/index.js';
import { LOCALES, LOCALE_ORDER } from '../i18n/locales.js';
import { navigate } from '../router.js';
import { h, uid } from './dom.js';

/**
 * The language menu: the six UN languages in their own names. Choosing one puts `?lang=xx` in the URL (so a shared
 * link opens in that language) and remembers it for the next visit.
 */
export function langSwitch(): HTMLElement {
  const id = uid('lang');
  const { code } = currentLocaleCode();
  const select = h(
    'select',
    { id, name: 'lang', class: 'lang-select' },
    ...LOCALE_ORDER.map((option) => {
      const entry = LOCALES[option];
      const label = entry.translated
        ? entry.info.nativeName
        : `${entry.info.nativeName} (${t('lang.untranslated')})`;
      return h('option', { value: option, lang: entry.info.lang, selected: option === code }, label);
    }),
  );
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('lang', select.value);
    navigate(url.pathname + url.search + url.hash);
  });
  return h(
    'div',
    { class: 'lang-switch' },
    h('label', { for: id, class: 'lang-label' }, t('lang.label')),
    select,
  );
}
