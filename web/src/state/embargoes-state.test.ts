import { describe, expect, it } from 'vitest';
import type { Embargo } from '../api/data.js';
import {
  embargoesHref,
  inForceOn,
  parseEmbargoesState,
  selectEpisodes,
  timelineRows,
} from './embargoes-state.js';

const episode = (over: Partial<Embargo>): Embargo => ({
  id: 'X',
  authority: 'UN',
  regime: null,
  target: 'Somalia',
  targetIds: ['SOM'],
  scopeCode: 'full',
  scopeText: null,
  direction: 'to_target',
  startDate: '1992-01-23',
  endDate: '2013-03-06',
  endBasis: 'recorded',
  binding: 'mandatory',
  bindingText: null,
  confidence: 'high',
  sources: null,
  statusText: null,
  imposingMeasures: null,
  modifyingMeasures: null,
  endingMeasure: null,
  notes: null,
  ...over,
});

describe('embargoes view state', () => {
  it('round-trips through the URL and ignores bad values', () => {
    const href = '/embargoes?authority=EU&scope=full&binding=voluntary&q=sud&target=SSD&asOf=2015-01-01';
    expect(embargoesHref(parseEmbargoesState(href.split('?')[1]!))).toBe(href);
    expect(parseEmbargoesState('authority=XX&scope=<b>&asOf=2015-02-30')).toMatchObject({
      authority: null,
      scope: null,
      asOf: null,
    });
  });

  it('counts an episode in force from its start date up to, not including, its end date', () => {
    const e = episode({});
    expect(inForceOn(e, '1992-01-23')).toBe(true);
    expect(inForceOn(e, '2013-03-05')).toBe(true);
    expect(inForceOn(e, '2013-03-06')).toBe(false);
    expect(inForceOn(episode({ endDate: null }), '2026-01-01')).toBe(true);
  });

  it('filters by authority, date and target text, and groups by target', () => {
    const all = [
      episode({ id: 'SOM-1992' }),
      episode({ id: 'SOM-2013', startDate: '2013-03-06', endDate: null, scopeCode: 'government_exempt' }),
      episode({
        id: 'EU-SSD',
        authority: 'EU',
        target: 'South Sudan',
        targetIds: ['SSD'],
        startDate: '2011-07-18',
        endDate: null,
      }),
    ];
    const names = (id: string) => ({ SOM: 'Somalia', SSD: 'South Sudan' })[id] ?? id;
    const state = parseEmbargoesState('asOf=2015-01-01');
    expect(selectEpisodes(all, state, names).map((e) => e.id)).toEqual(['SOM-2013', 'EU-SSD']);
    expect(selectEpisodes(all, { ...state, q: 'sudan' }, names).map((e) => e.id)).toEqual(['EU-SSD']);
    const rows = timelineRows(all, names);
    expect(rows.map((r) => [r.label, r.episodes.length])).toEqual([
      ['Somalia', 2],
      ['South Sudan', 1],
    ]);
  });
});
