import { describe, expect, it } from 'vitest';
import { csvFileName, toCsv } from './csv.js';

describe('toCsv', () => {
  it('quotes separators, quotes and line breaks, leaves missing values empty (never 0)', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', null, 3, 'x\ny']])).toBe('a,"b,c","say ""hi""",,3,"x\ny"\r\n');
  });
  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(toCsv([['=CMD()', '-12.5', '@x', '+1']])).toBe("'=CMD(),-12.5,'@x,'+1\r\n");
  });
});

describe('csvFileName', () => {
  it('makes a safe file name', () => {
    expect(csvFileName('Transfers: Côte d’Ivoire', '2026-11-24')).toBe(
      'att-observatory-transfers-cote-d-ivoire-2026-11-24.csv',
    );
  });
});
