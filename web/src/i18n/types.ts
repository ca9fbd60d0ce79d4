/**
 * A message is a string with `{name}` placeholders, or a set of plural forms chosen with `Intl.PluralRules`
 * from the `count` parameter (CLDR categories: zero, one, two, few, many, other; `other` is required).
 */
export type PluralMessage = { other: string } & Partial<
  Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>
>;
export type Message = string | PluralMessage;

/** What a catalogue says about its own language, besides the messages. */
export interface LocaleInfo {
  /** BCP 47 tag written to `<html lang>`. */
  lang: string;
  /** Locale used by `Intl` for dates and numbers (e.g. `en-GB` for day-month-year dates in English). */
  intl: string;
  dir: 'ltr' | 'rtl';
  /** The language's own name, for a language menu. */
  nativeName: string;
}
