/**
 * Text-format parsers shared by both engines, so that a row reads the same from PGlite and from the PostgreSQL server
 * (their defaults differ: count(*) is a number in PGlite and a string in `pg`, date is a Date in both and shifts with
 * the time zone). Keyed by type OID.
 */

/** Type OIDs (pg_type.oid), stable across PostgreSQL versions. */
export const PG_TYPE = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  INT8_ARRAY: 1016,
  NUMERIC_ARRAY: 1231,
  DATE_ARRAY: 1182,
  TIMESTAMP_ARRAY: 1115,
  TIMESTAMPTZ_ARRAY: 1185,
} as const;

type TextParser = (text: string) => unknown;

/** int8 (bigint, count(*), sum of integers): a number when exact, else a BigInt, so that a large value fails loudly. */
export function parseInt8(text: string): number | bigint {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

/** numeric stays a string: TIV values and shares are exact decimals; convert where the arithmetic is done. */
export function parseNumeric(text: string): string {
  return text;
}

/** date stays 'YYYY-MM-DD': a calendar day has no time zone to shift it. */
export function parseDate(text: string): string {
  return text;
}

/** timestamp without time zone stays a string too: it names a wall-clock time, not an instant (use timestamptz). */
export function parseTimestamp(text: string): string {
  return text;
}

const TIMESTAMPTZ =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/;
const MAX_DATE_MS = 8.64e15;

/** timestamptz -> Date (millisecond precision; PostgreSQL keeps microseconds). Expects DateStyle ISO. */
export function parseTimestamptz(text: string): Date {
  if (text === 'infinity') return new Date(MAX_DATE_MS);
  if (text === '-infinity') return new Date(-MAX_DATE_MS);
  const match = TIMESTAMPTZ.exec(text);
  if (!match) return new Date(text);
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om, os, bc] = match;
  const year = bc ? 1 - Number(y) : Number(y);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(
    Number(h),
    Number(mi),
    Number(s),
    Math.floor(Number(`0.${fraction ?? '0'}`) * 1000 + 1e-9),
  );
  const offsetSeconds = Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0);
  return new Date(date.getTime() - (sign === '-' ? -1 : 1) * offsetSeconds * 1000);
}

/** Parses PostgreSQL's array text format ('{1,2,NULL}', '{"a b","c"}', nested '{{1},{2}}'). */
export function parseArray<T>(text: string, element: (text: string) => T): (T | null)[] {
  let position = 0;
  const parseLevel = (): unknown[] => {
    // Skip an optional dimension prefix such as '[0:1]='.
    if (text[position] === '[') position = text.indexOf('=', position) + 1;
    if (text[position] !== '{') throw new Error(`malformed array literal: ${text}`);
    position += 1;
    const items: unknown[] = [];
    if (text[position] === '}') {
      position += 1;
      return items;
    }
    for (;;) {
      const char = text[position];
      if (char === '{') {
        items.push(parseLevel());
      } else if (char === '"') {
        position += 1;
        let value = '';
        while (position < text.length && text[position] !== '"') {
          if (text[position] === '\\') position += 1;
          value += text[position] ?? '';
          position += 1;
        }
        position += 1;
        items.push(element(value));
      } else {
        const start = position;
        while (position < text.length && text[position] !== ',' && text[position] !== '}') position += 1;
        const raw = text.slice(start, position);
        items.push(raw === 'NULL' ? null : element(raw));
      }
      if (text[position] === ',') {
        position += 1;
        continue;
      }
      if (text[position] === '}') {
        position += 1;
        return items;
      }
      throw new Error(`malformed array literal: ${text}`);
    }
  };
  return parseLevel() as (T | null)[];
}

function arrayOf(element: TextParser): TextParser {
  return (text) => parseArray(text, element);
}

/** The parsers both engines use, by type OID. */
export const TYPE_PARSERS: Readonly<Record<number, TextParser>> = {
  [PG_TYPE.INT8]: parseInt8,
  [PG_TYPE.NUMERIC]: parseNumeric,
  [PG_TYPE.DATE]: parseDate,
  [PG_TYPE.TIMESTAMP]: parseTimestamp,
  [PG_TYPE.TIMESTAMPTZ]: parseTimestamptz,
  [PG_TYPE.INT8_ARRAY]: arrayOf(parseInt8),
  [PG_TYPE.NUMERIC_ARRAY]: arrayOf(parseNumeric),
  [PG_TYPE.DATE_ARRAY]: arrayOf(parseDate),
  [PG_TYPE.TIMESTAMP_ARRAY]: arrayOf(parseTimestamp),
  [PG_TYPE.TIMESTAMPTZ_ARRAY]: arrayOf(parseTimestamptz),
};

/**
 * Session settings both engines get, so that text output (and with it the parsers above) and now()::date agree.
 * DateStyle ISO is what parseTimestamptz reads; UTC keeps current_date from depending on the host.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO, YMD',
  TimeZone: 'UTC',
  IntervalStyle: 'postgres',
};
