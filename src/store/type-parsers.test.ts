import { describe, expect, it } from 'vitest';
import { parseArray, parseInt8, parseTimestamptz, TYPE_PARSERS, PG_TYPE } from './type-parsers.js';

describe('type parsers', () => {
  it('reads int8 as a number while exact and as a BigInt beyond 2^53', () => {
    expect(parseInt8('42')).toBe(42);
    expect(parseInt8('-9007199254740991')).toBe(-9_007_199_254_740_991);
    expect(parseInt8('9007199254740993')).toBe(9_007_199_254_740_993n);
  });

  it('keeps numeric and date as the text PostgreSQL sent', () => {
    expect(TYPE_PARSERS[PG_TYPE.NUMERIC]!('12.345')).toBe('12.345');
    expect(TYPE_PARSERS[PG_TYPE.DATE]!('2024-05-31')).toBe('2024-05-31');
  });

  it('reads timestamptz text with any offset as the same instant', () => {
    expect(parseTimestamptz('2024-05-31 22:30:00.123456+00').toISOString()).toBe('2024-05-31T22:30:00.123Z');
    expect(parseTimestamptz('2024-06-01 00:30:00+02').toISOString()).toBe('2024-05-31T22:30:00.000Z');
    expect(parseTimestamptz('2024-05-31 17:00:00-05:30').toISOString()).toBe('2024-05-31T22:30:00.000Z');
    expect(parseTimestamptz('1880-01-01 00:00:00+00:34:08').toISOString()).toBe('1879-12-31T23:25:52.000Z');
    expect(parseTimestamptz('0044-03-15 12:00:00+00 BC').getUTCFullYear()).toBe(-43);
    expect(parseTimestamptz('0099-01-01 00:00:00+00').getUTCFullYear()).toBe(99);
    expect(parseTimestamptz('infinity').getTime()).toBe(8.64e15);
  });

  it('reads array text, with quotes, escapes, NULL and nesting', () => {
    expect(parseArray('{}', String)).toEqual([]);
    expect(parseArray('{1,2,NULL}', parseInt8)).toEqual([1, 2, null]);
    expect(parseArray('{"a b","c\\"d",NULL,"NULL"}', String)).toEqual(['a b', 'c"d', null, 'NULL']);
    expect(parseArray('{{1,2},{3,4}}', parseInt8)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseArray('[0:1]={5,6}', parseInt8)).toEqual([5, 6]);
  });
});
