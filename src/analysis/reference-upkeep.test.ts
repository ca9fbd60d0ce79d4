import { describe, expect, it } from 'vitest';
import { isoDate } from '../model/dates.js';
import type { State } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { amendTreatyRecord, applyAmendments, newEmbargoEpisode } from './reference-upkeep.js';

const state = { id: 'AGO', iso3: 'AGO', name: 'Angola', kind: 'state' } as unknown as State;
const territory = { id: 'TWN', iso3: 'TWN', name: 'Taiwan', kind: 'territory' } as unknown as State;
const signatory: TreatyRecord = {
  stateId: 'AGO', iso3: 'AGO', name: 'Angola', statusAtSource: 'signatory', asAt: '2026-02-03', signatureDate: '2013-09-24',
  depositDate: null, actionType: null, entryIntoForceDate: null, eifBasis: null, provisionalApplicationDate: null,
  declaredNotToBecomePartyDate: null, notes: null, eifConfirmedBy: null, verification: null, sources: 'S1: UNTC',
} as TreatyRecord;
const source = { citation: 'C.N.1.2026.TREATIES-XXVI.8' };
const at = '2026-11-20T10:00:00.000Z';
const today = isoDate('2026-11-20');
/** `null`: the State has no record (it never acted). */
const amend = (change: Parameters<typeof amendTreatyRecord>[0]['change'], current: TreatyRecord | null = signatory, s: State = state) =>
  amendTreatyRecord({ current: current ?? undefined, state: s, change, source, at, today });

describe('amending a treaty record', () => {
  it('computes entry into force 90 days after a later deposit (ATT Art. 22(2)) and keeps the earlier facts', () => {
    const { record, changes, action } = amend({ depositDate: isoDate('2026-11-02'), actionType: 'ratification' });
    expect(action).toBe('update');
    expect(record).toMatchObject({ signatureDate: '2013-09-24', entryIntoForceDate: '2027-01-31', eifBasis: 'art22(2)', statusAtSource: 'state_party', asAt: '2026-11-20' });
    expect(record.sources).toBe('S1: UNTC ; C.N.1.2026.TREATIES-XXVI.8 (recorded in ATT Observatory on 2026-11-20)');
    expect(Object.keys(changes).sort()).toEqual(['actionType', 'asAt', 'depositDate', 'eifBasis', 'eifConfirmedBy', 'entryIntoForceDate', 'statusAtSource']);
  });

  it('gives 24 Dec 2014 to an instrument deposited before the treaty entered into force (ATT Art. 22(1))', () => {
    expect(amend({ depositDate: isoDate('2014-10-01'), actionType: 'ratification' }).record).toMatchObject({ entryIntoForceDate: '2014-12-24', eifBasis: 'art22(1)' });
  });

  it('creates a record for a State that never acted, by accession', () => {
    const { record, action } = amend({ depositDate: isoDate('2026-03-01'), actionType: 'accession' }, null);
    expect(action).toBe('create');
    expect(record).toMatchObject({ stateId: 'AGO', signatureDate: null, entryIntoForceDate: '2026-05-30' });
  });

  it.each([
    [{ signatureDate: isoDate('2015-02-01') }, 'change.signatureDate', /signature period/],
    [{ signatureDate: isoDate('2013-06-02') }, 'change.signatureDate', /signature period/],
    [{ depositDate: isoDate('2026-12-01'), actionType: 'ratification' as const }, 'change.depositDate', /after today/],
    [{ depositDate: isoDate('2013-09-01'), actionType: 'ratification' as const }, 'change.depositDate', /before the signature/],
    [{ depositDate: isoDate('2026-01-01'), actionType: 'accession' as const }, 'change.actionType', /does not accede/],
    [{ depositDate: isoDate('2026-01-01') }, 'change.actionType', /instrument type/],
    [{ actionType: 'ratification' as const }, 'change.actionType', /needs a deposit/],
    [{ depositDate: isoDate('2026-01-01'), actionType: 'ratification' as const, entryIntoForceDate: isoDate('2025-12-01') }, 'change.entryIntoForceDate', /before the deposit/],
    [{ signatureDate: isoDate('2013-09-24') }, 'change', /leaves the treaty record/],
  ])('refuses %j, naming %s', (change, parameter, message) => {
    expect(() => amend(change)).toThrow(message);
    try {
      amend(change);
    } catch (error) {
      expect(error).toMatchObject({ code: 'validation', location: { parameter } });
      expect((error as { hint?: string }).hint).toBeTruthy();
    }
  });

  it('refuses ratification by a State with no signature (ATT Art. 21(2)) and any act by a territory (Art. 21)', () => {
    expect(() => amend({ depositDate: isoDate('2026-01-01'), actionType: 'ratification' }, null)).toThrow(/needs a signature/);
    expect(() => amend({ depositDate: isoDate('2026-01-01'), actionType: 'accession' }, null, territory)).toThrow(/not a State that can join/);
  });
});

describe('the overlay of amendments over the reference files', () => {
  it('sets the amended fields over a record the files changed since, and adds its source', () => {
    const { changes } = amend({ depositDate: isoDate('2026-11-02'), actionType: 'ratification' });
    const reloaded = { ...signatory, notes: 'a note added by a later file' };
    const [record] = applyAmendments([reloaded], [], [{ id: 1, at, targetKind: 'treaty_record', targetId: 'AGO', changes, after: {}, source }]).treatyRecords;
    expect(record).toMatchObject({ notes: 'a note added by a later file', depositDate: '2026-11-02', entryIntoForceDate: '2027-01-31' });
    expect(record!.sources).toMatch(/^S1: UNTC ; C\.N\.1/);
  });
});

describe('a new embargo episode', () => {
  const states = [state, { id: 'SSD', kind: 'state', name: 'South Sudan' } as unknown as State];
  const episode = { authority: 'UN' as const, target: 'South Sudan', targetIds: ['SSD'] as never, scopeCode: 'full' as const, scopeText: 'all arms', direction: 'to_target' as const, startDate: isoDate('2018-07-13'), binding: 'mandatory' as const };
  it('gets an id from authority, target and year, unique among existing ids', () => {
    const made = newEmbargoEpisode({ input: { episode, source }, existingIds: new Set(['UN-SSD-2018']), states, at, today });
    expect(made).toMatchObject({ id: 'UN-SSD-2018-2', chapterVii: 'unclear', endBasis: 'open' });
  });
  it('refuses unknown targets, an end before its start, and Chapter VII for an EU measure', () => {
    const make = (change: object) => newEmbargoEpisode({ input: { episode: { ...episode, ...change }, source }, existingIds: new Set(), states, at, today });
    expect(() => make({ targetIds: ['XXX'] })).toThrow(/not a known State/);
    expect(() => make({ endDate: isoDate('2018-07-13') })).toThrow(/not after the start/);
    expect(() => make({ authority: 'EU', chapterVii: 'yes' })).toThrow(/chapterVii applies to UN/);
    expect(() => make({ startDate: isoDate('1940-01-01') })).toThrow(/UN Charter/);
  });
});
