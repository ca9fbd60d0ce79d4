import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalDecimal,
  numberToDecimalText,
  plainNumber,
  readAmount,
  readBasisList,
  readCount,
  readCurrency,
  readDate,
  readText,
  readYesNo,
} from './cells.js';
import { readCsvRecords, sniffDelimiter, csvLine, unguardCell } from './csv-text.js';
import { CATEGORY_LOOKUP, columnLookup, headerKey, wordKey } from './format.js';

const point = { decimalComma: false };
const comma = { decimalComma: true };
const value = <T>(parsed: { ok: boolean; value?: T }) => (parsed.ok ? parsed.value : 'error');
const code = (parsed: { ok: boolean; note?: { code: string } }) => (parsed.ok ? 'ok' : parsed.note!.code);

describe('reading numbers', () => {
  it('reads thousands separators of either style and keeps values exact', () => {
    expect(plainNumber('12,500,000.00', point)).toBe('12500000.00');
    expect(plainNumber('1 234 567', point)).toBe('1234567');
    expect(plainNumber("1'234.5", point)).toBe('1234.5');
    expect(plainNumber('1.250.000,50', comma)).toBe('1250000.50');
    expect(plainNumber('1.234', comma)).toBe('1234');
    expect(plainNumber('1234.5', comma)).toBe('1234.5');
    expect(plainNumber('1,5', point)).toBeUndefined();
    expect(plainNumber('1e6', point)).toBeUndefined();
    expect(plainNumber('€100', point)).toBeUndefined();
  });

  it('writes spreadsheet floats as the 15-digit decimals the sheet shows, without exponents', () => {
    expect(numberToDecimalText(0.1 + 0.2)).toBe('0.3');
    expect(numberToDecimalText(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimalText(1.5e-7)).toBe('0.00000015');
    expect(numberToDecimalText(12500000.5)).toBe('12500000.5');
    expect(canonicalDecimal('007.500')).toBe('7.5');
    expect(canonicalDecimal('0.000')).toBe('0');
  });

  it('reads a number of items as a whole number, a reason word, or an issue', () => {
    expect(value(readCount(null, point))).toEqual({ value: null, reason: 'not_reported' });
    expect(value(readCount(' Withheld ', point))).toEqual({ value: null, reason: 'withheld' });
    expect(value(readCount('not reported', point))).toEqual({ value: null, reason: 'not_reported' });
    expect(value(readCount('1,200', point))).toEqual({ value: 1200, reason: null });
    expect(value(readCount('3.0', point))).toEqual({ value: 3, reason: null });
    expect(value(readCount(0, point))).toEqual({ value: 0, reason: null });
    expect(
      [
        readCount(-3, point),
        readCount('-3', point),
        readCount(2.5, point),
        readCount('2.5', point),
        readCount('lots', point),
        readCount(true, point),
        readCount(1e300, point),
      ].map(code),
    ).toEqual([
      'negative_number',
      'negative_number',
      'not_a_whole_number',
      'not_a_whole_number',
      'not_a_number',
      'not_a_number',
      'number_too_large',
    ]);
  });

  it('never reads an empty or withheld value as zero', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '  ', null, 'withheld', 'aggregated', 'not reported'), (cell) => {
        const parsed = readAmount(cell, point);
        expect(parsed.ok && parsed.value.value).toBe(null);
      }),
    );
  });
});

describe('reading words', () => {
  it('reads yes/no, bases, currencies and dates, and names what is wrong otherwise', () => {
    expect(['yes', 'X', '✓', true, 1, 'no', 'FALSE', '', null].map((cell) => value(readYesNo(cell)))).toEqual(
      [true, true, true, true, true, false, false, null, null],
    );
    expect(code(readYesNo('maybe'))).toBe('not_yes_or_no');
    expect(value(readBasisList('Authorised and actual'))).toEqual(['authorised', 'actual']);
    expect(value(readBasisList('actual; authorized'))).toEqual(['authorised', 'actual']);
    expect(value(readBasisList('both'))).toEqual(['authorised', 'actual']);
    expect(code(readBasisList('delivered'))).toBe('unknown_basis');
    expect(value(readCurrency(' eur '))).toBe('EUR');
    expect(code(readCurrency('€'))).toBe('not_a_currency');
    expect(readCurrency('ZZQ')).toMatchObject({
      ok: true,
      value: 'ZZQ',
      warning: { code: 'unknown_currency' },
    });
    expect(value(readDate(new Date(Date.UTC(2025, 4, 31))))).toBe('2025-05-31');
    expect(code(readDate('2025-02-30'))).toBe('not_a_date');
  });

  it('keeps formula-like text as text with a warning, and refuses control characters', () => {
    expect(readText('=CMD()')).toMatchObject({
      ok: true,
      value: '=CMD()',
      warning: { code: 'formula_kept_as_text' },
    });
    expect(readText('- see annex')).toEqual({ ok: true, value: '- see annex' });
    expect(code(readText('a\u0007b'))).toBe('control_character');
  });

  it('matches categories by code, label, name and sub-category, and headers in any spelling', () => {
    expect(CATEGORY_LOOKUP.get(wordKey('vii(b)'))).toEqual({ category: 'VII', subcategory: 'VII(b)' });
    expect(CATEGORY_LOOKUP.get(wordKey('II - Armoured combat vehicles'))).toEqual({
      category: 'II',
      subcategory: null,
    });
    expect(CATEGORY_LOOKUP.get(wordKey('Assault rifles'))).toEqual({ category: 'VIII', subcategory: 'SA4' });
    expect(CATEGORY_LOOKUP.get(wordKey('MANPADS'))).toEqual({ category: 'VII', subcategory: 'VII(b)' });
    expect(CATEGORY_LOOKUP.get(wordKey('Missiles and missile launchers'))).toEqual({
      category: 'VII',
      subcategory: null,
    });
    expect(CATEGORY_LOOKUP.get(wordKey('Others'))).toBeUndefined();
    expect(columnLookup('exports').get(headerKey('numberOfItems'))?.key).toBe('numberOfItems');
    expect(columnLookup('exports').get(headerKey('Intermediate location(s)'))?.key).toBe(
      'intermediateLocations',
    );
    expect(columnLookup('imports').get(headerKey('Final importing State'))).toBeUndefined();
  });
});

describe('CSV text', () => {
  it("splits quoted cells with separators, quotes and line breaks, keeping each record's first line", () => {
    expect(readCsvRecords('a,"b,""c""\r\nd"\r\n\r\ne,', ',')).toEqual({
      ok: true,
      records: [
        { fields: ['a', 'b,"c"\nd'], line: 1 },
        { fields: [''], line: 3 },
        { fields: ['e', ''], line: 4 },
      ],
    });
    expect(readCsvRecords('a;"b;c"\n', ';')).toEqual({
      ok: true,
      records: [{ fields: ['a', 'b;c'], line: 1 }],
    });
  });

  it('refuses an unclosed quote and text after a closing quote, with the line', () => {
    expect(readCsvRecords('a\nb,"c\nd', ',')).toEqual({
      ok: false,
      line: 2,
      what: 'a quoted cell opens here and is never closed',
    });
    expect(readCsvRecords('"a"b', ',')).toMatchObject({ ok: false, line: 1 });
  });

  it('sniffs a semicolon file and guards formula-like cells so that they round-trip', () => {
    expect(sniffDelimiter('[Title];;\nQuestion;Answer;Key\n')).toBe(';');
    expect(sniffDelimiter('Question,Answer,Key\n"a;b",c\n')).toBe(',');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', 'a', ',', '"', '\n', ' ') }),
        (text) => {
          const parsed = readCsvRecords(`${csvLine([text, 'x'])}\n`, ',');
          expect(parsed.ok && unguardCell(parsed.records[0]!.fields[0]!)).toBe(text);
        },
      ),
    );
  });
});
