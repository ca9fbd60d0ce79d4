/**
 * Reading one template cell: numbers of items, values, currencies, yes/no, years, dates, words. Each reader returns
 * the value or a note (what is wrong and how to fix it); none throws. Numbers are exact: a value is kept as decimal
 * text, never a float.
 */
import { ATT_REPORT_BASES, type AttReportBasis, type AttReportVisibility } from '../../model/att-report.js';
import { isValidIsoDate } from '../../model/dates.js';
import { findControlCharacter } from '../framework.js';
import { MISSING_WORDS, NO_WORDS, YES_WORDS, wordKey } from './format.js';
import { quote, type CellNote } from './issues.js';
import type { CellValue } from './raw.js';

export type Parsed<T> = { ok: true; value: T; warning?: CellNote } | { ok: false; note: CellNote };

export type MissingWord = 'not_reported' | 'withheld' | 'aggregated';

/** How a text number is written: `1,234.5` (point) or `1.234,5` (comma, CSV files saved with ';'). */
export interface NumberStyle {
  decimalComma: boolean;
}

const ok = <T>(value: T, warning?: CellNote): Parsed<T> =>
  warning ? { ok: true, value, warning } : { ok: true, value };
const fail = (code: string, what: string, fix: string): Parsed<never> => ({
  ok: false,
  note: { code, severity: 'error', what, fix },
});

export function isBlank(value: CellValue): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/** Free text: trimmed; null when empty. Control characters are refused; text that looks like a formula is kept as text. */
export function readText(value: CellValue): Parsed<string | null> {
  if (isBlank(value)) return ok(null);
  const text = value instanceof Date ? isoDay(value) : String(value).trim();
  const control = findControlCharacter(text);
  if (control !== undefined) {
    return fail(
      'control_character',
      `the text holds the control character U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
      'retype the text; it was probably pasted from another program',
    );
  }
  if (/^[=+@]/.test(text) || /^-[^\d\s]/.test(text)) {
    return ok(text, {
      code: 'formula_kept_as_text',
      severity: 'warning',
      what: `${quote(text)} looks like a spreadsheet formula; it was kept as text and never calculated`,
      fix: 'nothing to do if this is the text you meant',
    });
  }
  return ok(text);
}

/** A number of items: a whole number >= 0, or empty / a reason word (null + reason). */
export function readCount(
  value: CellValue,
  style: NumberStyle,
): Parsed<{ value: number | null; reason: MissingWord | null }> {
  const fix =
    'enter a whole number of items, or leave it empty (or write "withheld") and say why in Comments';
  if (isBlank(value)) return ok({ value: null, reason: 'not_reported' });
  if (typeof value === 'number') {
    if (value < 0) return fail('negative_number', `${quote(String(value))} is negative`, fix);
    if (!Number.isInteger(value))
      return fail('not_a_whole_number', `${quote(String(value))} is not a whole number`, fix);
    if (!Number.isSafeInteger(value))
      return fail('number_too_large', `${quote(String(value))} is too large to be a number of items`, fix);
    return ok({ value, reason: null });
  }
  if (typeof value !== 'string')
    return fail('not_a_number', `${quote(cellString(value))} is not a number`, fix);
  const text = value.trim();
  const word = MISSING_WORDS.get(wordKey(text));
  if (word) return ok({ value: null, reason: word });
  const digits = plainNumber(text, style);
  if (digits === undefined) return fail('not_a_number', `${quote(text)} is not a number`, fix);
  if (digits.startsWith('-')) return fail('negative_number', `${quote(text)} is negative`, fix);
  const [whole, fraction = ''] = digits.split('.');
  if (/[1-9]/.test(fraction)) return fail('not_a_whole_number', `${quote(text)} is not a whole number`, fix);
  const count = Number(whole);
  if (!Number.isSafeInteger(count))
    return fail('number_too_large', `${quote(text)} is too large to be a number of items`, fix);
  return ok({ value: count, reason: null });
}

/** A value: an exact non-negative decimal as canonical text ("1234.5"), or empty / a reason word. */
export function readAmount(
  value: CellValue,
  style: NumberStyle,
): Parsed<{ value: string | null; reason: MissingWord | null }> {
  const fix =
    'enter the value as a number with a point for decimals (e.g. 1250000.50) and the currency in the Currency column, or leave it empty (or write "withheld") and say why in Comments';
  if (isBlank(value)) return ok({ value: null, reason: 'not_reported' });
  if (typeof value === 'number') {
    if (value < 0) return fail('negative_number', `${quote(String(value))} is negative`, fix);
    return ok({ value: numberToDecimalText(value), reason: null });
  }
  if (typeof value !== 'string')
    return fail('not_a_number', `${quote(cellString(value))} is not a number`, fix);
  const text = value.trim();
  const word = MISSING_WORDS.get(wordKey(text));
  if (word) return ok({ value: null, reason: word });
  const digits = plainNumber(text, style);
  if (digits === undefined) return fail('not_a_number', `${quote(text)} is not a number`, fix);
  if (digits.startsWith('-')) return fail('negative_number', `${quote(text)} is negative`, fix);
  return ok({ value: canonicalDecimal(digits), reason: null });
}

/**
 * Digits with an optional '.' fraction (and '-'), after removing spaces, apostrophes and thousands separators of the
 * given style; undefined for anything else (currency signs, exponents, two decimal marks ...).
 */
export function plainNumber(text: string, style: NumberStyle): string | undefined {
  const sign = /^[-\u2212]/.test(text) ? '-' : '';
  const body = text.replace(/^[-\u2212]\s*/, '').replace(/[\s\u00a0\u2009\u202f'\u2019]/g, '');
  if (/^\d+(\.\d+)?$/.test(body) && !(style.decimalComma && /^\d{1,3}(\.\d{3})+$/.test(body)))
    return sign + body;
  if (!style.decimalComma && /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(body)) return sign + body.replace(/,/g, '');
  if (style.decimalComma) {
    if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(body)) return sign + body.replace(/\./g, '').replace(',', '.');
    if (/^\d+,\d+$/.test(body)) return sign + body.replace(',', '.');
  }
  return undefined;
}

/** "007.50" -> "7.5"; "0.000" -> "0". */
export function canonicalDecimal(text: string): string {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^-/, '').split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  const body = f ? `${w}.${f}` : w;
  return negative && body !== '0' ? `-${body}` : body;
}

/**
 * A spreadsheet number as exact decimal text. Spreadsheets keep 15 significant digits, so the binary float is first
 * rounded to 15 digits (0.1 + 0.2 gives "0.3", as the sheet shows it), then written without an exponent.
 */
export function numberToDecimalText(value: number): string {
  const rounded = Number(value.toPrecision(15));
  const text = String(rounded);
  if (!/e/i.test(text)) return canonicalDecimal(text);
  const [mantissa = '0', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [intPart = '0', fracPart = ''] = mantissa.replace('-', '').split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length);
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return canonicalDecimal(`${negative ? '-' : ''}${result}`);
}

const CURRENCIES: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [],
);

/** An ISO 4217 code (case-insensitive); an unlisted three-letter code is kept with a warning. */
export function readCurrency(value: CellValue): Parsed<string | null> {
  if (isBlank(value)) return ok(null);
  const text = cellString(value).trim();
  const code = text.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    return fail(
      'not_a_currency',
      `${quote(text)} is not an ISO 4217 currency code`,
      'write the three-letter code, e.g. EUR, USD, GBP, CHF (not a symbol such as € or $)',
    );
  }
  if (CURRENCIES.size > 0 && !CURRENCIES.has(code)) {
    return ok(code, {
      code: 'unknown_currency',
      severity: 'warning',
      what: `${quote(text)} is not a currency code this system knows`,
      fix: 'check the ISO 4217 code',
    });
  }
  return ok(code);
}

const TICKS = new Set(['✓', '✔', '☑', '☒', '✗', '✘']);

/** yes / no (and true/false, x, 1/0, a tick); null when empty. */
export function readYesNo(value: CellValue): Parsed<boolean | null> {
  if (isBlank(value)) return ok(null);
  if (typeof value === 'boolean') return ok(value);
  if (value === 1 || value === 0) return ok(value === 1);
  const text = cellString(value).trim();
  if (TICKS.has(text)) return ok(true);
  const key = wordKey(text);
  if (YES_WORDS.includes(key)) return ok(true);
  if (NO_WORDS.includes(key)) return ok(false);
  return fail('not_yes_or_no', `${quote(text)} is not yes or no`, 'write yes or no');
}

/** A four-digit year; the range is checked by the caller. */
export function readYear(value: CellValue): Parsed<number | null> {
  if (isBlank(value)) return ok(null);
  if (typeof value === 'number' && Number.isInteger(value)) return ok(value);
  const text = cellString(value).trim();
  if (/^\d{4}$/.test(text)) return ok(Number(text));
  return fail(
    'not_a_year',
    `${quote(text)} is not a year`,
    'write the calendar year covered as four digits, e.g. 2024',
  );
}

/** A calendar date YYYY-MM-DD (or a spreadsheet date cell). */
export function readDate(value: CellValue): Parsed<string | null> {
  if (isBlank(value)) return ok(null);
  if (value instanceof Date) return ok(isoDay(value));
  const text = cellString(value).trim();
  if (isValidIsoDate(text)) return ok(text);
  return fail(
    'not_a_date',
    `${quote(text)} is not a date written YYYY-MM-DD`,
    'write the date as YYYY-MM-DD, e.g. 2025-05-31 (other orders are ambiguous)',
  );
}

const BASIS_WORDS: ReadonlyMap<string, AttReportBasis[]> = new Map([
  ['authorised', ['authorised']],
  ['authorized', ['authorised']],
  ['authorisations', ['authorised']],
  ['authorizations', ['authorised']],
  ['licences', ['authorised']],
  ['licenses', ['authorised']],
  ['actual', ['actual']],
  ['both', ['authorised', 'actual']],
]);

/** authorised / actual / "authorised and actual" (or "both", "authorised; actual"); [] when empty. */
export function readBasisList(value: CellValue): Parsed<AttReportBasis[]> {
  if (isBlank(value)) return ok([]);
  const text = cellString(value).trim();
  const found = new Set<AttReportBasis>();
  for (const part of text.split(/\s*(?:;|,|\/|\+|&|\band\b)\s*/i)) {
    if (part.trim() === '') continue;
    const bases = BASIS_WORDS.get(wordKey(part));
    if (!bases)
      return fail(
        'unknown_basis',
        `${quote(text)} is not authorised, actual, or authorised and actual`,
        'write authorised, actual, or authorised and actual',
      );
    for (const basis of bases) found.add(basis);
  }
  return ok(ATT_REPORT_BASES.filter((basis) => found.has(basis)));
}

/** public / private; null when empty. */
export function readVisibility(value: CellValue): Parsed<AttReportVisibility | null> {
  if (isBlank(value)) return ok(null);
  const text = cellString(value).trim();
  const key = wordKey(text);
  if (key === 'public') return ok('public');
  if (key === 'private' || key === 'confidential' || key === 'restricted') return ok('private');
  return fail('unknown_visibility', `${quote(text)} is not public or private`, 'write public or private');
}

function cellString(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return isoDay(value);
  return String(value);
}

/** The calendar day of a spreadsheet date (exceljs gives dates at UTC midnight). */
function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
