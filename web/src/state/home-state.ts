import { TREATY_STATUSES, type StatusRow, type TreatyStatus } from '../api/types.js';
import { parseAsOf } from './dates.js';

/**
 * The home page's view state. Everything a reader can change (date, search, filter, sort) lives in the URL, so
 * any view can be shared or cited: `/?asOf=2015-08-24&q=fra&sort=-depositDate`.
 */
export interface HomeState {
  /** Date of the status shown; null means today (the API's default). */
  asOf: string | null;
  /** Text typed in the table's search box. */
  q: string;
  /** Show only States with this status; null for all. */
  status: TreatyStatus | null;
  sort: SortOrder;
}

export const SORT_KEYS = [
  'name',
  'region',
  'status',
  'signatureDate',
  'depositDate',
  'entryIntoForceDate',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { key: 'name', descending: false };

export function parseHomeState(search: string | URLSearchParams): HomeState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const status = params.get('status');
  return {
    asOf: parseAsOf(params.get('asOf')),
    q: (params.get('q') ?? '').slice(0, 100),
    status:
      status && (TREATY_STATUSES as readonly string[]).includes(status) ? (status as TreatyStatus) : null,
    sort: parseSort(params.get('sort')),
  };
}

function parseSort(value: string | null): SortOrder {
  if (!value) return DEFAULT_SORT;
  const descending = value.startsWith('-');
  const key = descending ? value.slice(1) : value;
  return (SORT_KEYS as readonly string[]).includes(key) ? { key: key as SortKey, descending } : DEFAULT_SORT;
}

/** The query string for a state (defaults left out, so the plain home page is `/`). */
export function homeSearch(state: HomeState): string {
  const params = new URLSearchParams();
  if (state.asOf) params.set('asOf', state.asOf);
  if (state.q.trim()) params.set('q', state.q);
  if (state.status) params.set('status', state.status);
  if (state.sort.key !== DEFAULT_SORT.key || state.sort.descending !== DEFAULT_SORT.descending) {
    params.set('sort', `${state.sort.descending ? '-' : ''}${state.sort.key}`);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function homeHref(state: HomeState): string {
  return `/${homeSearch(state)}`;
}

/** Lower case without accents, so that "cote" finds "Côte d'Ivoire" and "turkiye" finds "Türkiye". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’']/g, "'").trim();
}

/** The table's rows: filtered by search text and status, then sorted (missing dates always last). */
export function selectRows(rows: readonly StatusRow[], state: HomeState): StatusRow[] {
  const needle = foldForSearch(state.q);
  const filtered = rows.filter((row) => {
    if (state.status && row.status !== state.status) return false;
    if (!needle) return true;
    if (foldForSearch(row.name).includes(needle)) return true;
    const code = needle.toUpperCase();
    return row.iso3 === code || row.iso2 === code;
  });
  const { key, descending } = state.sort;
  const direction = descending ? -1 : 1;
  const byName = (a: StatusRow, b: StatusRow) => a.name.localeCompare(b.name);
  return filtered.sort((a, b) => {
    const [x, y] = [sortValue(a, key), sortValue(b, key)];
    if (x === y) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * direction || byName(a, b);
  });
}

function sortValue(row: StatusRow, key: SortKey): string | number | null {
  switch (key) {
    case 'name':
      return row.name;
    case 'region':
      return row.m49Region;
    case 'status': {
      const index = TREATY_STATUSES.indexOf(row.status as TreatyStatus);
      return index === -1 ? TREATY_STATUSES.length : index;
    }
    default:
      return row[key];
  }
}
