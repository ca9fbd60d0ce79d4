import { t, type MessageKey } from '../i18n/index.js';
import { h } from './dom.js';

/**
 * An explanation of a term that a keyboard can reach: a `<details>` whose summary is a small "i" button.
 * Only one is open at a time; Escape closes it.
 */
export function termTip(term: string, explanation: MessageKey): HTMLDetailsElement {
  const details = h(
    'details',
    { class: 'tip' },
    h(
      'summary',
      {},
      h('span', { 'aria-hidden': 'true', class: 'tip-icon' }, 'i'),
      h('span', { class: 'visually-hidden' }, t('term.about', { term })),
    ),
    h('p', { class: 'tip-body' }, t(explanation)),
  );
  details.addEventListener('toggle', () => {
    if (!details.open) return;
    for (const other of document.querySelectorAll<HTMLDetailsElement>('details.tip[open]'))
      if (other !== details) other.open = false;
  });
  details.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && details.open) {
      details.open = false;
      details.querySelector('summary')?.focus();
    }
  });
  return details;
}

// Close open tips when the reader clicks elsewhere.
document.addEventListener('click', (event) => {
  for (const open of document.querySelectorAll<HTMLDetailsElement>('details.tip[open]')) {
    if (!open.contains(event.target as Node)) open.open = false;
  }
});
