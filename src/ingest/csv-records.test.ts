import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCsvRecords } from './csv-records.js';

describe('splitCsvRecords', () => {
  it('splits CRLF, LF and lone CR lines and keeps physical line numbers', () => {
    const records = splitCsvRecords('a,b\r\nc,d\ne,f\rg');
    expect(records.map((r) => [r.fields, r.line, r.terminated])).toEqual([
      [['a', 'b'], 1, true],
      [['c', 'd'], 2, true],
      [['e', 'f'], 3, true],
      [['g'], 4, false],
    ]);
  });

  it('reads quoted cells with commas, doubled quotes and line breaks as one record', () => {
    const records = splitCsvRecords('x,"a, ""b""\r\nc",y\nnext\n');
    expect(records[0]).toMatchObject({
      fields: ['x', 'a, "b"\nc', 'y'],
      line: 1,
      endLine: 2,
      quoteProblem: false,
    });
    expect(records[1]).toMatchObject({ fields: ['next'], line: 3 });
  });

  it('reads a quote that never closes as plain text instead of swallowing the rest of the file', () => {
    const records = splitCsvRecords('"Sea Dragon" version,1\nnext,2\n"open,3\nlast,4\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['"Sea Dragon" version', '1'],
      ['next', '2'],
      ['"open', '3'],
      ['last', '4'],
    ]);
    expect(records.map((r) => r.quoteProblem)).toEqual([true, false, true, false]);
  });

  it('keeps quotes inside unquoted cells (5" guns)', () => {
    expect(splitCsvRecords('5" gun,2\n')[0]!.fields).toEqual(['5" gun', '2']);
  });

  it('gives a blank line as one empty cell and a trailing comma as an empty last cell', () => {
    expect(splitCsvRecords('\na,\n').map((r) => r.fields)).toEqual([[''], ['a', '']]);
  });

  it('loses no character of any text: re-joining unquoted records gives the text back', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ',', '\n', '\r', 'b', ' '), maxLength: 200 }),
        (text) => {
          const records = splitCsvRecords(text);
          const rebuilt = records.map((r) => r.fields.join(',')).join('\n');
          expect(rebuilt).toBe(text.replace(/\r\n?/g, '\n').replace(/\n$/, ''));
        },
      ),
      { numRuns: 500 },
    );
  });
});
