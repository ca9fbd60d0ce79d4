import { describe, expect, it } from 'vitest';
import { parseTransfersState, transfersFilters, transfersSearch, withFilters } from './transfers-state.js';

describe('transfers view state', () => {
  it('round-trips through the URL', () => {
    const search =
      '?exporter=FRA&importer=CHL&source=sipri&category=ML1&from=2015&to=2024&sort=-tivDelivered&top=25';
    expect(transfersSearch(parseTransfersState(search))).toBe(search);
  });

  it('drops values that are not ids, years or known sorts, and orders a reversed range', () => {
    const state = parseTransfersState('?exporter=<script>&from=2024&to=2015&sort=description&top=7&start=50');
    expect(state).toMatchObject({ exporter: null, from: 2015, to: 2024, sort: null, top: 10, start: 0 });
  });

  it('keeps the page cursor only with its start, and a filter change goes back to the first page', () => {
    const state = parseTransfersState('?importer=CHL&cursor=eyJxIjoiQSIsIm8iOjUwfQ&start=50');
    expect(state.start).toBe(50);
    expect(transfersSearch(withFilters(state, { source: 'sipri' }))).toBe('?importer=CHL&source=sipri');
  });

  it('maps the state to API filters, optionally without one field (for its own facet)', () => {
    const state = parseTransfersState('?exporter=H-SUN&importer=CHL&from=1990');
    expect(transfersFilters(state)).toEqual({
      exporterId: 'H-SUN',
      importerId: 'CHL',
      source: null,
      categoryCode: null,
      from: 1990,
      to: null,
    });
    expect(transfersFilters(state, 'importer').importerId).toBeNull();
  });
});
