/**
 * Dated exchange rates for comparing values reported in different currencies (mirror.ts). One annual average rate
 * per currency and year, with its source and a confidence; a missing rate makes a comparison not comparable, never a
 * guess. The table is data/reference/exchange-rates.csv; the reference loader reads the file and calls
 * parseExchangeRates. See docs/methods/mirror.md.
 */
import { parse } from 'csv-parse/sync';
import { z } from '@hono/zod-openapi';
import { decimalToString, isDecimalText, parseDecimal, type Decimal } from '../model/decimal.js';
import { AppError } from '../model/errors.js';

/** The currency every value is converted to before comparing. */
export const COMPARISON_CURRENCY = 'USD';

/** `high`: copied from the publisher's series; `medium`: derived or computed by us; `low`: unverified. */
export const RATE_CONFIDENCES = ['high', 'medium', 'low'] as const;
export const RateConfidenceSchema = z.enum(RATE_CONFIDENCES);
export type RateConfidence = z.infer<typeof RateConfidenceSchema>;

const PositiveDecimal = z
  .string()
  .refine(
    (text) => isDecimalText(text) && !text.startsWith('-') && parseDecimal(text).units > 0n,
    'expected a positive decimal such as 0.9242',
  );

export const ExchangeRateSchema = z
  .object({
    /** The calendar year the rate is the average of. */
    year: z.number().int().min(1990).max(2100),
    /** ISO 4217. */
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** Units of the currency per US dollar, or US dollars per unit: exactly one is given (the source's own quote). */
    unitsPerUsd: PositiveDecimal.nullable(),
    usdPerUnit: PositiveDecimal.nullable(),
    source: z.string().min(1),
    series: z.string().min(1),
    confidence: RateConfidenceSchema,
    notes: z.string().nullable(),
  })
  .refine((rate) => (rate.unitsPerUsd === null) !== (rate.usdPerUnit === null), {
    message: 'give exactly one of units_per_usd and usd_per_unit',
    path: ['unitsPerUsd'],
  })
  .openapi('ExchangeRate');
export type ExchangeRate = z.infer<typeof ExchangeRateSchema>;

export const EXCHANGE_RATE_COLUMNS = [
  'year',
  'currency',
  'units_per_usd',
  'usd_per_unit',
  'source',
  'series',
  'confidence',
  'notes',
] as const;

const HINT = 'correct data/reference/exchange-rates.csv (columns: ' + EXCHANGE_RATE_COLUMNS.join(', ') + ')';

/**
 * Parses the exchange-rate table (CSV text with a header). Reference data must be right: any problem throws
 * AppError('data') naming the file, row and column. A currency and year given twice is an error.
 */
export function parseExchangeRates(
  csvText: string,
  fileName = 'data/reference/exchange-rates.csv',
): ExchangeRate[] {
  let records: string[][];
  try {
    records = parse(csvText.replace(/\r\n?/g, '\n'), { bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new AppError('data', `${fileName} is not valid CSV: ${(error as Error).message}`, {
      location: { file: fileName },
      hint: HINT,
      cause: error,
    });
  }
  const [header, ...body] = records;
  if (!header)
    throw new AppError('data', `${fileName} is empty`, { location: { file: fileName }, hint: HINT });
  for (const column of EXCHANGE_RATE_COLUMNS) {
    if (!header.includes(column))
      throw new AppError('data', `${fileName} has no column "${column}"`, {
        location: { file: fileName, column },
        hint: HINT,
      });
  }
  const seen = new Map<string, number>();
  return body.map((fields, index) => {
    const row = index + 2;
    const cell = (column: (typeof EXCHANGE_RATE_COLUMNS)[number]) =>
      (fields[header.indexOf(column)] ?? '').trim();
    const yearText = cell('year');
    const candidate = {
      year: /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN,
      currency: cell('currency'),
      unitsPerUsd: cell('units_per_usd') || null,
      usdPerUnit: cell('usd_per_unit') || null,
      source: cell('source'),
      series: cell('series'),
      confidence: cell('confidence'),
      notes: cell('notes') || null,
    };
    const parsed = ExchangeRateSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = String(issue.path[0] ?? '');
      const column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      throw new AppError('data', `row ${row}, column "${column}": ${issue.message}`, {
        location: {
          file: fileName,
          row,
          column,
          value: String((candidate as Record<string, unknown>)[key] ?? ''),
        },
        hint: HINT,
      });
    }
    const key = `${parsed.data.currency}|${parsed.data.year}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new AppError(
        'data',
        `row ${row}: ${parsed.data.currency} ${parsed.data.year} is already given on row ${earlier}`,
        {
          location: { file: fileName, row },
          hint: 'keep one rate per currency and year',
        },
      );
    seen.set(key, row);
    return parsed.data;
  });
}

export interface ExchangeRateTable {
  readonly rates: readonly ExchangeRate[];
  get(currency: string, year: number): ExchangeRate | undefined;
}

/** Indexes the rates by currency and year. */
export function exchangeRateTable(rates: readonly ExchangeRate[]): ExchangeRateTable {
  const index = new Map(rates.map((rate) => [`${rate.currency}|${rate.year}`, rate]));
  return { rates, get: (currency, year) => index.get(`${currency}|${year}`) };
}

const CONFIDENCE_RANK: Record<RateConfidence, number> = { low: 0, medium: 1, high: 2 };

export type Conversion =
  | { kind: 'converted'; amount: string; rate: ExchangeRate | null }
  | { kind: 'not_convertible'; reason: string };

/** Digits kept after the point in converted values (money is compared, not stored). */
export const CONVERTED_SCALE = 6;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** amount / divisor, rounded half up to `scale` digits (both non-negative). */
function divide(amount: Decimal, divisor: Decimal, scale: number): Decimal {
  const numerator = amount.units * pow10(divisor.scale + scale + 1);
  const denominator = divisor.units * pow10(amount.scale);
  const tenfold = numerator / denominator;
  return { units: (tenfold + 5n) / 10n, scale };
}

/** amount * factor, rounded half up to `scale` digits (both non-negative). */
function multiply(amount: Decimal, factor: Decimal, scale: number): Decimal {
  const units = amount.units * factor.units;
  const from = amount.scale + factor.scale;
  if (from <= scale) return { units: units * pow10(scale - from), scale };
  const tenfold = units / pow10(from - scale - 1);
  return { units: (tenfold + 5n) / 10n, scale };
}

/**
 * Converts a non-negative amount reported in `currency` for `year` into US dollars with that year's annual average
 * rate. USD needs no rate. A missing rate, or one below `minConfidence` (default `medium`), is not convertible: the
 * reason says which row to add or verify.
 */
export function convertToUsd(
  amount: string,
  currency: string,
  year: number,
  table: ExchangeRateTable,
  minConfidence: RateConfidence = 'medium',
): Conversion {
  const value = parseDecimal(amount);
  if (value.units < 0n) return { kind: 'not_convertible', reason: `the amount ${amount} is negative` };
  if (currency === COMPARISON_CURRENCY)
    return { kind: 'converted', amount: decimalToString(value), rate: null };
  const rate = table.get(currency, year);
  if (!rate)
    return {
      kind: 'not_convertible',
      reason: `no ${currency} rate for ${year} in the exchange-rate table: add a sourced annual average to data/reference/exchange-rates.csv`,
    };
  if (CONFIDENCE_RANK[rate.confidence] < CONFIDENCE_RANK[minConfidence])
    return {
      kind: 'not_convertible',
      reason: `the ${currency} rate for ${year} has ${rate.confidence} confidence (${rate.source}); comparisons need ${minConfidence} or better: verify it in data/reference/exchange-rates.csv`,
    };
  const converted =
    rate.unitsPerUsd !== null
      ? divide(value, parseDecimal(rate.unitsPerUsd), CONVERTED_SCALE)
      : multiply(value, parseDecimal(rate.usdPerUnit!), CONVERTED_SCALE);
  return { kind: 'converted', amount: decimalToString(converted), rate };
}

/** Units of the currency per US dollar, as text (for display), whichever way the source quotes it. */
export function unitsPerUsdText(rate: ExchangeRate): string {
  if (rate.unitsPerUsd !== null) return rate.unitsPerUsd;
  return decimalToString(divide({ units: 1n, scale: 0 }, parseDecimal(rate.usdPerUnit!), 6));
}
