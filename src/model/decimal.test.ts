import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import {
  addDecimals,
  compareDecimals,
  decimalToString,
  isDecimalText,
  parseDecimal,
  roundDecimal,
  splitEvenly,
  subtractDecimals,
  sumDecimals,
} from './decimal.js';

describe('exact decimals', () => {
  it('adds 0.1 and 0.2 to exactly 0.3', () => {
    expect(decimalToString(addDecimals('0.1', '0.2'))).toBe('0.3');
  });

  it('sums TIVs of different scales without floating-point drift', () => {
    expect(decimalToString(sumDecimals(['12.5', '0.36', '1000', '0.04']))).toBe('1012.9');
    expect(decimalToString(sumDecimals([]))).toBe('0');
  });

  it('writes canonical text: no trailing zeros, no exponent, no negative zero', () => {
    expect(decimalToString(parseDecimal('1.500'))).toBe('1.5');
    expect(decimalToString(parseDecimal('0.000001'))).toBe('0.000001');
    expect(decimalToString(subtractDecimals('2.5', '2.50'))).toBe('0');
    expect(decimalToString(subtractDecimals('1', '3.25'))).toBe('-2.25');
  });

  it('refuses text that is not a plain decimal', () => {
    for (const text of ['1e3', '1,200', '', '.5', ' 1', 'NaN']) expect(isDecimalText(text)).toBe(false);
    expect(() => parseDecimal('1e3')).toThrow(AppError);
  });

  it('rounds halves away from zero as published tables do', () => {
    expect(decimalToString(roundDecimal('0.5', 0))).toBe('1');
    expect(decimalToString(roundDecimal('2.449', 1))).toBe('2.4');
    expect(decimalToString(roundDecimal('-1.5', 0))).toBe('-2');
    expect(decimalToString(roundDecimal('7', 2))).toBe('7');
  });

  it('splits 10 in three shares that add up to exactly 10', () => {
    const shares = splitEvenly('10', 3, 2);
    expect(shares.map((share) => decimalToString(share))).toEqual(['3.34', '3.33', '3.33']);
    expect(decimalToString(sumDecimals(shares))).toBe('10');
  });

  it('keeps the sum of an even split exact for any value and any number of years', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (units, scale, parts) => {
          const value = { units, scale };
          const shares = splitEvenly(value, parts, 6);
          expect(shares).toHaveLength(parts);
          expect(compareDecimals(sumDecimals(shares), value)).toBe(0);
        },
      ),
    );
  });
});
