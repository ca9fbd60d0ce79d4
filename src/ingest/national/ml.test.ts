import { describe, expect, it } from 'vitest';
import { ML_UNROCA_RELATIONS, parseMlCode, parseMlList } from './ml.js';

describe('parseMlCode', () => {
  it('normalises spacing, dots and letter case', () => {
    expect(parseMlCode('ML 10.A')).toEqual({ category: 'ML10', code: 'ML10a' });
    expect(parseMlCode('Ml1')).toEqual({ category: 'ML1', code: 'ML1' });
    expect(parseMlCode('ML8c5a1')).toEqual({ category: 'ML8', code: 'ML8c5a1' });
  });

  it('rejects categories outside ML1-ML22 and codes that only look like ML codes', () => {
    for (const token of [
      'ML0',
      'ML23',
      'ML134',
      'ML123',
      'MLc',
      'MLMl1',
      'ML01',
      'PL5017',
      '10',
      'ML1aPL5017',
    ])
      expect(parseMlCode(token)).toBeUndefined();
  });
});

describe('parseMlList', () => {
  it('completes later items from the item before them', () => {
    expect(parseMlList('ML1a, 1d').codes.map((code) => code.code)).toEqual(['ML1a', 'ML1d']);
    expect(parseMlList('ML13c,d').codes.map((code) => code.code)).toEqual(['ML13c', 'ML13d']);
    expect(parseMlList('ML2a,ML3a').codes.map((code) => code.category)).toEqual(['ML2', 'ML3']);
  });

  it('never completes an item that has nothing before it', () => {
    expect(parseMlList('1d, ML2')).toEqual({ codes: [{ category: 'ML2', code: 'ML2' }], invalid: ['1d'] });
  });
});

describe('ML_UNROCA_RELATIONS', () => {
  it('covers ML1-ML22 once each and never claims a full match', () => {
    expect(ML_UNROCA_RELATIONS.map((relation) => relation.ml)).toEqual(
      Array.from({ length: 22 }, (_, index) => `ML${index + 1}`),
    );
    expect(new Set(ML_UNROCA_RELATIONS.map((relation) => relation.relation))).toEqual(
      new Set(['partial', 'none']),
    );
    for (const relation of ML_UNROCA_RELATIONS)
      expect(relation.relation === 'none').toBe(relation.unroca.length === 0);
  });

  it('relates ground vehicles to categories I and II only partially, and ammunition to none', () => {
    expect(ML_UNROCA_RELATIONS[5]).toMatchObject({ ml: 'ML6', unroca: ['I', 'II'], relation: 'partial' });
    expect(ML_UNROCA_RELATIONS[2]).toMatchObject({ ml: 'ML3', unroca: [], relation: 'none' });
  });
});
