/**
 * History routing for a single-page app: same-origin links are handled here (no reload), the server answers
 * index.html for any non-API path, so every URL can be shared. API and OpenAPI links are left to the browser.
 */
import { t } from './i18n/index.js';

export interface Page {
  element: HTMLElement;
  /** Called when the URL changes but the route stays the same (e.g. a new `asOf`); return false to rebuild. */
  update?(url: URL): boolean;
  destroy?(): void;
}

export interface Route {
  /** Pages with the same key are updated in place rather than rebuilt. */
  key: string;
  create(url: URL): Page;
}

type Resolver = (url: URL) => Route;

let outlet: HTMLElement | null = null;
let resolver: Resolver | null = null;
let current: { key: string; page: Page } | null = null;
/** Query parameters every in-app URL keeps (the chosen language), so that the address bar can always be shared. */
let sticky: Record<string, string> = {};

/** Keeps `params` (e.g. `{ lang: 'fr' }`) in every URL the app navigates to. */
export function setStickyParams(params: Record<string, string>): void {
  sticky = { ...params };
}

/** `href` with the sticky parameters added when it does not set them itself. */
export function withSticky(href: string): URL {
  const url = new URL(href, location.href);
  for (const [key, value] of Object.entries(sticky))
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return url;
}

const NOT_APP = /^\/(v1(\/|$)|openapi\.json$|docs(\/|$)|map\/|assets\/)/;

/** The `lang` parameter of the URL last shown: a different one means another catalogue, so a fresh load. */
let shownLangParam = '';
const langParam = (href: string) => new URL(href, location.href).searchParams.get('lang') ?? '';

export function startRouter(main: HTMLElement, resolve: Resolver): void {
  shownLangParam = langParam(location.href);
  outlet = main;
  resolver = resolve;
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => {
    if (langParam(location.href) !== shownLangParam) location.reload();
    else render(false);
  });
  render(false);
}

/**
 * A route whose code is loaded on demand (one chunk per page, so the first load stays small). The page is created as
 * soon as its module arrives, with the URL of that moment.
 */
export function lazyRoute(key: string, load: () => Promise<(url: URL) => Page>): Route {
  return {
    key,
    create(url) {
      let inner: Page | null = null;
      let latest = url;
      let destroyed = false;
      const element = document.createElement('div');
      element.className = 'page-slot';
      const waiting = document.createElement('p');
      waiting.className = 'loading-page';
      waiting.textContent = t('loading');
      element.append(waiting);
      const focusWanted = () => document.activeElement === document.body || document.activeElement === outlet;
      load()
        .then((create) => {
          if (destroyed) return;
          const wantFocus = focusWanted();
          inner = create(latest);
          element.replaceChildren(inner.element);
          if (wantFocus) element.querySelector<HTMLElement>('h1')?.focus();
        })
        .catch(() => {
          if (!destroyed) waiting.textContent = t('error.network');
        });
      return {
        element,
        update(next) {
          latest = next;
          if (!inner) return true;
          return inner.update?.(next) ?? false;
        },
        destroy() {
          destroyed = true;
          inner?.destroy?.();
        },
      };
    },
  };
}

/** Goes to `href` inside the app. `replace` for refinements (typing, sorting) that should not fill the history. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = withSticky(href);
  if (url.href === location.href) return;
  // Another language needs its catalogue and every string of the shell again: load the page afresh.
  if (langParam(url.href) !== shownLangParam) {
    location.assign(url.href);
    return;
  }
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render(!options.replace);
}

function render(moveFocus: boolean): void {
  if (!outlet || !resolver) return;
  const url = new URL(location.href);
  const route = resolver(url);
  if (current && current.key === route.key && current.page.update?.(url)) return;
  current?.page.destroy?.();
  const page = route.create(url);
  current = { key: route.key, page };
  outlet.replaceChildren(page.element);
  document.dispatchEvent(new Event('att:navigated'));
  if (moveFocus) {
    window.scrollTo(0, 0);
    // Tell screen readers a new page is shown: focus its heading (tabindex=-1).
    outlet.querySelector<HTMLElement>('h1')?.focus();
  }
}

export function setDocumentTitle(pageTitle: string): void {
  const app = t('app.name');
  document.title = pageTitle && pageTitle !== app ? `${pageTitle} · ${app}` : app;
}

function onClick(event: MouseEvent): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor) return;
  // SVG links (the map) have an SVGAnimatedString `href`: read the attribute.
  const raw = anchor.getAttribute('href');
  if (raw === null || anchor.hasAttribute('download')) return;
  const target = anchor.getAttribute('target');
  if (target && target !== '_self') return;
  const url = new URL(raw, location.href);
  if (url.origin !== location.origin || NOT_APP.test(url.pathname)) return;
  // In-page links (skip links) keep the browser's behaviour.
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
