/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Today's calendar date in UTC: the API's default for `asOf`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Dates that matter in the treaty's life, offered as shortcuts (ATT Art. 21 and 22; CSP1 opened in Cancún). */
export const TREATY_DATES = {
  adopted: '2013-04-02',
  opened: '2013-06-03',
  entryIntoForce: '2014-12-24',
  csp1: '2015-08-24',
} as const;

/** The earliest date the date control offers: adoption by the General Assembly. */
export const MIN_AS_OF = TREATY_DATES.adopted;
/** The latest date accepted: far enough ahead to see pending entries into force, near enough to catch typos. */
export const MAX_AS_OF = '2099-12-31';

/** `asOf` from the URL, or null when absent or not a usable date (the API then answers for today). */
export function parseAsOf(value: string | null): string | null {
  if (!value || !isIsoDate(value)) return null;
  return value >= MIN_AS_OF && value <= MAX_AS_OF ? value : null;
}
