import { z } from '@hono/zod-openapi';

/** A calendar date `YYYY-MM-DD` (no time zone: treaty events are dated by the depositary's calendar day). */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => isValidIsoDate(value), 'not a real calendar date')
  .brand<'IsoDate'>();
export type IsoDate = z.infer<typeof IsoDateSchema>;

export function isValidIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Parses a `YYYY-MM-DD` string known to be valid into an IsoDate; throws on anything else. */
export function isoDate(value: string): IsoDate {
  return IsoDateSchema.parse(value);
}

/** Adds whole days to a calendar date (UTC arithmetic, so no DST surprises). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10) as IsoDate;
}

/** The calendar date of an instant in a given IANA time zone. */
export function dateInTimeZone(instant: Date, timeZone: string): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
  return parts as IsoDate;
}

/** The calendar year of a date. */
export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** A date from its parts (month 1-12, year >= 100); out-of-range days roll over as in `Date.UTC`. */
export function isoDateFromParts(year: number, month: number, day: number): IsoDate {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) as IsoDate;
}
