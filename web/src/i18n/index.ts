import { en, type Catalogue, type MessageKey } from './en.js';
import { DEFAULT_LOCALE, LOCALES, isLocaleCode, type LocaleCode, type LocaleEntry } from './locales.js';
import type { LocaleInfo, Message } from './types.js';

export type { MessageKey } from './en.js';

type Params = Record<string, string | number>;

let catalogue: Catalogue = en;
let info: LocaleInfo = LOCALES[DEFAULT_LOCALE].info;
let currentCode: LocaleCode = DEFAULT_LOCALE;
let translated = true;
let pluralRules = new Intl.PluralRules(info.intl);
let numberFormat = new Intl.NumberFormat(info.intl);
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Switches the language (loads its catalogue) and updates `<html lang dir>`. */
export async function setLocale(code: string): Promise<void> {
  const chosen: LocaleCode = isLocaleCode(code) ? code : DEFAULT_LOCALE;
  const entry: LocaleEntry = LOCALES[chosen];
  catalogue = await entry.load();
  translated = entry.translated;
  currentCode = chosen;
  // While a language has no catalogue, its pages are in English: dates and numbers are formatted as English too, but
  // the page keeps the language's tag and direction (below).
  info = translated ? entry.info : { ...entry.info, intl: LOCALES[DEFAULT_LOCALE].info.intl };
  pluralRules = new Intl.PluralRules(info.intl);
  numberFormat = new Intl.NumberFormat(info.intl);
  dateFormats.clear();
  decimalFormats.clear();
  document.documentElement.lang = info.lang;
  document.documentElement.dir = info.dir;
}

export function currentLocale(): LocaleInfo {
  return info;
}

/** The code of the language chosen (`fr`), and whether its catalogue exists (else English is shown). */
export function currentLocaleCode(): { code: LocaleCode; translated: boolean } {
  return { code: currentCode, translated };
}

/** The BCP 47 tag of the text the catalogue gives: the language chosen, or English while it is untranslated. */
export function textLang(): string {
  return translated ? info.lang : 'en';
}

/** The message for `key` with `{name}` placeholders filled; numbers are formatted for the locale. */
export function t(key: MessageKey, params: Params = {}): string {
  return render(catalogue[key] ?? en[key], params);
}

/** Like `t` for keys built from data (e.g. `status.${value}`): returns `fallback` when the catalogue has no such key. */
export function tMaybe(key: string, fallback: string, params: Params = {}): string {
  const message =
    (catalogue as Record<string, Message | undefined>)[key] ??
    (en as Record<string, Message | undefined>)[key];
  return message === undefined ? fallback : render(message, params);
}

function render(message: Message, params: Params): string {
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else {
    const count = typeof params.count === 'number' ? params.count : Number(params.count ?? 0);
    text = message[pluralRules.select(count)] ?? message.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat.format(value) : value;
  });
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

const decimalFormats = new Map<number, Intl.NumberFormat>();

/** A decimal number with at most `digits` decimals (TIV in millions: `1 234,5` in French). */
export function formatDecimal(value: number, digits = 1): string {
  let format = decimalFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat(info.intl, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    decimalFormats.set(digits, format);
  }
  return format.format(value);
}

/** A percentage given as a number of percent (41.65 -> `41.7 %` or `41,7 %`). */
export function formatPercent(percent: number, digits = 1): string {
  return new Intl.NumberFormat(info.intl, {
    style: 'percent',
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(percent / 100);
}

/**
 * Formats a calendar date `YYYY-MM-DD` for the locale. Dates are calendar days without a time zone, so they are
 * formatted in UTC to avoid showing the day before in the Americas.
 */
export function formatDate(iso: string, style: 'long' | 'medium' = 'long'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  let format = dateFormats.get(style);
  if (!format) {
    format = new Intl.DateTimeFormat(info.intl, { dateStyle: style, timeZone: 'UTC' });
    dateFormats.set(style, format);
  }
  return format.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

/** Formats an instant (ISO 8601 timestamp) as a date and time in UTC. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(info.intl, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
}
