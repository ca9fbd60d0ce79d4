import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import type { Clock } from '../model/clock.js';
import { dateInTimeZone, IsoDateSchema, type IsoDate } from '../model/dates.js';
import { AppError } from '../model/errors.js';

export const AsOfParameter = z
  .string()
  .optional()
  .openapi({ description: 'answer as of this date, YYYY-MM-DD (default: today)', example: '2015-08-24' });

/** Parses `asOf` (already checked by zod where declared) or falls back to today's date in UTC. */
export function asOfDate(c: Context, clock: Clock): IsoDate {
  const raw = c.req.query('asOf');
  if (raw === undefined || raw === '') return dateInTimeZone(clock.now(), 'UTC');
  return parseDateParameter(raw, 'asOf');
}

/** A date parameter, or a 400 that names it. */
export function parseDateParameter(value: string, parameter: string): IsoDate {
  const parsed = IsoDateSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('validation', `parameter "${parameter}": "${value}" is not a date YYYY-MM-DD`, {
      location: { parameter, value },
      hint: `give ${parameter} as a calendar date, e.g. ${parameter}=2015-08-24`,
    });
  }
  return parsed.data;
}

/**
 * The instant a date stands for when a status depends on deadlines: the start of that day in the deadline's time
 * zone, so that on the due date itself a report is still "due" and the day after it is "deadline passed".
 */
export function startOfDayIn(date: IsoDate, timeZone: string): Date {
  const utcMidnight = new Date(`${date}T00:00:00Z`);
  // The zone's offset at that moment; recompute once so that a DST change on that day is respected.
  const offset = zoneOffsetMs(utcMidnight, timeZone);
  const guess = new Date(utcMidnight.getTime() - offset);
  return new Date(utcMidnight.getTime() - zoneOffsetMs(guess, timeZone));
}

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}
