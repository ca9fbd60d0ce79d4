import { describe, expect, it } from 'vitest';
import { createIso2Lookup, findAggregate, NATIONAL_AGGREGATES, PartyResolver } from './parties.js';
import { fixtureLookups } from './test-support.js';

describe('aggregates', () => {
  it('finds labels whatever their case, dashes and final full stop', () => {
    expect(findAggregate('Not Applicable – licence issued for promotional activity only.')?.code).toBe(
      'promotion-only',
    );
    expect(findAggregate('Not Applicable-licence issued for promotional activity only')?.code).toBe(
      'promotion-only',
    );
    expect(findAggregate('WORLDWIDE')?.code).toBe('worldwide');
    expect(findAggregate('n/a')?.code).toBe('unspecified');
    expect(findAggregate('Atlantis')).toBeUndefined();
  });

  it('gives every aggregate a unique code and a meaning', () => {
    const codes = NATIONAL_AGGREGATES.map((aggregate) => aggregate.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const aggregate of NATIONAL_AGGREGATES) expect(aggregate.meaning).not.toBe('');
  });
});

describe('PartyResolver', () => {
  const { lookup, iso2 } = fixtureLookups();
  const resolver = new PartyResolver(lookup, 'eu-coarm', iso2);

  it('reads an aggregate before the crosswalk, so that it is never a State', () => {
    expect(resolver.byName('Multiple countries')).toEqual({
      ok: true,
      party: { name: 'Multiple countries', code: null, stateId: null, aggregate: 'multiple' },
    });
  });

  it('uses the alias table with the source of the file', () => {
    expect(resolver.byName('Holland')).toMatchObject({ ok: true, party: { stateId: 'NLD' } });
  });

  it('points to data/reference/state-aliases.csv for an unknown name', () => {
    const outcome = resolver.byName('Atlantis');
    expect(outcome).toMatchObject({ ok: false, code: 'unknown_state' });
    if (!outcome.ok) expect(outcome.hint).toContain('data/reference/state-aliases.csv (source eu-coarm)');
  });

  it('lets the code decide and reports what the name resolves to', () => {
    expect(resolver.byCode('IS', 'Norway')).toMatchObject({
      ok: true,
      party: { stateId: 'ISL', code: 'IS' },
      nameId: 'NOR',
    });
    expect(resolver.byCode('QQ', 'x')).toMatchObject({ ok: false, code: 'unknown_code' });
  });
});

describe('createIso2Lookup', () => {
  it('reads the EU codes EL and UK as GR and GB, and nothing else differently', () => {
    const lookup = createIso2Lookup([
      { id: 'GRC', iso2: 'GR' },
      { id: 'GBR', iso2: 'GB' },
      { id: 'UKR', iso2: 'UA' },
    ]);
    expect(['EL', 'UK', 'gr', 'UA', 'XX'].map((code) => lookup.resolveIso2(code)?.stateId)).toEqual([
      'GRC',
      'GBR',
      'GRC',
      'UKR',
      undefined,
    ]);
  });
});
