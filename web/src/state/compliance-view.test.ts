import { describe, expect, it } from 'vitest';
import type { Entity, ObligationRow } from '../api/data.js';
import {
  byGroup,
  byYear,
  complianceHref,
  defaultYear,
  mapCategory,
  parseComplianceState,
} from './compliance-view.js';

const row = (iso3: string, coveredYear: number | null, status: string, kind = 'annual'): ObligationRow => ({
  iso3,
  kind,
  coveredYear,
  dueDate: null,
  status,
});
const entity = (id: string, m49Region: string): Entity => ({
  id,
  name: id,
  kind: 'state',
  iso3: id,
  m49: null,
  relatedStateId: null,
  m49Region,
  unRegionalGroup: null,
});

describe('compliance view', () => {
  it('round-trips its URL', () => {
    expect(complianceHref(parseComplianceState('year=2023&group=unRegionalGroup'))).toBe(
      '/compliance?year=2023&group=unRegionalGroup',
    );
    expect(complianceHref(parseComplianceState('year=abc&group=x'))).toBe('/compliance');
  });

  it('counts annual obligations by year and by region, and picks the latest year past its deadline', () => {
    const rows = [
      row('FRA', 2023, 'deadline_passed'),
      row('CHL', 2023, 'deadline_passed'),
      row('FRA', 2024, 'due'),
      row('FRA', null, 'deadline_passed', 'initial'),
    ];
    expect(byYear(rows).map((c) => [c.key, c.obliged, c.byStatus])).toEqual([
      ['2024', 1, { due: 1 }],
      ['2023', 2, { deadline_passed: 2 }],
    ]);
    const entities = new Map([
      ['FRA', entity('FRA', 'Europe')],
      ['CHL', entity('CHL', 'Americas')],
    ]);
    expect(byGroup(rows, 2023, entities, 'm49Region').map((c) => [c.key, c.obliged])).toEqual([
      ['Americas', 1],
      ['Europe', 1],
    ]);
    expect(defaultYear(rows, [])).toBe(2023);
  });

  it('maps statuses to map categories', () => {
    expect(mapCategory('deadline_passed', false)).toBe('not_received');
    expect(mapCategory('deadline_passed', true)).toBe('received');
    expect(mapCategory('late', false)).toBe('received');
    expect(mapCategory(null, false)).toBe('not_owed');
  });
});
