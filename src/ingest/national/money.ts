/**
 * Money from spreadsheet cells. XLSX stores numbers as binary floats, so a value typed as 646229.55 may come back as
 * 646229.55000000005, and sums SaferGlobe computed in Excel carry such noise in their last digits. Money is stored as
 * exact decimal text rounded to cents (half away from zero, on the float's shortest decimal text):
 * - `exact`: the shortest text already has at most two decimals (12345, 678.9);
 * - `float-noise`: more digits, but within 1e-6 of the cent value (1000.3000000000001 is noise; 1000.3008 is not);
 * - `sub-cent`: the value really has digits below the cent (1234.5678): it is rounded too, and the caller reports it
 *   with the value as stored, so nothing is lost.
 */
import { decimalToString, parseDecimal, roundDecimal } from '../decimal.js';

export interface CentsValue {
  /** Exact decimal text, at most two decimals. */
  value: string;
  /** The float's shortest decimal text. */
  stored: string;
  rounding: 'exact' | 'float-noise' | 'sub-cent';
}

/** Absolute difference below which a value is the cent value plus binary noise. */
const NOISE = 1e-6;

/**
 * Converts a finite, non-negative float to cents; undefined for values the sheet cannot hold as money (negative,
 * NaN, infinite or beyond 1e15, where floats no longer hold cents).
 */
export function floatToCents(number: number): CentsValue | undefined {
  if (!Number.isFinite(number) || number < 0 || number >= 1e15) return undefined;
  const stored = shortestDecimalText(number);
  const exact = parseDecimal(stored);
  if (exact.scale <= 2) return { value: decimalToString(exact), stored, rounding: 'exact' };
  const value = decimalToString(roundDecimal(exact, 2));
  const rounding = Math.abs(Number(value) - number) <= NOISE ? 'float-noise' : 'sub-cent';
  return { value, stored, rounding };
}

/** The shortest round-trip decimal text of a float, without an exponent (1e-7 -> "0.0000001"). */
export function shortestDecimalText(number: number): string {
  const text = String(number);
  if (!/e/i.test(text)) return text;
  // Exponent form only happens below 1e-6 here (the caller caps values at 1e15): write it out.
  const [mantissa = '0', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  if (exponent >= 0) return digits.padEnd(whole.length + exponent, '0');
  const zeros = -exponent - whole.length;
  return `0.${'0'.repeat(Math.max(0, zeros))}${digits}`.replace(/\.?0+$/, '') || '0';
}
