import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatToCents, shortestDecimalText } from './money.js';

describe('floatToCents', () => {
  it('keeps values that already have at most two decimals exactly', () => {
    expect(floatToCents(12345)).toEqual({ value: '12345', stored: '12345', rounding: 'exact' });
    expect(floatToCents(678.9)).toEqual({ value: '678.9', stored: '678.9', rounding: 'exact' });
    expect(floatToCents(0)).toMatchObject({ value: '0', rounding: 'exact' });
  });

  it('removes binary float noise (646229.55000000005 reads back as 646229.55)', () => {
    expect(floatToCents(646229.55000000005)).toMatchObject({ value: '646229.55', rounding: 'exact' });
    expect(floatToCents(0.1 + 0.2)).toEqual({
      value: '0.3',
      stored: '0.30000000000000004',
      rounding: 'float-noise',
    });
    expect(floatToCents(1000.1 + 0.2)).toMatchObject({ value: '1000.3', rounding: 'float-noise' });
  });

  it('rounds real sub-cent digits half away from zero and says so', () => {
    expect(floatToCents(4321.1234)).toEqual({
      value: '4321.12',
      stored: '4321.1234',
      rounding: 'sub-cent',
    });
    expect(floatToCents(1.005)).toMatchObject({ value: '1.01', rounding: 'sub-cent' });
  });

  it('refuses negative, infinite and huge values', () => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY, 1e16])
      expect(floatToCents(value)).toBeUndefined();
  });

  it('never moves a value by more than half a cent', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (value) => {
        const cents = floatToCents(value)!;
        expect(Math.abs(Number(cents.value) - value)).toBeLessThanOrEqual(0.005 + value * 1e-15);
        expect(cents.value).toMatch(/^\d+(\.\d{1,2})?$/);
      }),
    );
  });
});

describe('shortestDecimalText', () => {
  it('writes small floats without an exponent', () => {
    expect(shortestDecimalText(1e-7)).toBe('0.0000001');
    expect(shortestDecimalText(1.5e-7)).toBe('0.00000015');
    expect(shortestDecimalText(12.5)).toBe('12.5');
  });
});
