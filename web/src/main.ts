import './styles.css';
import { currentSession, onSessionChange, type SessionInfo } from './api/session.js';
import { h, replaceChildren } from './components/dom.js';
import { langSwitch } from './components/lang-switch.js';
import { currentLocale, currentLocaleCode, setLocale, t, textLang } from './i18n/index.js';
import { DEFAULT_LOCALE, chooseLocale, type LocaleChoice } from './i18n/locales.js';
import { homePage } from './pages/home.js';
import { notFoundPage } from './pages/not-found.js';
import { statePage } from './pages/state.js';
import { lazyRoute, setStickyParams, startRouter, type Route } from './router.js';
import { parseStatePath } from './state/state-page-state.js';

function resolve(url: URL): Route {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/index.html') return { key: 'home', create: homePage };
  const iso3 = parseStatePath(url.pathname);
  if (iso3) return { key: `state:${iso3}`, create: statePage };
  if (path.startsWith('/reporting/drafts/'))
    return lazyRoute(`draft:${url.pathname}`, () => import('./pages/reporting.js').then((m) => m.draftPage));
  if (/^\/meetings\/\d+$/.test(path))
    return lazyRoute(`meeting:${path}`, () => import('./pages/meeting.js').then((m) => m.meetingPage));
  if (path.startsWith('/reports/'))
    return lazyRoute(`report:${url.pathname}`, () => import('./pages/report.js').then((m) => m.reportPage));
  switch (path) {
    case '/transfers':
      return lazyRoute('transfers', () => import('./pages/transfers.js').then((m) => m.transfersPage));
    case '/compliance':
      return lazyRoute('compliance', () => import('./pages/compliance.js').then((m) => m.compliancePage));
    case '/embargoes':
      return lazyRoute('embargoes', () => import('./pages/embargoes.js').then((m) => m.embargoesPage));
    case '/meetings':
      return lazyRoute('meetings', () => import('./pages/meetings.js').then((m) => m.meetingsPage));
    case '/moderation':
      return lazyRoute('moderation', () => import('./pages/moderation.js').then((m) => m.moderationPage));
    case '/methods':
      return lazyRoute('methods', () => import('./pages/methods.js').then((m) => m.methodsPage));
    case '/sign-in':
      return lazyRoute('sign-in', () => import('./pages/sign-in.js').then((m) => m.signInPage));
    case '/reporting':
      return lazyRoute('reporting', () => import('./pages/reporting.js').then((m) => m.reportingDeskPage));
    case '/reporting/record':
      return lazyRoute('reporting-record', () => import('./pages/reporting.js').then((m) => m.recordReportPage));
    case '/account':
      return lazyRoute('account', () => import('./pages/account.js').then((m) => m.accountPage));
    case '/alerts':
      return lazyRoute('alerts', () => import('./pages/alerts.js').then((m) => m.alertsPage));
    case '/reference-upkeep':
      return lazyRoute('reference-upkeep', () => import('./pages/reference-upkeep.js').then((m) => m.referenceUpkeepPage));
    default:
      return { key: `404:${url.pathname}`, create: notFoundPage };
  }
}

const NAV: { href: string; label: Parameters<typeof t>[0]; match: RegExp }[] = [
  { href: '/', label: 'nav.home', match: /^\/(index\.html)?$|^\/(states|reports)\// },
  { href: '/transfers', label: 'nav.transfers', match: /^\/transfers/ },
  { href: '/compliance', label: 'nav.compliance', match: /^\/compliance/ },
  { href: '/embargoes', label: 'nav.embargoes', match: /^\/embargoes/ },
  { href: '/meetings', label: 'nav.meetings', match: /^\/meetings/ },
  { href: '/methods', label: 'nav.methods', match: /^\/methods/ },
];

/** Marks the navigation link of the section shown (aria-current), after every route change. */
function markCurrent(nav: HTMLElement): void {
  const path = location.pathname;
  for (const link of nav.querySelectorAll<HTMLAnchorElement>('a[data-nav]')) {
    const item = NAV.find((n) => n.href === link.getAttribute('href'));
    if (item && item.match.test(path)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** "Sign in" for visitors, "Your account" once signed in (the session is asked for once; sign-in/out update it). */
function accountLink(): HTMLElement {
  const link = h('a', { class: 'account-link', href: '/sign-in', 'data-account-link': 'anonymous' }, t('nav.signIn'));
  const show = (session: SessionInfo) => {
    const signedIn = session.kind !== 'anonymous';
    link.setAttribute('href', signedIn ? '/account' : '/sign-in');
    link.setAttribute('data-account-link', session.kind);
    link.textContent = t(signedIn ? 'nav.account' : 'nav.signIn');
  };
  void currentSession().then(show);
  onSessionChange(show);
  return link;
}

function languageNotice(choice: LocaleChoice): HTMLElement | null {
  const { translated } = currentLocaleCode();
  if (choice.unknown !== null)
    return h(
      'p',
      { class: 'lang-notice', role: 'status', 'data-notice': 'unknown-language' },
      t('lang.unknown', { lang: choice.unknown }),
    );
  if (!translated)
    return h(
      'p',
      { class: 'lang-notice', role: 'status', 'data-notice': 'untranslated' },
      t('lang.notYet', { language: currentLocale().nativeName }),
    );
  return null;
}

function shell(choice: LocaleChoice): HTMLElement {
  const main = h('main', { id: 'main', tabindex: -1 });
  const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  // While a language has no catalogue, its pages are in English: say so to screen readers (the page keeps `dir`).
  if (textLang() !== currentLocale().lang) app.setAttribute('lang', textLang());
  else app.removeAttribute('lang');
  const nav = h(
    'nav',
    { 'aria-label': t('nav.label'), class: 'site-nav' },
    h(
      'ul',
      {},
      ...NAV.map((item) => h('li', {}, h('a', { href: item.href, 'data-nav': '' }, t(item.label)))),
      h('li', {}, h('a', { href: '/docs' }, t('nav.api'))),
    ),
  );
  const notice = languageNotice(choice);
  replaceChildren(
    app,
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
        nav,
        accountLink(),
        langSwitch(),
      ),
    ),
    notice ? h('div', { class: 'wrap' }, notice) : null,
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
          h('li', {}, h('a', { href: '/methods' }, t('footer.methods'))),
          h('li', {}, h('a', { href: '/alerts', 'data-footer': 'alerts' }, t('footer.alerts'))),
          h('li', {}, h('a', { href: '/openapi.json' }, t('footer.api'))),
          h('li', {}, h('a', { href: '/docs' }, t('footer.apiDocs'))),
        ),
        h('p', { class: 'muted' }, t('footer.licence')),
      ),
    ),
  );
  markCurrent(nav);
  window.addEventListener('popstate', () => markCurrent(nav));
  document.addEventListener('att:navigated', () => markCurrent(nav));
  return main;
}

async function start(): Promise<void> {
  let storage: Storage | null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  const choice = chooseLocale(location.search, storage);
  await setLocale(choice.code);
  if (choice.code !== DEFAULT_LOCALE) {
    // The language is part of every URL the reader can copy.
    setStickyParams({ lang: choice.code });
    const url = new URL(location.href);
    if (!url.searchParams.has('lang')) {
      url.searchParams.set('lang', choice.code);
      history.replaceState(null, '', url);
    }
  }
  startRouter(shell(choice), resolve);
}

void start();
