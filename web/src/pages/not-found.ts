import { h } from '../components/dom.js';
import { t } from '../i18n/index.js';
import { setDocumentTitle, type Page } from '../router.js';

export function notFoundPage(url: URL): Page {
  setDocumentTitle(t('notFound.title'));
  return {
    element: h(
      'div',
      { class: 'page not-found' },
      h('h1', { tabindex: -1 }, t('notFound.title')),
      h('p', {}, t('notFound.body', { path: url.pathname })),
      h('p', {}, h('a', { href: '/' }, t('notFound.home'))),
    ),
  };
}
