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

const NOT_APP = /^\/(v1(\/|$)|openapi\.json$|docs(\/|$)|map\/|assets\/)/;

export function startRouter(main: HTMLElement, resolve: Resolver): void {
  outlet = main;
  resolver = resolve;
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => render(false));
  render(false);
}

/** Goes to `href` inside the app. `replace` for refinements (typing, sorting) that should not fill the history. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = new URL(href, location.href);
  if (url.href === location.href) return;
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
