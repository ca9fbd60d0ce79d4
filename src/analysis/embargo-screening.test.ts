 
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStateLookup } from '../ingest/framework.js';
import { parseSipriRegister } from '../ingest/sipri/index.js';
import { readReferenceNames } from '../ingest/test-support.js';
import { isoDate } from '../model/dates.js';
import type { EmbargoEpisode, EmbargoScopeCode } from '../model/embargo.js';
import { ScreeningResultSchema } from '../model/screening.js';
import { stateId, type State } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';
import { loadCommittedReference } from '../reference/committed.js';
import {
  countOutcomes,
  createScreener,
  episodeStatusOn,
  screenTransfer,
  screenTransfers,
  transferDating,
  type ScreenableTransfer,
} from './embargo-screening.js';

// ------------------------------------------------------------------------------------------------ tiny fixtures

function state(
  id: string,
  kind: State['kind'] = 'state',
  relatedStateId: string | null = null,
  name = id,
): State {
  return {
    id: stateId(id),
    kind,
    iso2: null,
    iso3: null,
    isoNumeric: null,
    m49: null,
    name,
    m49Region: null,
    m49Subregion: null,
    m49IntermediateRegion: null,
    unRegionalGroup: null,
    unMember: kind === 'state',
    relatedStateId: relatedStateId === null ? null : stateId(relatedStateId),
    notes: null,
    sources: 'test',
  };
}

const STATES: State[] = [
  state('FRA', 'state', null, 'France'),
  state('RUS', 'state', null, 'Russia'),
  state('IND', 'state', null, 'India'),
  state('HRV', 'state', null, 'Croatia'),
  state('SRB', 'state', null, 'Serbia'),
  state('AAA', 'state', null, 'Atlantis'),
  state('BBB', 'state', null, 'Borduria'),
  state('N-AAA-REBELS', 'non_state_actor', 'AAA', 'Atlantis rebels'),
  state('N-AAA-FRONT', 'non_state_actor', 'AAA', 'Atlantis front'),
  state('H-YUG', 'historical_state', 'SRB', 'Yugoslavia'),
  state('N-UNKNOWN', 'non_state_actor', null, 'Unidentified group'),
  state('UNKNOWN', 'unknown', null, 'Unknown'),
  state('IO-UN', 'international_organisation', null, 'United Nations'),
];

function episode(overrides: Partial<EmbargoEpisode> & { id: string }): EmbargoEpisode {
  return {
    authority: 'UN',
    regime: null,
    target: 'Atlantis',
    targetIds: [stateId('AAA')],
    targetActorIds: [],
    targetNote: null,
    targetType: null,
    scopeCode: 'full',
    scopeText: 'full',
    direction: 'to_target',
    directionBasis: 'source',
    startDate: isoDate('1977-11-04'),
    endDate: isoDate('1994-05-25'),
    endBasis: 'recorded',
    statusText: null,
    imposingMeasures: null,
    modifyingMeasures: null,
    endingMeasure: null,
    unCounterpart: null,
    binding: 'mandatory',
    chapterVii: 'yes',
    bindingText: null,
    notes: null,
    confidence: 'high',
    verifiedThisSession: null,
    sources: 'test',
    ...overrides,
  };
}

function transfer(overrides: Partial<ScreenableTransfer>): ScreenableTransfer {
  return {
    exporterId: stateId('FRA'),
    importerId: stateId('AAA'),
    year: 1980,
    deliveryYears: [1980],
    orderYear: 1979,
    ...overrides,
  };
}

const AAA_1977 = episode({ id: 'AAA-1977' });
const screen = (t: Partial<ScreenableTransfer>, episodes: EmbargoEpisode[] = [AAA_1977]) => {
  const result = screenTransfer(transfer(t), episodes, STATES);
  ScreeningResultSchema.parse(result);
  return result;
};

describe('dates', () => {
  it('flags a delivery in a year wholly inside the 1977-1994 episode', () => {
    const result = screen({});
    expect(result.outcome).toBe('flag');
    expect(result.episodes).toHaveLength(1);
    expect(result.episodes[0]).toMatchObject({
      id: 'AAA-1977',
      timing: 'whole_year',
      leg: 'importer',
      match: 'target',
    });
    expect(result.reason).toMatch(/^Flagged: AAA-1977 .*whole of 1980.*every recipient in Atlantis/);
  });

  it('marks possible a delivery in the start or end year, which the episode covers only in part', () => {
    for (const year of [1977, 1994]) {
      const result = screen({ year, deliveryYears: [year] });
      expect(result.outcome).toBe('possible');
      expect(result.reason).toContain(`only part of ${year}`);
    }
  });

  it('clears a delivery after the end, saying no episode was in force', () => {
    const result = screen({ year: 1995, deliveryYears: [1995] });
    expect(result).toMatchObject({ outcome: 'clear', episodes: [] });
    expect(result.reason).toMatch(/^Clear: no UN or EU arms embargo episode .* was in force in 1995/);
  });

  it('flags a deal delivered over several years when one of them lies wholly inside', () => {
    const result = screen({ year: null, deliveryYears: [1976, 1977, 1978] });
    expect(result.outcome).toBe('flag');
    expect(result.dating).toEqual({ basis: 'delivery_years', years: [1976, 1977, 1978] });
  });

  it('uses the order year when nothing was delivered, and says so', () => {
    const result = screen({ year: null, deliveryYears: [], orderYear: 1985 });
    expect(result.dating).toEqual({ basis: 'order_year', years: [1985] });
    expect(result.outcome).toBe('flag');
    expect(result.reason).toContain('order year 1985 (no delivery year)');
  });

  it('is inconclusive, never clear, for an undated transfer to a target', () => {
    const result = screen({ year: null, deliveryYears: [], orderYear: null });
    expect(result.outcome).toBe('inconclusive');
    expect(result.episodes[0]?.timing).toBe('undated');
  });

  it('clears an undated transfer only when no episode concerns its parties at any date', () => {
    const result = screen({ importerId: stateId('BBB'), year: null, deliveryYears: [], orderYear: null });
    expect(result.outcome).toBe('clear');
    expect(result.reason).toContain('at any date');
  });

  it('is inconclusive after the start of an episode that ended on an unrecorded date', () => {
    const open = episode({
      id: 'AAA-1963',
      startDate: isoDate('1963-07-31'),
      endDate: null,
      endBasis: 'unknown',
    });
    expect(screen({ year: 1990, deliveryYears: [1990] }, [open]).outcome).toBe('inconclusive');
    expect(screen({ year: 1963, deliveryYears: [1963] }, [open]).outcome).toBe('possible');
    expect(screen({ year: 1962, deliveryYears: [1962] }, [open]).outcome).toBe('clear');
  });

  it('counts the start date and not the end date (chained episodes do not overlap)', () => {
    expect(episodeStatusOn(AAA_1977, isoDate('1977-11-03'))).toBe('not_in_force');
    expect(episodeStatusOn(AAA_1977, isoDate('1977-11-04'))).toBe('in_force');
    expect(episodeStatusOn(AAA_1977, isoDate('1994-05-24'))).toBe('in_force');
    expect(episodeStatusOn(AAA_1977, isoDate('1994-05-25'))).toBe('not_in_force');
    const open = episode({ id: 'X', endDate: null, endBasis: 'open' });
    expect(episodeStatusOn(open, isoDate('2030-01-01'))).toBe('in_force');
  });

  it('dates a transfer by delivery years, then year, then order year', () => {
    expect(transferDating(transfer({ deliveryYears: [2017, 2016, 2016], year: null }))).toEqual({
      basis: 'delivery_years',
      years: [2016, 2017],
    });
    expect(transferDating(transfer({ deliveryYears: [], year: 2020 }))).toEqual({
      basis: 'year',
      years: [2020],
    });
    expect(transferDating(transfer({ deliveryYears: [], year: null, orderYear: null }))).toEqual({
      basis: 'none',
      years: [],
    });
  });
});

describe('scopes', () => {
  const scoped = (scopeCode: EmbargoScopeCode, more: Partial<EmbargoEpisode> = {}) =>
    episode({ id: `AAA-${scopeCode}`, scopeCode, scopeText: scopeCode, ...more });

  it('marks possible a delivery to the government under a government-exempt episode, saying why', () => {
    const result = screen({}, [scoped('government_exempt')]);
    expect(result.outcome).toBe('possible');
    expect(result.reason).toContain("the government's forces may receive arms under exemptions");
  });

  it('flags a non-State actor in the target under a government-exempt episode (via relatedStateId)', () => {
    const result = screen({ importerId: stateId('N-AAA-REBELS') }, [scoped('government_exempt')]);
    expect(result.outcome).toBe('flag');
    expect(result.episodes[0]?.match).toBe('non_state_actor_in_target');
    expect(result.reason).toContain('is not the government');
  });

  it('clears the government and flags non-State actors under a non-State-actors-only episode', () => {
    const government = screen({}, [scoped('non_state_actors_only')]);
    expect(government.outcome).toBe('clear');
    expect(government.reason).toContain('the government of Atlantis is not covered');
    expect(screen({ importerId: stateId('N-AAA-REBELS') }, [scoped('non_state_actors_only')]).outcome).toBe(
      'flag',
    );
  });

  it('flags only the named group', () => {
    const named = scoped('named_group', { targetActorIds: [stateId('N-AAA-REBELS')] });
    expect(screen({ importerId: stateId('N-AAA-REBELS') }, [named])).toMatchObject({ outcome: 'flag' });
    const other = screen({ importerId: stateId('N-AAA-FRONT') }, [named]);
    expect(other.outcome).toBe('clear');
    expect(other.reason).toContain('is not that group');
    expect(screen({}, [named]).outcome).toBe('clear');
  });

  it('gives targeted measures possible at most: clear for the State, possible for a non-State actor', () => {
    const government = screen({}, [scoped('targeted')]);
    expect(government.outcome).toBe('clear');
    expect(government.reason).toContain('listed persons and entities');
    expect(screen({ importerId: stateId('N-AAA-REBELS') }, [scoped('targeted')]).outcome).toBe('possible');
  });

  it('marks possible what the data cannot check: regions, some kinds of arms, approvals, end uses', () => {
    for (const code of ['regional', 'partial_items', 'approval_regime', 'end_use_restricted'] as const)
      expect(screen({}, [scoped(code)]).outcome, code).toBe('possible');
  });

  it('marks a voluntary embargo possible at most, and says it is voluntary', () => {
    const result = screen({}, [scoped('full', { binding: 'voluntary', chapterVii: 'no' })]);
    expect(result.outcome).toBe('possible');
    expect(result.reason).toContain('voluntary');
  });

  it('screens a historical State as its successor (Yugoslavia -> Serbia)', () => {
    const yug = episode({
      id: 'YUG',
      targetIds: [stateId('SRB')],
      target: 'Serbia',
      startDate: isoDate('1991-09-25'),
      endDate: isoDate('1996-06-18'),
    });
    const result = screen({ importerId: stateId('H-YUG'), year: 1992, deliveryYears: [1992] }, [yug]);
    expect(result.outcome).toBe('flag');
    expect(result.episodes[0]?.match).toBe('successor_of_target');
  });
});

describe('directions and authorities', () => {
  it('screens the exporter of a two-way episode, and not of a to-target one', () => {
    const twoWay = episode({ id: 'AAA-2W', direction: 'two_way' });
    const from = screen({ exporterId: stateId('AAA'), importerId: stateId('BBB') }, [twoWay]);
    expect(from.outcome).toBe('flag');
    expect(from.episodes[0]).toMatchObject({ leg: 'exporter', partyId: 'AAA' });
    expect(screen({ exporterId: stateId('AAA'), importerId: stateId('BBB') }, [AAA_1977]).outcome).toBe(
      'clear',
    );
  });

  it('applies an EU episode to EU member exporters only', () => {
    const eu = episode({ id: 'EU-AAA', authority: 'EU', chapterVii: 'n/a', endDate: null, endBasis: 'open' });
    expect(screen({ exporterId: stateId('FRA'), year: 2000, deliveryYears: [2000] }, [eu]).outcome).toBe(
      'flag',
    );
    const russia = screen({ exporterId: stateId('RUS'), year: 2000, deliveryYears: [2000] }, [eu]);
    expect(russia.outcome).toBe('clear');
    expect(russia.reason).toContain('binding on EU (EC before 1993) member States only');
    // Croatia joined on 2013-07-01: a 2013 delivery is possible, a 2014 one flagged.
    expect(screen({ exporterId: stateId('HRV'), year: 2013, deliveryYears: [2013] }, [eu]).outcome).toBe(
      'possible',
    );
    expect(screen({ exporterId: stateId('HRV'), year: 2014, deliveryYears: [2014] }, [eu]).outcome).toBe(
      'flag',
    );
  });

  it('never applies an EU embargo to a target that has become an EU member', () => {
    const eu = episode({
      id: 'EU-HRV',
      authority: 'EU',
      targetIds: [stateId('HRV')],
      target: 'Croatia',
      startDate: isoDate('1991-07-05'),
      endDate: null,
      endBasis: 'unknown',
    });
    expect(screen({ importerId: stateId('HRV'), year: 2000, deliveryYears: [2000] }, [eu]).outcome).toBe(
      'inconclusive',
    );
    const member = screen({ importerId: stateId('HRV'), year: 2020, deliveryYears: [2020] }, [eu]);
    expect(member.outcome).toBe('clear');
    expect(member.reason).toContain('was itself an EU member State in 2020');
  });

  it('is inconclusive when the importer is unknown, and only notes an unknown exporter', () => {
    for (const id of [null, 'UNKNOWN', 'N-UNKNOWN']) {
      const result = screen({ importerId: id === null ? null : stateId(id) });
      expect(result.outcome).toBe('inconclusive');
      expect(result.reason).toMatch(/cannot be ruled out/);
    }
    const unknownExporter = screen({ exporterId: stateId('UNKNOWN'), importerId: stateId('BBB') });
    expect(unknownExporter.outcome).toBe('clear');
    expect(unknownExporter.reason).toContain('the exporter is Unknown (UNKNOWN)');
  });

  it('clears deliveries to an organisation', () => {
    expect(screen({ importerId: stateId('IO-UN') }).outcome).toBe('clear');
  });
});

describe('invariants', () => {
  const scopes: EmbargoScopeCode[] = [
    'full',
    'government_exempt',
    'regional',
    'partial_items',
    'approval_regime',
    'end_use_restricted',
  ];
  it('never clears an undated transfer to a party an episode covers by scope', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...scopes),
        fc.constantFrom('AAA', 'N-AAA-REBELS'),
        fc.boolean(),
        (scopeCode, importer, voluntary) => {
          const e = episode({ id: 'E', scopeCode, binding: voluntary ? 'voluntary' : 'mandatory' });
          const result = screen(
            { importerId: stateId(importer), year: null, deliveryYears: [], orderYear: null },
            [e],
          );
          expect(result.outcome).toBe('inconclusive');
        },
      ),
    );
  });

  it('gives every result and every episode a reason, and the strongest episode outcome overall', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1960, max: 2000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('AAA', 'N-AAA-REBELS', 'BBB', 'UNKNOWN'),
        (year, span, importer) => {
          const years = Array.from({ length: span + 1 }, (_, i) => year + i);
          const result = screen({ importerId: stateId(importer), year: null, deliveryYears: years });
          expect(result.reason.length).toBeGreaterThan(10);
          for (const e of result.episodes) expect(e.reason).toMatch(/^AAA-1977 /);
          if (result.episodes.some((e) => e.outcome === 'flag')) expect(result.outcome).toBe('flag');
        },
      ),
    );
  });
});

// ------------------------------------------------------------------------------------------------ reference data

describe('with the committed reference data', () => {
  let episodes: EmbargoEpisode[];
  let states: State[];
  beforeAll(async () => {
    const data = await loadCommittedReference();
    episodes = data.embargoes;
    states = data.states;
  });

  it('flags a 1985 delivery to South Africa under res. 418 (ZAF-1977)', () => {
    const result = screenTransfer(
      transfer({ importerId: stateId('ZAF'), year: 1985, deliveryYears: [1985] }),
      episodes,
      states,
    );
    expect(result.outcome).toBe('flag');
    expect(result.episodes.map((e) => e.id)).toEqual(['ZAF-1977']);
  });

  it('marks possible a 2016 delivery to the government of the Central African Republic (government exempt)', () => {
    const result = screenTransfer(
      transfer({ importerId: stateId('CAF'), year: 2016, deliveryYears: [2016] }),
      episodes,
      states,
    );
    expect(result.outcome).toBe('possible');
    expect(result.episodes[0]).toMatchObject({ id: 'CAF-2013', scopeCode: 'government_exempt' });
    expect(result.episodes[0]?.reason).toContain('government');
  });
});

// ------------------------------------------------------------------------------------------------ real SIPRI registers

const SHARED_SIPRI = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'sipri');
const present = existsSync(SHARED_SIPRI);
if (!present) console.warn(`SIPRI screening tests skipped: ${SHARED_SIPRI} is absent`);

function readRegister(
  folder: string,
  file: string,
): { transfers: Transfer[]; metadata: Record<string, string> } {
  const { aliases, states } = readReferenceNames();
  const result = parseSipriRegister(readFileSync(path.join(SHARED_SIPRI, folder, file)), {
    fileName: `${folder}/${file}`,
    lookup: createStateLookup(aliases, states),
  });
  return { transfers: result.accepted, metadata: result.metadata };
}

describe.skipIf(!present)('the shared SIPRI registers (2025 release)', () => {
  let episodes: EmbargoEpisode[];
  let states: State[];
  let classic: Transfer[];
  let deliveries: Transfer[];
  beforeAll(async () => {
    const data = await loadCommittedReference();
    episodes = data.embargoes;
    states = data.states;
    classic = readRegister('2025-release-deal-rows', 'trade-register.csv').transfers;
    deliveries = readRegister('2025-release-delivery-rows', 'trade_register.csv').transfers;
  });

  const within = (t: Transfer, from: number, to: number) =>
    transferDating(t).years.some((y) => y >= from && y <= to);

  it('screens every row of both layouts and accounts for each outcome', () => {
    for (const [name, rows] of [
      ['deal rows', classic],
      ['delivery rows', deliveries],
    ] as const) {
      const { items, counts } = screenTransfers(rows, episodes, states);
      console.log(`embargo screening, 2025 release, ${name}: ${JSON.stringify(counts)}`);
      expect(counts.total).toBe(rows.length);
      expect(counts.flag + counts.possible + counts.inconclusive + counts.clear).toBe(counts.total);
      expect(counts.flag).toBeGreaterThan(100);
      // Nothing undated is clear while an episode concerns it.
      for (const { result } of items) {
        expect(result.reason.length).toBeGreaterThan(0);
        if (result.dating.basis === 'none' && result.episodes.some((e) => e.outcome !== 'clear'))
          expect(result.outcome).not.toBe('clear');
      }
    }
  });

  it('flags deliveries to South Africa in 1978-1993, inside res. 418 (classic register)', () => {
    const screen = createScreener(episodes, states);
    const inside = classic.filter((t) => t.importerId === 'ZAF' && within(t, 1978, 1993));
    expect(inside.length).toBeGreaterThanOrEqual(40); // measured: 42 deals
    for (const t of inside) {
      const result = screen(t);
      expect(result.outcome, result.reason).toBe('flag');
      expect(result.episodes.find((e) => e.outcome === 'flag')?.id).toBe('ZAF-1977');
    }
  });

  it('flags deliveries to "HoR (Libya)*" from 2014 under LBY-2011b, via relatedStateId', () => {
    const screen = createScreener(episodes, states);
    for (const rows of [classic, deliveries]) {
      const hor = rows.filter((t) => t.importerId === 'N-LBY-HOR' && within(t, 2014, 2100));
      expect(hor.length).toBeGreaterThanOrEqual(20);
      for (const t of hor) {
        const result = screen(t);
        expect(['flag', 'possible'], result.reason).toContain(result.outcome);
        expect(
          result.episodes.some((e) => e.id === 'LBY-2011b' && e.match === 'non_state_actor_in_target'),
        ).toBe(true);
      }
      expect(countOutcomes(hor.map(screen)).flag).toBe(hor.length); // measured: all of them
    }
  });

  it('flags deliveries to South Sudan after res. 2428 (SSD-2018)', () => {
    const screen = createScreener(episodes, states);
    for (const rows of [classic, deliveries]) {
      const ssd = rows.filter((t) => t.importerId === 'SSD' && within(t, 2019, 2100));
      expect(ssd.length).toBeGreaterThanOrEqual(2);
      for (const t of ssd) expect(screen(t).episodes.find((e) => e.outcome === 'flag')?.id).toBe('SSD-2018');
    }
  });

  it('flags deliveries to Somali armed groups in 1992-2013 (SOM-1992)', () => {
    const screen = createScreener(episodes, states);
    const groups = classic.filter((t) => t.importerId?.startsWith('N-SOM-') && within(t, 1992, 2013));
    expect(groups.map((t) => t.importerId).sort()).toEqual(['N-SOM-SNA', 'N-SOM-UIC']);
    for (const t of groups) {
      const result = screen(t);
      expect(result.outcome).toBe('flag');
      expect(result.episodes[0]).toMatchObject({ id: 'SOM-1992', match: 'non_state_actor_in_target' });
    }
  });

  it('marks possible, with the government-exempt reason, deliveries to the Central African Republic in 2014-2022', () => {
    const screen = createScreener(episodes, states);
    for (const rows of [classic, deliveries]) {
      const caf = rows.filter((t) => t.importerId === 'CAF' && within(t, 2014, 2022));
      expect(caf.length).toBeGreaterThanOrEqual(6);
      for (const t of caf) {
        const result = screen(t);
        expect(result.outcome).toBe('possible');
        expect(result.reason).toContain('government-exempt');
      }
    }
  });

  it('clears French deliveries to India, a State no embargo concerns', () => {
    const screen = createScreener(episodes, states);
    const rows = deliveries.filter((t) => t.exporterId === 'FRA' && t.importerId === 'IND');
    expect(rows.length).toBeGreaterThan(50);
    for (const t of rows) expect(screen(t)).toMatchObject({ outcome: 'clear', episodes: [] });
  });
});
