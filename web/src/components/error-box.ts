import type { ApiError } from '../api/client.js';
import { t } from '../i18n/index.js';
import { h } from './dom.js';

/** An error in words the reader can act on, with the API's hint when it gave one, and a retry button. */
export function errorMessage(error: ApiError, retry?: () => void): HTMLElement {
  const message = error.code === 'network' ? t('error.network') : error.message;
  const box = h(
    'div',
    { class: 'error-box', role: 'alert' },
    h('h2', {}, t('error.title')),
    h('p', {}, t('error.load', { message })),
    error.hint ? h('p', {}, error.hint) : null,
  );
  if (retry) {
    const button = h('button', { type: 'button' }, t('error.retry'));
    button.addEventListener('click', retry);
    box.append(button);
  }
  return box;
}
