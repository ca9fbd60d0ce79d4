import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../model/errors.js';
import {
  IssueCollector,
  assertRowAccounting,
  createStateLookup,
  decodeText,
  emptyResult,
  firstInvalidUtf8Offset,
  looksBinary,
  sha256Hex,
  unknownStateHint,
} from './framework.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('decodeText', () => {
  it('reads UTF-8 and drops a BOM without a warning', () => {
    const issues = new IssueCollector('f.csv');
    const decoded = decodeText(
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Türkiye')]),
      issues,
    );
    expect(decoded).toEqual({ text: 'Türkiye', encoding: 'utf-8', bom: true });
    expect(issues.issues).toEqual([]);
  });

  it('falls back to Latin-1 with a warning that says where the first invalid byte is', () => {
    const issues = new IssueCollector('f.csv');
    const decoded = decodeText(bytes(0x61, 0x0a, 0x4b, 0x69, 0x6c, 0x69, 0xe7), issues);
    expect(decoded.text).toBe('a\nKiliç');
    expect(decoded.encoding).toBe('windows-1252');
    expect(issues.issues).toHaveLength(1);
    expect(issues.issues[0]).toMatchObject({
      code: 'encoding_fallback',
      severity: 'warning',
      row: null,
      file: 'f.csv',
    });
    expect(issues.issues[0]!.message).toContain('offset 6, line 2');
  });

  it('reads UTF-16 when its BOM says so', () => {
    const issues = new IssueCollector('f.csv');
    expect(decodeText(bytes(0xff, 0xfe, 0x41, 0x00, 0x42, 0x00), issues).text).toBe('AB');
  });
});

describe('firstInvalidUtf8Offset', () => {
  it('agrees with a strict decoder on arbitrary bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        let valid = true;
        try {
          strict.decode(input);
        } catch {
          valid = false;
        }
        expect(firstInvalidUtf8Offset(input) < 0).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects overlong forms and surrogates', () => {
    expect(firstInvalidUtf8Offset(bytes(0xc0, 0xaf))).toBe(0);
    expect(firstInvalidUtf8Offset(bytes(0x41, 0xed, 0xa0, 0x80))).toBe(1);
    expect(firstInvalidUtf8Offset(bytes(0xe2, 0x82, 0xac))).toBe(-1);
  });
});

describe('looksBinary', () => {
  it('flags NUL bytes and control-heavy text but not ordinary CSV', () => {
    expect(looksBinary('PK\u0003\u0004\u0000\u0000')).toBe(true);
    expect(looksBinary('a,b\r\nc,d\r\n')).toBe(false);
  });
});

describe('IssueCollector', () => {
  it('says file, row, column, value, what and what next', () => {
    const issues = new IssueCollector('register.csv');
    const issue = issues.error(
      'unknown_state',
      '"Rep. Korea" is not a known State',
      unknownStateHint('sipri'),
      { row: 14, column: 'Recipient', value: 'Rep. Korea' },
    );
    expect(issue).toEqual({
      file: 'register.csv',
      sheet: null,
      row: 14,
      column: 'Recipient',
      value: 'Rep. Korea',
      code: 'unknown_state',
      severity: 'error',
      message: 'row 14, column "Recipient": "Rep. Korea" is not a known State',
      hint: 'add it to data/reference/state-aliases.csv (source sipri) or correct the file',
    });
    expect(issues.hasFileErrors()).toBe(false);
    issues.error('empty_file', 'the file is empty', 'export it again');
    expect(issues.hasFileErrors()).toBe(true);
  });

  it('cuts a huge value in an issue and says how long it was', () => {
    const issues = new IssueCollector('f.csv');
    const issue = issues.warning('x', 'long', 'nothing', { value: 'a'.repeat(10_000) });
    expect(issue.value!.length).toBeLessThan(300);
    expect(issue.value).toContain('10000 characters');
  });
});

describe('assertRowAccounting', () => {
  it('throws an internal AppError when rows go missing', () => {
    const result = emptyResult<string>('sipri', 'f.csv', '0'.repeat(64));
    result.rowsRead = 3;
    result.accepted = ['a'];
    result.blank = 1;
    expect(() => assertRowAccounting(result)).toThrow(AppError);
    try {
      assertRowAccounting(result);
    } catch (error) {
      expect((error as AppError).code).toBe('internal');
    }
    result.quarantined.push({ row: 3, sheet: null, raw: [], issues: [] });
    expect(() => assertRowAccounting(result)).not.toThrow();
  });
});

describe('sha256Hex', () => {
  it('gives the well-known digest of "abc"', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('createStateLookup', () => {
  const states = [
    { id: 'TUR', name: 'Turkey' },
    { id: 'CIV', name: "Cote d'Ivoire" },
    { id: 'H-SUN', name: 'Soviet Union' },
    { id: 'COG', name: 'Congo' },
    { id: 'COD', name: 'DR Congo' },
  ];
  const aliases = [
    { alias: 'Turkiye', stateId: 'TUR', source: 'sipri' },
    { alias: 'USSR', stateId: 'H-SUN', source: 'untc' },
    { alias: 'Congo', stateId: 'COD', source: 'sipri' },
    { alias: 'Atlantis', stateId: 'ATL', source: 'sipri' },
  ];
  const lookup = createStateLookup(aliases, states);

  it('matches case-insensitively after trimming and collapsing whitespace', () => {
    expect(lookup.resolve('  TURKIYE ', 'sipri')).toEqual({ stateId: 'TUR' });
    expect(lookup.resolve("cote  d'ivoire", 'sipri')).toEqual({ stateId: 'CIV' });
  });

  it("prefers the source's own alias over a crosswalk name", () => {
    expect(lookup.resolve('Congo', 'sipri')).toEqual({ stateId: 'COD' });
    expect(lookup.resolve('Congo', 'untc')).toEqual({ stateId: 'COG' });
  });

  it('falls back to aliases of other sources', () => {
    expect(lookup.resolve('USSR', 'sipri')).toEqual({ stateId: 'H-SUN' });
  });

  it('returns undefined for unknown names, empty names and aliases to ids missing from the crosswalk', () => {
    expect(lookup.resolve('Rep. Korea', 'sipri')).toBeUndefined();
    expect(lookup.resolve('   ', 'sipri')).toBeUndefined();
    expect(lookup.resolve('Atlantis', 'sipri')).toBeUndefined();
  });

  it('never guesses between two ids claimed by one spelling', () => {
    const ambiguous = createStateLookup(
      [
        { alias: 'Georgia', stateId: 'GEO', source: 'x' },
        { alias: 'Georgia', stateId: 'USA', source: 'x' },
      ],
      [
        { id: 'GEO', name: 'Georgia (country)' },
        { id: 'USA', name: 'United States' },
      ],
    );
    expect(ambiguous.resolve('Georgia', 'x')).toBeUndefined();
  });
});
