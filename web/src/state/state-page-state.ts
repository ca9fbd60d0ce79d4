import { parseAsOf } from './dates.js';

/** The State page's view state: `/states/FRA?asOf=2015-08-24`. */
export interface StatePageState {
  iso3: string;
  asOf: string | null;
}

/** The ISO3 code in a `/states/{iso3}` path (upper-cased), or null for any other path. */
export function parseStatePath(pathname: string): string | null {
  const match = /^\/states\/([A-Za-z]{3})\/?$/.exec(pathname);
  return match ? match[1]!.toUpperCase() : null;
}

export function parseStatePageState(pathname: string, search: string): StatePageState | null {
  const iso3 = parseStatePath(pathname);
  if (!iso3) return null;
  return { iso3, asOf: parseAsOf(new URLSearchParams(search).get('asOf')) };
}

export function stateHref(iso3: string, asOf: string | null): string {
  return `/states/${encodeURIComponent(iso3)}${asOf ? `?asOf=${asOf}` : ''}`;
}
