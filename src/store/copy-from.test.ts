import { describe, expect, it } from 'vitest';
import { AppError } from '../model/errors.js';
import { copyField, copyLine } from './copy-from.js';

describe('COPY text lines', () => {
  it('writes null as \\N, booleans as t and f, and numbers as their decimal text', () => {
    expect(copyLine([null, true, false, 12, -0.5, 'x'])).toBe('\\N\tt\tf\t12\t-0.5\tx\n');
  });

  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('Côte d’Ivoire "quoted", ;')).toBe('Côte d’Ivoire "quoted", ;');
    // The text "\N" is a value, not a null: its backslash is escaped.
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('')).toBe('');
  });

  it('keeps JSON text whole, its own escapes escaped once more', () => {
    const json = JSON.stringify({ note: 'line 1\nline 2', path: 'C:\\data', quote: '"' });
    expect(copyField(json)).toBe(json.replace(/\\/g, '\\\\'));
  });

  it('refuses a number that is not finite, rather than storing NaN or Infinity', () => {
    expect(() => copyField(Number.NaN)).toThrow(AppError);
    expect(() => copyField(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
  });
});
