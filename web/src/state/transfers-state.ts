import type { Params } from '../api/data.js';

/**
 * The transfers explorer's view state, all in the URL so that any view can be shared or cited:
 * `/transfers?importer=CHL&from=2015&to=2024&source=sipri&sort=-tivDelivered&top=10`.
 * `cursor` and `start` page the table (`start` is the position of the first row shown, for "rows 51-100").
 */
export interface TransfersState {
  exporter: string | null;
  importer: string | null;
  source: string | null;
  category: string | null;
  from: number | null;
  to: number | null;
  sort: string | null;
  cursor: string | null;
  start: number;
  /** How many flows the map draws. */
  top: number;
}

export const PAGE_SIZE = 50;
export const TOP_CHOICES = [5, 10, 25, 50] as const;
export const DEFAULT_TOP = 10;
export const MIN_YEAR = 1950;
export const MAX_YEAR = 2100;
export const SORT_FIELDS = [
  'year',
  'exporterId',
  'importerId',
  'tivDelivered',
  'numberOfItems',
  'value',
  'orderYear',
] as const;

/** An id or code typed in a URL: letters, digits, `-`, `_`, `:` and `.` only (ids like `H-SUN`, `national:fin`). */
function code(value: string | null): string | null {
  if (!value) return null;
  const text = value.trim().slice(0, 60);
  return /^[A-Za-z0-9][A-Za-z0-9_.:()-]*$/.test(text) ? text : null;
}

function year(value: string | null): number | null {
  if (!value || !/^\d{4}$/.test(value)) return null;
  const n = Number(value);
  return n >= MIN_YEAR && n <= MAX_YEAR ? n : null;
}

export function parseTransfersState(search: string | URLSearchParams): TransfersState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  let from = year(params.get('from'));
  let to = year(params.get('to'));
  if (from !== null && to !== null && from > to) [from, to] = [to, from];
  const sortText = params.get('sort');
  const sortKey = sortText?.replace(/^-/, '') ?? '';
  const top = Number(params.get('top'));
  const start = Number(params.get('start'));
  const cursor = params.get('cursor');
  return {
    exporter: code(params.get('exporter')),
    importer: code(params.get('importer')),
    source: code(params.get('source')),
    category: code(params.get('category')),
    from,
    to,
    sort: (SORT_FIELDS as readonly string[]).includes(sortKey) ? sortText : null,
    cursor: cursor && /^[A-Za-z0-9_-]{1,500}={0,2}$/.test(cursor) ? cursor : null,
    start: cursor && Number.isInteger(start) && start > 0 ? start : 0,
    top: (TOP_CHOICES as readonly number[]).includes(top) ? top : DEFAULT_TOP,
  };
}

/** The query string of a state (defaults left out; a filter change starts again at the first page). */
export function transfersSearch(state: TransfersState): string {
  const params = new URLSearchParams();
  const set = (key: string, value: string | number | null) => {
    if (value !== null && value !== '') params.set(key, String(value));
  };
  set('exporter', state.exporter);
  set('importer', state.importer);
  set('source', state.source);
  set('category', state.category);
  set('from', state.from);
  set('to', state.to);
  set('sort', state.sort);
  if (state.top !== DEFAULT_TOP) set('top', state.top);
  if (state.cursor) {
    set('cursor', state.cursor);
    if (state.start > 0) set('start', state.start);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function transfersHref(state: TransfersState): string {
  return `/transfers${transfersSearch(state)}`;
}

/** A change of filters: back to the first page. */
export function withFilters(state: TransfersState, change: Partial<TransfersState>): TransfersState {
  return { ...state, ...change, cursor: null, start: 0 };
}

/** The API filters of a state (the same for the JSON list, its `.csv` twin and the facets). */
export function transfersFilters(state: TransfersState, without?: keyof TransfersState): Params {
  const pick = <K extends keyof TransfersState>(key: K) => (key === without ? null : state[key]);
  return {
    exporterId: pick('exporter'),
    importerId: pick('importer'),
    source: pick('source'),
    categoryCode: pick('category'),
    from: pick('from'),
    to: pick('to'),
  };
}

/** True when any filter is set (the page then describes the selection). */
export function hasFilters(state: TransfersState): boolean {
  return Boolean(
    state.exporter || state.importer || state.source || state.category || state.from || state.to,
  );
}
