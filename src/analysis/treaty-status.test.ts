import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IsoDate, isoDate } from '../model/dates.js';
import type { State } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { loadCommittedReference } from '../reference/committed.js';
import {
  treatyStatusAsOf,
  treatyStatusOn,
  treatyTimeline,
  type TreatyStatusCounts,
} from './treaty-status.js';

let states: State[];
let records: TreatyRecord[];
beforeAll(async () => {
  const data = await loadCommittedReference();
  states = data.states;
  records = data.treatyRecords;
});

const countsOn = (date: string): TreatyStatusCounts =>
  treatyStatusAsOf(states, records, isoDate(date)).counts;
const record = (id: string) => records.find((r) => r.stateId === id);

/** Any date between 2012 and 2030. */
const anyDate = fc
  .integer({ min: Date.UTC(2012, 0, 1), max: Date.UTC(2030, 11, 31) })
  .map((t) => new Date(t).toISOString().slice(0, 10) as IsoDate);

describe('treatyStatusOn', () => {
  it('gives not_signed without a record, and before the treaty opened for signature on 2013-06-03', () => {
    expect(treatyStatusOn(undefined, isoDate('2026-02-03'))).toBe('not_signed');
    expect(treatyStatusOn(record('FRA'), isoDate('2013-06-02'))).toBe('not_signed');
    expect(countsOn('2013-06-02')).toMatchObject({ signed: 0, deposited: 0, notSigned: 197 });
  });

  it('has the US signing on 2013-09-25 and declaring on 2019-07-18 that it will not become a party', () => {
    const usa = record('USA');
    expect(usa?.signatureDate).toBe('2013-09-25');
    expect(treatyStatusOn(usa, isoDate('2013-09-24'))).toBe('not_signed');
    expect(treatyStatusOn(usa, isoDate('2013-09-25'))).toBe('signatory');
    expect(treatyStatusOn(usa, isoDate('2019-07-17'))).toBe('signatory');
    expect(treatyStatusOn(usa, isoDate('2019-07-18'))).toBe('declared_not_to_become_party');
    expect(treatyStatusOn(usa, isoDate('2026-02-03'))).toBe('declared_not_to_become_party');
  });

  it('keeps a later depositor awaiting entry into force for 90 days (ATT Art. 22(2))', () => {
    // Switzerland deposited on 2015-01-30, the 62nd instrument: in force on 2015-04-30.
    const che = record('CHE');
    expect(treatyStatusOn(che, isoDate('2015-01-29'))).toBe('signatory');
    expect(treatyStatusOn(che, isoDate('2015-01-30'))).toBe('deposited_awaiting_eif');
    expect(treatyStatusOn(che, isoDate('2015-04-29'))).toBe('deposited_awaiting_eif');
    expect(treatyStatusOn(che, isoDate('2015-04-30'))).toBe('state_party');
  });

  it('counts an accession without signature (Mauritius) as a deposit, never as a signature', () => {
    const mus = record('MUS');
    expect(mus?.signatureDate).toBeNull();
    expect(treatyStatusOn(mus, isoDate('2015-07-22'))).toBe('not_signed');
    expect(treatyStatusOn(mus, isoDate('2015-07-23'))).toBe('deposited_awaiting_eif');
  });
});

describe('treatyStatusAsOf with the committed depositary records', () => {
  it('has 61 instruments deposited by 2014-12-24, and the treaty in force for all 61 that day (ATT Art. 22(1))', () => {
    expect(countsOn('2014-12-23')).toMatchObject({ deposited: 61, stateParty: 0, depositedAwaitingEif: 61 });
    expect(countsOn('2014-12-24')).toMatchObject({ deposited: 61, stateParty: 61, depositedAwaitingEif: 0 });
  });

  it('has 72 deposited, 69 in force and 59 signatories without a deposit on 2015-08-24', () => {
    expect(countsOn('2015-08-24')).toMatchObject({
      deposited: 72,
      stateParty: 69,
      depositedAwaitingEif: 3,
      signatory: 59,
    });
  });

  it('reproduces the milestones: 31 after 2014-04-02, 53 after 2014-09-25, the 100th on 2018-12-14, 110 by 2020-12-31', () => {
    expect(countsOn('2014-04-02').deposited).toBe(31);
    expect(countsOn('2014-09-25').deposited).toBe(53);
    expect(countsOn('2018-12-13').deposited).toBe(99);
    expect(countsOn('2018-12-14').deposited).toBe(100);
    expect(countsOn('2020-12-31')).toMatchObject({ deposited: 110, stateParty: 110 });
    expect(countsOn('2022-12-31').deposited).toBe(113);
    expect(countsOn('2024-12-31')).toMatchObject({ deposited: 116, signedNotDeposited: 26 });
  });

  it('has 117 States Parties, 130 signatures and 25 signatories without a deposit (24 + the US) on 2026-02-03', () => {
    expect(countsOn('2026-02-03')).toEqual({
      signed: 130,
      signatory: 24,
      signedNotDeposited: 25,
      deposited: 117,
      depositedAwaitingEif: 0,
      stateParty: 117,
      declaredNotToBecomeParty: 1,
      notSigned: 55,
      total: 197,
    });
  });

  it('counts the African Group at 31 States Parties and 10 signatories on 2026-02-03 (ATT portal)', () => {
    const result = treatyStatusAsOf(states, records, isoDate('2026-02-03'));
    const african = result.byRegion.find((r) => r.groupBy === 'unRegionalGroup' && r.region === 'African');
    expect(african?.counts).toMatchObject({ stateParty: 31, signatory: 10, total: 54 });
    const none = result.byRegion.find((r) => r.groupBy === 'unRegionalGroup' && r.region === 'none');
    expect(none?.counts).toMatchObject({ total: 4, stateParty: 2 }); // Palestine and Niue are parties
  });

  it('hides events after the as-of date from the per-State rows', () => {
    const row = treatyStatusAsOf(states, records, isoDate('2014-01-01')).states.find(
      (s) => s.stateId === 'CHE',
    )!;
    expect(row).toMatchObject({
      status: 'signatory',
      signatureDate: '2013-06-03',
      depositDate: null,
      entryIntoForceDate: null,
    });
    const vut = treatyStatusAsOf(states, records, isoDate('2025-09-05')).states.find(
      (s) => s.stateId === 'VUT',
    )!;
    expect(vut).toMatchObject({
      status: 'deposited_awaiting_eif',
      depositDate: '2025-09-05',
      entryIntoForceDate: '2025-12-04',
    });
  });

  it('counts only States: records are ignored for anything that is not kind state', () => {
    const result = treatyStatusAsOf(states, records, isoDate('2026-02-03'));
    expect(result.states).toHaveLength(197);
    expect(
      result.states.some((s) => s.stateId === 'XKK' || s.stateId === 'TWN' || s.stateId.startsWith('H-')),
    ).toBe(false);
  });

  it('partitions the States into the five statuses on any date', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const c = countsOn(date);
        expect(
          c.signatory + c.depositedAwaitingEif + c.stateParty + c.declaredNotToBecomeParty + c.notSigned,
        ).toBe(c.total);
        expect(c.total).toBe(197);
        expect(c.deposited).toBe(c.depositedAwaitingEif + c.stateParty);
        expect(c.signed).toBeLessThanOrEqual(130);
      }),
      { numRuns: 200 },
    );
  });

  it('never lowers the number of deposits or of States Parties as time passes', () => {
    fc.assert(
      fc.property(anyDate, anyDate, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(countsOn(late).deposited).toBeGreaterThanOrEqual(countsOn(early).deposited);
        expect(countsOn(late).stateParty).toBeGreaterThanOrEqual(countsOn(early).stateParty);
        expect(countsOn(late).signed).toBeGreaterThanOrEqual(countsOn(early).signed);
      }),
      { numRuns: 200 },
    );
  });
});

describe('treatyTimeline', () => {
  it('lists every event in date order with running totals that end at the 2026-02-03 counts', () => {
    const events = treatyTimeline(records);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.date >= events[i - 1]!.date).toBe(true);
    expect(events.at(-1)!.cumulative).toEqual({
      signed: 130,
      deposited: 117,
      inForce: 117,
      provisionalApplication: 22,
      declaredNotToBecomeParty: 1,
    });
    expect(
      events.filter((e) => e.event === 'declaration_not_to_become_party').map((e) => [e.stateId, e.date]),
    ).toEqual([['USA', '2019-07-18']]);
  });

  it('starts with the 67 signatures of the opening day and reaches 50 deposits on 2014-09-25 (ATT Art. 22(1))', () => {
    const events = treatyTimeline(records);
    expect(events.filter((e) => e.event === 'signature' && e.date === '2013-06-03')).toHaveLength(67);
    const fiftieth = events.find((e) => e.event === 'deposit' && e.cumulative.deposited === 50)!;
    expect(fiftieth.date).toBe('2014-09-25');
    const inForce = events.filter((e) => e.event === 'entry_into_force' && e.date === '2014-12-24');
    expect(inForce).toHaveLength(61);
    expect(inForce.at(-1)!.cumulative.inForce).toBe(61);
  });

  it('marks the deposits with their action type', () => {
    const mus = treatyTimeline(records).find((e) => e.stateId === 'MUS' && e.event === 'deposit');
    expect(mus).toMatchObject({ date: '2015-07-23', actionType: 'accession', iso3: 'MUS' });
  });
});
