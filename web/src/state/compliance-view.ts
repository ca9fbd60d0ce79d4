import type { ComplianceRate, Entity, ObligationRow } from '../api/data.js';

/** The compliance dashboard's view state: `/compliance?year=2023&group=unRegionalGroup`. */
export interface ComplianceState {
  year: number | null;
  group: 'm49Region' | 'unRegionalGroup';
}

export function parseComplianceState(search: string | URLSearchParams): ComplianceState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const year = params.get('year');
  const n = year && /^\d{4}$/.test(year) ? Number(year) : null;
  return {
    year: n !== null && n >= 2014 && n <= 2100 ? n : null,
    group: params.get('group') === 'unRegionalGroup' ? 'unRegionalGroup' : 'm49Region',
  };
}

export function complianceHref(state: ComplianceState): string {
  const params = new URLSearchParams();
  if (state.year !== null) params.set('year', String(state.year));
  if (state.group !== 'm49Region') params.set('group', state.group);
  const text = params.toString();
  return `/compliance${text ? `?${text}` : ''}`;
}

/** Calendar statuses of obligations without a report registry (src/analysis/reporting-calendar.ts). */
export const CALENDAR_STATUSES = ['deadline_passed', 'due', 'not_yet_due'] as const;

export interface ObligationCounts {
  key: string;
  obliged: number;
  byStatus: Record<string, number>;
}

/** Annual-report obligations counted per covered year (newest first), or per group for one year. */
export function countObligations(
  rows: readonly ObligationRow[],
  keyOf: (row: ObligationRow) => string | null,
): ObligationCounts[] {
  const map = new Map<string, ObligationCounts>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = { key, obliged: 0, byStatus: {} }));
    entry.obliged += 1;
    entry.byStatus[row.status] = (entry.byStatus[row.status] ?? 0) + 1;
  }
  return [...map.values()];
}

export function byYear(rows: readonly ObligationRow[]): ObligationCounts[] {
  return countObligations(
    rows.filter((r) => r.kind === 'annual'),
    (r) => (r.coveredYear === null ? null : String(r.coveredYear)),
  ).sort((a, b) => Number(b.key) - Number(a.key));
}

export function byGroup(
  rows: readonly ObligationRow[],
  year: number,
  entities: Map<string, Entity>,
  group: ComplianceState['group'],
): ObligationCounts[] {
  return countObligations(
    rows.filter((r) => r.kind === 'annual' && r.coveredYear === year),
    (r) => entities.get(r.iso3)?.[group] ?? '—',
  ).sort((a, b) => a.key.localeCompare(b.key));
}

/** The latest covered year whose due date has passed for some State (the year a reader most likely wants). */
export function defaultYear(rows: readonly ObligationRow[], rates: readonly ComplianceRate[]): number | null {
  const fromRates = rates
    .filter(
      (r) =>
        r.kind === 'annual' && r.coveredYear !== null && (r.counts.pending ?? 0) < (r.counts.obliged ?? 0),
    )
    .map((r) => r.coveredYear!);
  const fromRows = rows
    .filter((r) => r.kind === 'annual' && r.coveredYear !== null && r.status === 'deadline_passed')
    .map((r) => r.coveredYear!);
  const years = [...fromRates, ...fromRows];
  return years.length ? Math.max(...years) : null;
}

/** The map's category for a State's annual report of one year. */
export type MapCategory = 'received' | 'not_received' | 'pending' | 'not_owed';

export function mapCategory(status: string | null, received: boolean): MapCategory {
  if (received || ['on_time', 'within_grace', 'late', 'received_undated'].includes(status ?? ''))
    return 'received';
  if (status === 'deadline_passed' || status === 'missing') return 'not_received';
  if (status === 'due' || status === 'not_yet_due') return 'pending';
  return 'not_owed';
}
