import type { Clock } from '../model/clock.js';
import { dateInTimeZone, IsoDateSchema, type IsoDate } from '../model/dates.js';
import { AppError } from '../model/errors.js';

/** A usage mistake: exit code 2, with the way to the help. */
export function usage(message: string): AppError {
  return new AppError('validation', message, { hint: 'run att --help for usage' });
}

/** A date option `YYYY-MM-DD`; absent: today in UTC. */
export function parseDateOption(value: string | undefined, option: string, clock: Clock): IsoDate {
  if (value === undefined) return dateInTimeZone(clock.now(), 'UTC');
  const parsed = IsoDateSchema.safeParse(value);
  if (!parsed.success) throw usage(`${option} "${value}" is not a date YYYY-MM-DD`);
  return parsed.data;
}

/** A four-digit year option. */
export function parseYearOption(value: string, option: string): number {
  if (!/^\d{4}$/.test(value)) throw usage(`${option} "${value}" is not a year such as 2015`);
  return Number(value);
}
