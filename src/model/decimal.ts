import { AppError } from './errors.js';

/**
 * Exact decimals over BigInt scaled integers: TIV and money are never floats (0.1 + 0.2 must be 0.3).
 * A value is `units / 10^scale`; scale is the number of digits after the point.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

export const ZERO: Decimal = { units: 0n, scale: 0 };

/** True when `text` is a plain decimal such as `12`, `0.25` or `-3.5` (no exponent, no separators). */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}

/** Parses a plain decimal string; throws AppError('validation') on anything else (callers check first). */
export function parseDecimal(text: string): Decimal {
  const match = DECIMAL_TEXT.exec(text);
  if (!match)
    throw new AppError('validation', `"${text.slice(0, 40)}" is not a decimal number`, {
      hint: 'use digits with an optional point, e.g. 12.5',
    });
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(whole + fraction) * (sign ? -1n : 1n);
  return { units, scale: fraction.length };
}

function toDecimal(value: Decimal | string): Decimal {
  return typeof value === 'string' ? parseDecimal(value) : value;
}

/** The same value written with `scale` digits after the point (scale must not drop digits). */
export function rescale(value: Decimal, scale: number): Decimal {
  if (scale < value.scale)
    throw new AppError(
      'internal',
      `cannot rescale a decimal from ${value.scale} to ${scale} digits without rounding`,
    );
  return { units: value.units * 10n ** BigInt(scale - value.scale), scale };
}

export function addDecimals(a: Decimal | string, b: Decimal | string): Decimal {
  const x = toDecimal(a);
  const y = toDecimal(b);
  // The usual case when summing one column (TIV totals): same scale, nothing to rescale.
  if (x.scale === y.scale) return { units: x.units + y.units, scale: x.scale };
  const scale = Math.max(x.scale, y.scale);
  return { units: rescale(x, scale).units + rescale(y, scale).units, scale };
}

export function subtractDecimals(a: Decimal | string, b: Decimal | string): Decimal {
  const y = toDecimal(b);
  return addDecimals(a, { units: -y.units, scale: y.scale });
}

/** Exact sum (an empty list sums to 0). */
export function sumDecimals(values: Iterable<Decimal | string>): Decimal {
  let total = ZERO;
  for (const value of values) total = addDecimals(total, value);
  return total;
}

export function compareDecimals(a: Decimal | string, b: Decimal | string): -1 | 0 | 1 {
  const difference = subtractDecimals(a, b).units;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function absDecimal(value: Decimal | string): Decimal {
  const x = toDecimal(value);
  return x.units < 0n ? { units: -x.units, scale: x.scale } : x;
}

/** Rounds to `places` digits after the point, halves away from zero (how published tables round). */
export function roundDecimal(value: Decimal | string, places: number): Decimal {
  const x = toDecimal(value);
  if (x.scale <= places) return x;
  const divisor = 10n ** BigInt(x.scale - places);
  const negative = x.units < 0n;
  const magnitude = negative ? -x.units : x.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return { units: negative ? -quotient : quotient, scale: places };
}

/** Canonical text: no exponent, no trailing zeros after the point, "-0" written "0". */
export function decimalToString(value: Decimal | string): string {
  const x = toDecimal(value);
  const negative = x.units < 0n;
  const digits = (negative ? -x.units : x.units).toString().padStart(x.scale + 1, '0');
  const whole = digits.slice(0, digits.length - x.scale);
  const fraction = digits.slice(digits.length - x.scale).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && text !== '0' ? `-${text}` : text;
}

/** A float for charts and tolerances only (never for stored values). */
export function decimalToNumber(value: Decimal | string): number {
  return Number(decimalToString(value));
}

/**
 * Splits `value` into `parts` shares at `scale` digits that add up EXACTLY to `value`: each share is the quotient,
 * and the remainder units go one each to the first shares (10 / 3 at scale 2 -> 3.34, 3.33, 3.33).
 */
export function splitEvenly(value: Decimal | string, parts: number, scale: number): Decimal[] {
  if (!Number.isInteger(parts) || parts < 1)
    throw new AppError('internal', `cannot split into ${parts} parts`);
  const x = toDecimal(value);
  const target = rescale(x, Math.max(scale, x.scale));
  const negative = target.units < 0n;
  const magnitude = negative ? -target.units : target.units;
  const count = BigInt(parts);
  const share = magnitude / count;
  const remainder = Number(magnitude % count);
  return Array.from({ length: parts }, (_, index) => {
    const units = share + (index < remainder ? 1n : 0n);
    return { units: negative ? -units : units, scale: target.scale };
  });
}
