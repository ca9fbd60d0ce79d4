import { describe, expect, it } from 'vitest';
import { AppError } from '../../model/errors.js';
import { countQuarantineByCode, isRefused } from '../framework.js';
import { parseEuCoarm, parseRatingText, rejoinFields } from './eu-coarm.js';
import {
  expectSound,
  fixtureBytes,
  fixtureLookups,
  quarantineCodes,
  recordsOf,
  textBytes,
} from './test-support.js';

const lookups = fixtureLookups();
const broker = (bytes: Uint8Array, limits?: { maxCellChars?: number; maxFileBytes?: number }) =>
  parseEuCoarm(bytes, 'broker', { fileName: 'broker.csv', ...lookups, limits });
const mission = (bytes: Uint8Array) =>
  parseEuCoarm(bytes, 'mission', { fileName: 'mission.csv', ...lookups });
const consult = (bytes: Uint8Array) =>
  parseEuCoarm(bytes, 'consult', { fileName: 'consult.csv', ...lookups });

describe('EU brokering licences (broker.csv)', () => {
  const result = broker(fixtureBytes('eu-broker.csv'));

  it('accounts for every line: 14 read = 7 accepted + 6 quarantined + 1 blank', () => {
    expectSound(result);
    expect([result.rowsRead, result.accepted.length, result.quarantined.length, result.blank]).toEqual([
      14, 7, 6, 1,
    ]);
    expect(result.source).toBe('eu-coarm');
  });

  it('pairs multi-valued codes and names by position and reads the broker by its ISO code', () => {
    const first = recordsOf(result, 'eu-brokering-licence')[0]!;
    expect(first.brokerState).toEqual({ name: 'Netherlands', code: 'NL', stateId: 'NLD', aggregate: null });
    expect(first.destinations.map((party) => party.stateId)).toEqual(['BEL', 'LUX']);
    expect(first.origins.map((party) => party.stateId)).toEqual(['BEL', 'LUX', 'ISL']);
    expect(first.status).toBe('issued');
    expect(first.licensedValue).toBeNull();
    expect(first.provenance).toMatchObject({
      source: 'eu-coarm',
      fileName: 'broker.csv',
      row: 1,
      sheet: null,
    });
  });

  it('keeps one brokered value per rating and writes decimals without float text', () => {
    const refused = recordsOf(result, 'eu-brokering-licence').find((record) => record.status === 'refused')!;
    expect(refused.licensedValue).toBe('2400');
    expect(refused.valueBrokered).toEqual(['1900', '500']);
    expect(refused.ratings).toEqual(['ML1a', 'ML3']);
    expect(refused.mlCategories).toEqual(['ML1', 'ML3']);
    expect(refused.quantityText).toBe('12 pieces; 7 kg');
  });

  it('rejoins a quantity split by an unquoted thousands comma, saying so', () => {
    const row4 = recordsOf(result, 'eu-brokering-licence').find((record) => record.provenance.row === 4)!;
    expect(row4.quantityText).toBe('7,000 pieces');
    expect(result.issues.find((issue) => issue.row === 4)).toMatchObject({
      code: 'rejoined_fields',
      severity: 'warning',
      column: 'quantity',
    });
  });

  it('quarantines a row whose extra commas could belong to several free-text columns', () => {
    expect(quarantineCodes(result, 5)).toEqual(['ambiguous_field_count']);
  });

  it('splits a UK code glued to an ML code and reads an aggregate origin', () => {
    const row6 = recordsOf(result, 'eu-brokering-licence').find((record) => record.provenance.row === 6)!;
    expect(row6.ratings).toEqual(['ML1a', 'PL5017']);
    expect(row6.mlCategories).toEqual(['ML1']);
    expect(row6.origins).toEqual([
      { name: 'Nordic countries', code: null, stateId: null, aggregate: 'nordic-countries' },
    ]);
  });

  it('reads a name without a code through the names (European Union)', () => {
    const row7 = recordsOf(result, 'eu-brokering-licence').find((record) => record.provenance.row === 7)!;
    expect(row7.destinations.map((party) => party.stateId)).toEqual(['IO-EU', 'CHL']);
  });

  it('never reads an item number as an ML category', () => {
    expect(quarantineCodes(result, 8)).toEqual(['invalid_rating']);
  });

  it('quarantines negative counts, Python-list residue, unknown names and code/name list mismatches', () => {
    expect(quarantineCodes(result, 9)).toEqual(['negative_number']);
    expect(quarantineCodes(result, 10)).toEqual(['python_repr_residue']);
    expect(quarantineCodes(result, 12)).toEqual(['unknown_state']);
    expect(quarantineCodes(result, 14)).toEqual(['party_list_mismatch']);
    const unknown = result.issues.find((issue) => issue.code === 'unknown_state')!;
    expect(unknown.hint).toContain('data/reference/state-aliases.csv');
    expect(unknown.value).toBe('Atlantis');
  });

  it('skips empty entries inside code and name lists', () => {
    const row13 = recordsOf(result, 'eu-brokering-licence').find((record) => record.provenance.row === 13)!;
    expect(row13.origins.map((party) => party.stateId)).toEqual(['ISL', 'NAM']);
    expect(row13.ratings).toEqual([]);
  });

  it('warns once for a name beside a valid code that data/reference does not know', () => {
    const result = broker(
      textBytes(
        '2010,NL,Holland,issued,BE,Belgie,1,,ML1,,,IS,Iceland\n2011,NL,Holland,issued,BE,Belgie,1,,ML1,,,IS,Iceland\n',
      ),
    );
    expect(result.accepted).toHaveLength(2);
    const warnings = result.issues.filter((issue) => issue.code === 'name_not_in_aliases');
    expect(warnings.map((issue) => issue.value)).toEqual(['Belgie']);
    expect(warnings[0]!.message).toContain('2 rows');
  });

  it('reads the EU codes EL and UK as Greece and the United Kingdom', () => {
    const result = broker(textBytes('2010,EL,Greece,issued,UK,United Kingdom,1,,ML1,,,IS,Iceland\n'));
    const record = recordsOf(result, 'eu-brokering-licence')[0]!;
    expect([record.brokerState.stateId, record.destinations[0]!.stateId]).toEqual(['GRC', 'GBR']);
  });

  it('quarantines an unknown ISO code, an impossible year and an invalid status', () => {
    const result = broker(
      textBytes(
        '2010,QQ,Nowhere,issued,BE,Belgium,1,,ML1,,,IS,Iceland\n1990,NL,Netherlands,issued,BE,Belgium,1,,ML1,,,IS,Iceland\n2010,NL,Netherlands,pending,BE,Belgium,1,,ML1,,,IS,Iceland\n',
      ),
    );
    expect(countQuarantineByCode(result)).toEqual({ unknown_code: 1, impossible_year: 1, invalid_status: 1 });
  });

  it('quarantines a value that is not a number and a cell longer than the limit', () => {
    const result = broker(
      textBytes(
        `2010,NL,Netherlands,issued,BE,Belgium,1,12 EUR,ML1,,,IS,Iceland\n2010,NL,Netherlands,issued,BE,Belgium,1,,ML1,${'x'.repeat(50)},,IS,Iceland\n`,
      ),
      { maxCellChars: 40 },
    );
    expect(countQuarantineByCode(result)).toEqual({ not_a_number: 1, cell_too_long: 1 });
    expectSound(result);
  });

  it('skips a header line with a warning and still reads the columns by position', () => {
    const result = broker(
      textBytes(
        'year,broker_iso2,broker,status\n2010,NL,Netherlands,issued,BE,Belgium,1,,ML1,,,IS,Iceland\n',
      ),
    );
    expect(result.accepted).toHaveLength(1);
    expect(result.rowsRead).toBe(1);
    expect(result.issues[0]).toMatchObject({ code: 'header_line_skipped', severity: 'warning' });
  });
});

describe('EU tables: files that cannot be read', () => {
  it('refuses an empty file, a file of blank lines, binary garbage and a header without rows', () => {
    for (const [bytes, code] of [
      [new Uint8Array(), 'empty_file'],
      [textBytes('\n \n\n'), 'empty_file'],
      [new Uint8Array([0, 1, 2, 3, 255, 254, 0, 0, 7, 8]), 'binary_file'],
      [textBytes('year,broker\n'), 'no_data_rows'],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'not_csv'],
    ] as const) {
      const result = broker(bytes);
      expect(isRefused(result)).toBe(true);
      expect(result.rowsRead).toBe(0);
      expect(result.issues.find((issue) => issue.severity === 'error')).toMatchObject({ code, row: null });
    }
  });

  it('refuses a file cut in the middle of its last row', () => {
    const result = broker(
      textBytes('2010,NL,Netherlands,issued,BE,Belgium,1,,ML1,,,IS,Iceland\n2010,NL,Netherl'),
    );
    expect(isRefused(result)).toBe(true);
    expect(result.issues[0]).toMatchObject({ code: 'truncated_file' });
  });

  it('refuses a file cut inside a quoted cell of its last row', () => {
    const result = mission(
      textBytes('2010,PT,Portugal,NA,Namibia,UN,helmets\n2011,PT,Portugal,NA,Namibia,UN,"Rifles x 4\nPisto'),
    );
    expect(result.issues[0]).toMatchObject({ code: 'truncated_file', severity: 'error' });
    expect(isRefused(result)).toBe(true);
  });

  it('refuses a file larger than the limit before reading it', () => {
    const result = broker(textBytes('2010,NL,Netherlands,issued,BE,Belgium,1,,ML1,,,IS,Iceland\n'), {
      maxFileBytes: 10,
    });
    expect(result.issues[0]).toMatchObject({ code: 'file_too_large' });
  });

  it('reads a Latin-1 file with a warning instead of failing', () => {
    const bytes = new Uint8Array([
      ...textBytes('2010,NL,Netherlands,issued,BE,Belgium,1,,ML1,Caf'),
      0xe9,
      ...textBytes(',,IS,Iceland\n'),
    ]);
    const result = broker(bytes);
    expect(result.accepted).toHaveLength(1);
    expect(recordsOf(result, 'eu-brokering-licence')[0]!.quantityText).toBe('Café');
    expect(result.issues[0]).toMatchObject({ code: 'encoding_fallback', severity: 'warning' });
  });

  it('throws a validation error when the caller gives no ISO code lookup', () => {
    expect(() =>
      parseEuCoarm(textBytes('x'), 'broker', {
        fileName: 'b.csv',
        lookup: lookups.lookup,
        iso2: undefined as never,
      }),
    ).toThrow(AppError);
  });
});

describe('EU exports to international missions (mission.csv)', () => {
  const result = mission(fixtureBytes('eu-mission.csv'));

  it('accounts for every row: 9 read = 5 accepted + 4 quarantined (a quoted cell spans two lines)', () => {
    expectSound(result);
    expect([result.rowsRead, result.accepted.length, result.quarantined.length, result.blank]).toEqual([
      9, 5, 4, 0,
    ]);
  });

  it('keeps the mission as the end user and the items as written, multi-line cells included', () => {
    const records = recordsOf(result, 'eu-mission-export');
    expect(records[0]).toMatchObject({
      year: 2007,
      mission: 'Example Observer Mission (EXOM)',
      items: 'Radios and spare parts ML 11',
    });
    expect(records[0]!.exporterState.stateId).toBe('PRT');
    expect(records[0]!.destination.stateId).toBe('NAM');
    expect(records[1]!.items).toBe('Armoured panels for a van, used by relief workers');
    expect(records.find((record) => record.provenance.row === 5)!.items).toBe(
      'Rifle x 4 (Four)\nPistol x 2 (Two)',
    );
  });

  it('reads destinations without a code by name, and "OTHER" as an aggregate', () => {
    const records = recordsOf(result, 'eu-mission-export');
    expect(records[2]!.destination).toEqual({ name: 'Kosovo', code: null, stateId: 'XKK', aggregate: null });
    expect(records[3]!.destination.aggregate).toBe('other');
  });

  it('quarantines a row without exporter, an unknown destination, ambiguous extra commas and an impossible year', () => {
    expect(quarantineCodes(result, 7)).toEqual(['missing_value']);
    expect(quarantineCodes(result, 8)).toEqual(['unknown_state']);
    expect(quarantineCodes(result, 9)).toEqual(['ambiguous_field_count']);
    expect(quarantineCodes(result, 10)).toEqual(['impossible_year']);
  });
});

describe('EU consultations (consult.csv)', () => {
  const result = consult(fixtureBytes('eu-consult.csv'));

  it('accounts for every row: 9 read = 5 accepted + 4 quarantined', () => {
    expectSound(result);
    expect([result.rowsRead, result.accepted.length, result.quarantined.length, result.blank]).toEqual([
      9, 5, 4, 0,
    ]);
  });

  it('tells Member State, destination and total rows apart', () => {
    const records = recordsOf(result, 'eu-consultation');
    expect(records.map((record) => record.role)).toEqual([
      'member-state',
      'member-state',
      'total',
      'destination',
      'destination',
    ]);
    expect(records[0]).toMatchObject({ initiated: 6, received: 2, concerning: null });
    expect(records[2]).toMatchObject({ party: null, initiated: 10, received: 3 });
    expect(records[3]).toMatchObject({ concerning: 3, initiated: null });
    expect(records[4]!.party!.aggregate).toBe('other');
  });

  it('compares the total row with the Member State rows and warns when they differ', () => {
    const warning = result.issues.find((issue) => issue.code === 'total_mismatch')!;
    expect(warning).toMatchObject({ row: 3, severity: 'warning' });
    expect(warning.message).toContain('received 3 (Member State rows: 7)');
  });

  it('quarantines a row naming both sides, a negative count and a destination without a count', () => {
    expect(quarantineCodes(result, 6)).toEqual(['unknown_state']);
    expect(quarantineCodes(result, 7)).toEqual(['inconsistent_row']);
    expect(quarantineCodes(result, 8)).toEqual(['negative_number']);
    expect(quarantineCodes(result, 9)).toEqual(['missing_value']);
  });
});

describe('the rejoin rule', () => {
  it('puts the extra fields into the only free-text column where the row then has the layout shape', () => {
    const fields = '2010,NL,Netherlands,issued,BE,Belgium,1,,ML1,,,IS,Iceland, Republic of'.split(',');
    expect(rejoinFields(fields, 'broker')).toMatchObject({ kind: 'one', column: 12 });
  });

  it('finds nothing when no column can take the extra fields', () => {
    expect(
      rejoinFields('2010,NL,Netherlands,issued,BE,Belgium,1,,ML1,,,IS,Iceland,2,3'.split(','), 'consult'),
    ).toEqual({ kind: 'none' });
  });

  it('reports every candidate when several could', () => {
    expect(rejoinFields('2010,NL,Netherlands,IS,Iceland,UN,a,b'.split(','), 'mission')).toEqual({
      kind: 'many',
      columns: [4, 5, 6],
    });
  });
});

describe('parseRatingText', () => {
  it('reads lists, continuations, glued national codes and "multiple categories"', () => {
    expect(parseRatingText('ML2, 14, 18')).toMatchObject({ ratings: ['ML2', 'ML14', 'ML18'], invalid: [] });
    expect(parseRatingText('ML13d1PL5001b; ML 10.A')).toMatchObject({
      ratings: ['ML13d1', 'PL5001b', 'ML10a'],
      mlCategories: ['ML13', 'ML10'],
    });
    expect(parseRatingText('MLMultiple categories')).toMatchObject({ aggregated: true, ratings: [] });
    expect(parseRatingText('NLR')).toMatchObject({ other: ['NLR'], ratings: ['NLR'] });
  });

  it('rejects codes that only look like ML codes and bare numbers', () => {
    expect(parseRatingText('ML134').invalid).toEqual(['ML134']);
    expect(parseRatingText('MLMl1').invalid).toEqual(['MLMl1']);
    expect(parseRatingText('110').invalid).toEqual(['110']);
    expect(parseRatingText('ML23').invalid).toEqual(['ML23']);
  });
});
