import { describe, expect, it } from 'vitest';
import { isRefused } from '../framework.js';
import { parseUkCaat, ratingScheme } from './uk-caat.js';
import {
  expectSound,
  fixtureBytes,
  fixtureLookups,
  quarantineCodes,
  recordsOf,
  textBytes,
} from './test-support.js';

const { lookup } = fixtureLookups();

describe('UK control-list ratings (ratings.csv)', () => {
  const result = parseUkCaat(fixtureBytes('uk-ratings.csv'), 'ratings', { fileName: 'ratings.csv', lookup });

  it('accounts for every row: 7 read = 5 accepted + 2 quarantined', () => {
    expectSound(result);
    expect([result.rowsRead, result.accepted.length, result.quarantined.length, result.blank]).toEqual([
      7, 5, 2, 0,
    ]);
    expect(result.source).toBe('national:gbr');
  });

  it('classifies each rating and keeps empty descriptions as null', () => {
    const records = recordsOf(result, 'uk-control-rating');
    expect(
      records.map((record) => [record.rating, record.scheme, record.mlCategory, record.military]),
    ).toEqual([
      ['ML1', 'eu-ml', 'ML1', true],
      ['PL5001', 'uk-national', null, true],
      ['1A001', 'dual-use', null, false],
      ['HR AII', 'other', null, false],
      ['BLR', 'other', null, false],
    ]);
    expect(records[4]).toMatchObject({ shortDescription: null, fullDescription: null });
    expect(records[0]!.provenance).toMatchObject({ source: 'national:gbr', row: 2 });
  });

  it('quarantines a military flag that is not 0 or 1 and a short row', () => {
    expect(quarantineCodes(result, 7)).toEqual(['invalid_flag']);
    expect(quarantineCodes(result, 8)).toEqual(['wrong_field_count']);
  });

  it('knows ML codes from look-alikes', () => {
    expect(ratingScheme('ML10').scheme).toBe('eu-ml');
    expect(ratingScheme('MLX').scheme).toBe('other');
    expect(ratingScheme('9E102').scheme).toBe('dual-use');
  });
});

describe('UK refusal criteria (refusal-criteria.csv)', () => {
  const result = parseUkCaat(fixtureBytes('uk-refusal-criteria.csv'), 'refusal-criteria', {
    fileName: 'refusal-criteria.csv',
    lookup,
  });

  it('accounts for every row: 6 read = 4 accepted + 2 quarantined', () => {
    expectSound(result);
    expect([result.rowsRead, result.accepted.length, result.quarantined.length]).toEqual([6, 4, 2]);
  });

  it('keeps cohort, criterion number and text', () => {
    expect(recordsOf(result, 'uk-refusal-criterion')[1]).toMatchObject({
      licenceCohortId: '101',
      criterion: 7,
      description: 'Example text of criterion seven',
    });
  });

  it('quarantines a criterion that does not exist and a cohort id that is not a number', () => {
    expect(quarantineCodes(result, 5)).toEqual(['impossible_criterion']);
    expect(quarantineCodes(result, 6)).toEqual(['not_a_number']);
  });

  it('warns when a criterion is described differently, keeping both texts', () => {
    expect(result.issues.find((issue) => issue.code === 'criterion_text_differs')).toMatchObject({
      row: 7,
      severity: 'warning',
    });
    expect(recordsOf(result, 'uk-refusal-criterion').at(-1)!.description).toBe(
      'Example text of criterion two, reworded',
    );
  });
});

describe('UK destination footnotes (footnotes-region.csv)', () => {
  const result = parseUkCaat(fixtureBytes('uk-footnotes.csv'), 'footnotes-region', {
    fileName: 'footnotes-region.csv',
    lookup,
  });

  it('resolves destinations, keeps aggregate zones and quarantines unknown names and empty texts', () => {
    expectSound(result);
    const records = recordsOf(result, 'uk-destination-footnote');
    expect(records.map((record) => record.destination.stateId ?? record.destination.aggregate)).toEqual([
      'ISL',
      'continental-shelf-dnk',
    ]);
    expect(quarantineCodes(result, 3)).toEqual(['unknown_state']);
    expect(quarantineCodes(result, 5)).toEqual(['missing_value']);
  });
});

describe('UK tables: headers and damaged files', () => {
  it('refuses a file without a required column, naming it', () => {
    const result = parseUkCaat(textBytes('rating,military,short_description\nML1,1,x\n'), 'ratings', {
      fileName: 'r.csv',
      lookup,
    });
    expect(isRefused(result)).toBe(true);
    expect(result.issues[0]).toMatchObject({ code: 'missing_column', column: 'full_description' });
  });

  it('refuses a header without rows, a duplicated column and a truncated last row', () => {
    const parse = (text: string) =>
      parseUkCaat(textBytes(text), 'footnotes-region', { fileName: 'f.csv', lookup });
    expect(parse('name,text\n').issues[0]!.code).toBe('no_data_rows');
    expect(
      parse('name,text,text\nChile,a,b\n').issues.find((issue) => issue.severity === 'error')!.code,
    ).toBe('duplicate_column');
    expect(parse('name,text\nChile,"an unfinished').issues[0]!.code).toBe('truncated_file');
  });

  it('warns about an unknown column and reads the rest', () => {
    const result = parseUkCaat(textBytes('name,text,extra\nChile,Example,1\n'), 'footnotes-region', {
      fileName: 'f.csv',
      lookup,
    });
    expect(result.accepted).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ code: 'unknown_column', severity: 'warning' });
  });

  it('reads a file with a BOM and CRLF line ends', () => {
    const result = parseUkCaat(textBytes('\uFEFFname,text\r\nChile,Example\r\n'), 'footnotes-region', {
      fileName: 'f.csv',
      lookup,
    });
    expect(result.accepted).toHaveLength(1);
    expect(result.issues).toEqual([]);
  });
});
