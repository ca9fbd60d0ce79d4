import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMBARGO_SCOPE_CODES } from '../model/embargo.js';
import { UN_REGIONAL_GROUPS } from '../model/state.js';
import { loadReferenceData, type ReferenceData } from './load-reference.js';
import { createStateResolver } from './state-resolver.js';

const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../data/reference');
let data: ReferenceData;

beforeAll(async () => {
  data = await loadReferenceData(REFERENCE_DIR);
});

const state = (id: string) => data.states.find((s) => s.id === id)!;

describe('the committed States crosswalk', () => {
  it('has 197 States: the 193 UN Members plus the Holy See, Palestine, the Cook Islands and Niue', () => {
    const states = data.states.filter((s) => s.kind === 'state');
    expect(states).toHaveLength(197);
    expect(states.filter((s) => s.unMember)).toHaveLength(193);
    expect(
      states
        .filter((s) => !s.unMember)
        .map((s) => s.id)
        .sort(),
    ).toEqual(['COK', 'NIU', 'PSE', 'VAT']);
  });

  it('puts every UN Member in one of the five regional groups, with the DGACM group sizes', () => {
    const members = data.states.filter((s) => s.unMember);
    const size = (group: string) => members.filter((s) => s.unRegionalGroup === group).length;
    expect(UN_REGIONAL_GROUPS.map(size)).toEqual([54, 54, 23, 33, 29]);
    expect(state('TUR').unRegionalGroup).toBe('Western European and others');
    expect(state('ISR').unRegionalGroup).toBe('Western European and others');
    expect(state('CYP').unRegionalGroup).toBe('Asia-Pacific');
    for (const id of ['PSE', 'NIU', 'VAT', 'COK', 'XKK', 'TWN']) expect(state(id).unRegionalGroup).toBeNull();
  });

  it('takes codes from ISO and regions from M49, with Kosovo as XKK and Taiwan placed by hand', () => {
    expect(state('FRA')).toMatchObject({
      iso2: 'FR',
      iso3: 'FRA',
      m49: '250',
      m49Region: 'Europe',
      m49Subregion: 'Western Europe',
    });
    expect(state('XKK')).toMatchObject({
      kind: 'territory',
      iso2: 'XK',
      isoNumeric: '983',
      m49: null,
      m49Region: 'Europe',
    });
    expect(state('TWN')).toMatchObject({
      kind: 'territory',
      name: 'Taiwan',
      isoNumeric: '158',
      m49: null,
      m49Subregion: 'Eastern Asia',
    });
    expect(state('TWN').notes).toContain('M49 has no entry');
    expect(state('PSE')).toMatchObject({ kind: 'state', m49: '275', m49Subregion: 'Western Asia' });
  });

  it('keeps historical States and non-State actors apart from States, each with its present-day counterpart', () => {
    expect(state('H-SUN')).toMatchObject({ kind: 'historical_state', iso3: null, relatedStateId: 'RUS' });
    expect(state('H-YMD').kind).toBe('historical_state');
    expect(state('N-LBY-HOR')).toMatchObject({
      kind: 'non_state_actor',
      relatedStateId: 'LBY',
      m49Region: 'Africa',
    });
    expect(state('UNKNOWN').kind).toBe('unknown');
  });

  it('resolves source spellings through the aliases', () => {
    const resolver = createStateResolver(data.states, data.aliases);
    const id = (name: string) => resolver.resolve(name)?.id;
    expect(id('Turkiye')).toBe('TUR');
    expect(id('Türkiye')).toBe('TUR');
    expect(id('Czechia')).toBe('CZE');
    expect(id('Czech Republic')).toBe('CZE');
    expect(id('Soviet Union')).toBe('H-SUN');
    expect(id('unknown supplier(s)')).toBe('UNKNOWN');
    expect(id('HoR (Libya)*')).toBe('N-LBY-HOR');
    expect(id('Libya HoR*')).toBe('N-LBY-HOR');
    expect(id('Bahamas (The)')).toBe('BHS');
    expect(id('XKX')).toBe('XKK');
    expect(id('Congo')).toBe('COG');
    expect(id('DR Congo')).toBe('COD');
    expect(id('Rep. Korea')).toBeUndefined();
  });
});

describe('the committed treaty records', () => {
  it('hold the 142 depositary rows as at 2026-02-03', () => {
    expect(data.treatyRecords).toHaveLength(142);
    expect(new Set(data.treatyRecords.map((r) => r.asAt))).toEqual(new Set(['2026-02-03']));
    expect(data.treatyRecords.filter((r) => r.statusAtSource === 'state_party')).toHaveLength(117);
  });

  it('keep the US declaration of 2019-07-18 and the Art. 23 provisional application dates', () => {
    expect(data.treatyRecords.find((r) => r.stateId === 'USA')).toMatchObject({
      signatureDate: '2013-09-25',
      declaredNotToBecomePartyDate: '2019-07-18',
      depositDate: null,
    });
    expect(data.treatyRecords.filter((r) => r.provisionalApplicationDate !== null)).toHaveLength(22);
  });
});

describe('the committed embargo episodes', () => {
  it('merge 54 UN and 14 EU episodes with normalised scope, direction and binding', () => {
    expect(data.embargoes.filter((e) => e.authority === 'UN')).toHaveLength(54);
    expect(data.embargoes.filter((e) => e.authority === 'EU')).toHaveLength(14);
    for (const e of data.embargoes) {
      expect(EMBARGO_SCOPE_CODES).toContain(e.scopeCode);
      expect(e.scopeText.length).toBeGreaterThan(0);
    }
    expect(
      data.embargoes
        .filter((e) => e.authority === 'EU' && e.direction !== 'to_target')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['EU-IRN-2007', 'EU-RUS-2014']);
  });

  it('count 14 UN episodes still in force, as the research notes say', () => {
    expect(data.embargoes.filter((e) => e.authority === 'UN' && e.endBasis === 'open')).toHaveLength(14);
  });

  it('map Kosovo XKX to XKK and explain the episodes without a State target', () => {
    expect(data.embargoes.find((e) => e.id === 'FRY-1998')?.targetIds).toEqual(['SRB', 'MNE', 'XKK']);
    const global = data.embargoes.filter((e) => e.targetIds.length === 0);
    expect(global.map((e) => e.id).sort()).toEqual(['AQ-TALIBAN-2002', 'ISIL-AQ-2011']);
    for (const e of global) expect(e.targetNote).toContain('No State target');
  });

  it('name the group for embargoes on one non-State group', () => {
    expect(
      data.embargoes.filter((e) => e.scopeCode === 'named_group').map((e) => [e.id, e.targetActorIds]),
    ).toEqual([
      ['UNITA-1993', ['N-AGO-UNITA']],
      ['YEM-2022', ['N-YEM-HOUTHIS']],
      ['SHABAAB-2023', ['N-SOM-SHABAAB']],
    ]);
  });

  it('separate voluntary measures and those not adopted under Chapter VII', () => {
    const un = data.embargoes.filter((e) => e.authority === 'UN');
    expect(
      un
        .filter((e) => e.binding === 'voluntary')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['AFG-1996', 'ARM-AZE-1993', 'PRT-1963', 'ZAF-1963']);
    expect(data.embargoes.find((e) => e.id === 'LBN-2006')).toMatchObject({
      binding: 'mandatory',
      chapterVii: 'no',
    });
  });
});

describe('the committed dataset list', () => {
  it('describes every reference file with its source and licence', () => {
    expect(data.datasets.map((d) => d.file).sort()).toEqual(
      [
        'att-articles.json',
        'embargo-episodes.csv',
        'state-aliases.csv',
        'states.csv',
        'treaty-status.csv',
        'unroca-categories.json',
      ].sort(),
    );
    expect(data.datasets.find((d) => d.dataset === 'treaty-status')).toMatchObject({ asAt: '2026-02-03' });
    expect(data.datasets.find((d) => d.dataset === 'treaty-status')?.source).toContain('UN depositary');
  });

  it('lists the UNROCA categories I-VIII and the 28 treaty articles', () => {
    expect(data.categories.map((c) => c.id)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII']);
    expect(data.categories.find((c) => c.id === 'VIII')!.subcategories).toHaveLength(13);
    expect(data.articles.articles).toHaveLength(28);
  });
});
