import { describe, expect, it } from 'vitest';
import { normaliseStatusResponse } from '../api/client.js';
import fixture from '../dev-fixtures/treaty-status-2015-08-24.json' with { type: 'json' };
import { DEFAULT_SORT, homeHref, parseHomeState, selectRows, type HomeState } from './home-state.js';
import { recordAsOf } from './treaty-view.js';

const rows = normaliseStatusResponse(fixture).rows;
const base: HomeState = { asOf: '2015-08-24', q: '', status: null, sort: DEFAULT_SORT };
const names = (state: Partial<HomeState>) => selectRows(rows, { ...base, ...state }).map((row) => row.iso3);

describe('home page URL state', () => {
  it('reads asOf, search, status and sort from the query string and writes them back', () => {
    const state = parseHomeState('?asOf=2015-08-24&q=fra&status=state_party&sort=-depositDate');
    expect(state).toEqual({
      asOf: '2015-08-24',
      q: 'fra',
      status: 'state_party',
      sort: { key: 'depositDate', descending: true },
    });
    expect(homeHref(state)).toBe('/?asOf=2015-08-24&q=fra&status=state_party&sort=-depositDate');
  });

  it('leaves defaults out of the URL, so the plain home page is /', () => {
    expect(homeHref({ asOf: null, q: '', status: null, sort: DEFAULT_SORT })).toBe('/');
  });

  it('ignores an impossible date, an unknown status and an unknown sort key', () => {
    expect(parseHomeState('?asOf=2015-02-30&status=party&sort=colour')).toEqual({
      asOf: null,
      q: '',
      status: null,
      sort: DEFAULT_SORT,
    });
  });
});

describe('the table of States', () => {
  it('finds Côte d’Ivoire when typed without accents, and France by its ISO3 code', () => {
    expect(names({ q: 'cote' })).toEqual(['CIV']);
    expect(names({ q: 'fra' })).toEqual(['FRA']);
  });

  it('sorts by deposit date, latest first, with States that never deposited last', () => {
    expect(names({ sort: { key: 'depositDate', descending: true } })).toEqual([
      'NER',
      'CIV',
      'FRA',
      'AND',
      'RUS',
    ]);
  });

  it('sorts by status in the order a State moves through them', () => {
    expect(names({ sort: { key: 'status', descending: false } })).toEqual([
      'CIV',
      'FRA',
      'NER',
      'AND',
      'RUS',
    ]);
  });
});

describe('the treaty record on a date', () => {
  it('hides a deposit made after the date but keeps a known entry into force still to come', () => {
    const niger = rows.find((row) => row.iso3 === 'NER')!;
    expect(recordAsOf(niger, '2015-08-24').entryIntoForceDate).toBe('2015-10-22');
    expect(recordAsOf(niger, '2015-07-01')).toMatchObject({
      depositDate: null,
      actionType: null,
      entryIntoForceDate: null,
      signatureDate: '2013-06-03',
    });
  });
});
