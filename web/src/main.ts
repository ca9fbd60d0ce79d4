import './styles.css';
import { h } from './components/dom.js';
import { setLocale, t } from './i18n/index.js';
import { homePage } from './pages/home.js';
import { notFoundPage } from './pages/not-found.js';
import { statePage } from './pages/state.js';
import { startRouter, type Route } from './router.js';
import { parseStatePath } from './state/state-page-state.js';

function resolve(url: URL): Route {
  if (url.pathname === '/' || url.pathname === '/index.html') return { key: 'home', create: homePage };
  const iso3 = parseStatePath(url.pathname);
  if (iso3) return { key: `state:${iso3}`, create: statePage };
  return { key: `404:${url.pathname}`, create: notFoundPage };
}

function shell(): HTMLElement {
  const main = h('main', { id: 'main', tabindex: -1 });
  const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  app.replaceChildren(
    h('a', { class: 'skip-link', href: '#main' }, t('app.skipToContent')),
    h(
      'header',
      { class: 'site-header' },
      h(
        'div',
        { class: 'wrap header-inner' },
        h(
          'a',
          { class: 'brand', href: '/' },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
          h('span', { class: 'brand-name' }, t('app.name')),
        ),
        h(
          'nav',
          { 'aria-label': t('nav.label') },
          h(
            'ul',
            {},
            h('li', {}, h('a', { href: '/' }, t('nav.home'))),
            h('li', {}, h('a', { href: '/docs' }, t('nav.api'))),
          ),
        ),
      ),
    ),
    h('div', { class: 'wrap' }, main),
    h(
      'footer',
      { class: 'site-footer' },
      h(
        'div',
        { class: 'wrap' },
        h('p', {}, t('footer.about')),
        h(
          'ul',
          { class: 'footer-links' },
          h('li', {}, h('a', { href: '/openapi.json' }, t('footer.api'))),
          h('li', {}, h('a', { href: '/docs' }, t('footer.apiDocs'))),
        ),
        h('p', { class: 'muted' }, t('footer.licence')),
      ),
    ),
  );
  return main;
}

async function start(): Promise<void> {
  await setLocale(document.documentElement.lang || 'en');
  startRouter(shell(), resolve);
}

void start();
