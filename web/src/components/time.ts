import { formatDate, t } from '../i18n/index.js';
import { h } from './dom.js';

/** A `<time>` for a calendar date, or a dash (with the word "None" for screen readers) when there is none. */
export function dateCell(iso: string | null, style: 'long' | 'medium' = 'medium'): Node {
  if (!iso) return emptyValue();
  return h('time', { datetime: iso }, formatDate(iso, style));
}

export function emptyValue(): HTMLElement {
  return h(
    'span',
    { class: 'empty' },
    h('span', { 'aria-hidden': 'true' }, t('value.none')),
    h('span', { class: 'visually-hidden' }, t('value.noneLong')),
  );
}
