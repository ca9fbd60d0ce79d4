import type { Embargo } from '../api/data.js';
import { parseAsOf } from './dates.js';
import { foldForSearch } from './home-state.js';

/** The embargoes page's view state: `/embargoes?authority=UN&scope=full&binding=mandatory&q=sudan&asOf=2015-01-01`. */
export interface EmbargoesState {
  authority: 'UN' | 'EU' | null;
  scope: string | null;
  binding: string | null;
  /** Text searched in target names and ids. */
  q: string;
  /** An exact target id (links from a State's page). */
  target: string | null;
  /** Only episodes in force on this date; null for every episode. */
  asOf: string | null;
}

const CODE = /^[a-z_]{1,40}$/;

export function parseEmbargoesState(search: string | URLSearchParams): EmbargoesState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const authority = (params.get('authority') ?? '').toUpperCase();
  const scope = params.get('scope');
  const binding = params.get('binding');
  const target = params.get('target');
  return {
    authority: authority === 'UN' || authority === 'EU' ? authority : null,
    scope: scope && CODE.test(scope) ? scope : null,
    binding: binding && CODE.test(binding) ? binding : null,
    q: (params.get('q') ?? '').slice(0, 100),
    target: target && /^[A-Z0-9-]{2,30}$/.test(target.toUpperCase()) ? target.toUpperCase() : null,
    asOf: parseAsOf(params.get('asOf')),
  };
}

export function embargoesHref(state: EmbargoesState): string {
  const params = new URLSearchParams();
  if (state.authority) params.set('authority', state.authority);
  if (state.scope) params.set('scope', state.scope);
  if (state.binding) params.set('binding', state.binding);
  if (state.q.trim()) params.set('q', state.q);
  if (state.target) params.set('target', state.target);
  if (state.asOf) params.set('asOf', state.asOf);
  const text = params.toString();
  return `/embargoes${text ? `?${text}` : ''}`;
}

/** In force on `date`: from the start date up to, not including, the end date (an open end is still in force). */
export function inForceOn(episode: Pick<Embargo, 'startDate' | 'endDate'>, date: string): boolean {
  if (!episode.startDate || episode.startDate > date) return false;
  return episode.endDate === null || episode.endDate > date;
}

export function selectEpisodes(
  episodes: readonly Embargo[],
  state: EmbargoesState,
  nameOf: (id: string) => string,
): Embargo[] {
  const needle = foldForSearch(state.q);
  return episodes.filter((episode) => {
    if (state.authority && episode.authority !== state.authority) return false;
    if (state.scope && episode.scopeCode !== state.scope) return false;
    if (state.binding && episode.binding !== state.binding) return false;
    if (state.target && !episode.targetIds.includes(state.target)) return false;
    if (state.asOf && !inForceOn(episode, state.asOf)) return false;
    if (!needle) return true;
    const names = [episode.target, ...episode.targetIds, ...episode.targetIds.map(nameOf)];
    return names.some((name) => foldForSearch(name).includes(needle));
  });
}

export interface TimelineRow {
  key: string;
  label: string;
  episodes: Embargo[];
}

/** One timeline row per target (its ids, or its text when it has none), ordered by name. */
export function timelineRows(episodes: readonly Embargo[], nameOf: (id: string) => string): TimelineRow[] {
  const rows = new Map<string, TimelineRow>();
  for (const episode of episodes) {
    const key = episode.targetIds.length ? episode.targetIds.join('+') : episode.target;
    const label = episode.targetIds.length ? episode.targetIds.map(nameOf).join(', ') : episode.target;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, label, episodes: [] }));
    row.episodes.push(episode);
  }
  for (const row of rows.values())
    row.episodes.sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''));
  return [...rows.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** A date as a fractional year (2015-07-02 -> about 2015.5), for the timeline's scale. */
export function yearFraction(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const start = Date.UTC(y, 0, 1);
  const end = Date.UTC(y + 1, 0, 1);
  return y + (Date.UTC(y, m - 1, d) - start) / (end - start);
}
