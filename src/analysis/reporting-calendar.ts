import { addDays, dateInTimeZone, type IsoDate, isoDateFromParts, yearOf } from '../model/dates.js';
import {
  OBLIGATION_STATUSES,
  type FirstAnnualReportRule,
  type ObligationStatus,
  type ReportingObligation,
  type ReportingRules,
  type ReportKind,
} from '../model/reporting.js';
import type { StateId } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { entryIntoForceFor } from './treaty-status.js';

export { OBLIGATION_STATUSES };
export type { ObligationStatus, ReportingObligation };

/** The first anniversary of a date; a 29 February's is 1 March in a common year. */
function anniversary(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return isoDateFromParts(y + years, m, d);
}

/**
 * ATT Art. 13(1): the initial report is due "within the first year after" EIF for the State: the last day of that
 * year, i.e. the day before the first anniversary (EIF 24 Dec 2014 -> 23 Dec 2015).
 */
export function initialReportDueDate(entryIntoForce: IsoDate): IsoDate {
  return addDays(anniversary(entryIntoForce, 1), -1);
}

/** ATT Art. 13(3): the annual report for a calendar year is due by 31 May of the next year. */
export function annualReportDueDate(coveredYear: number): IsoDate {
  return isoDateFromParts(coveredYear + 1, 5, 31);
}

/**
 * The first calendar year a State's annual report covers. No treaty text fixes it (see docs/data-model.md):
 * `first-full-year-after-eif` (default) is the first calendar year wholly after EIF, so EIF on 1 January counts that
 * year itself; `year-of-eif` is the EIF year.
 */
export function firstAnnualCoveredYear(entryIntoForce: IsoDate, rule: FirstAnnualReportRule): number {
  const year = yearOf(entryIntoForce);
  if (rule === 'year-of-eif') return year;
  return entryIntoForce.endsWith('-01-01') ? year : year + 1;
}

/** Has the due date ended (midnight after it, in the deadline zone) at this instant? */
export function deadlinePassed(dueDate: IsoDate, asOf: Date, timeZone: string): boolean {
  return dateInTimeZone(asOf, timeZone) > dueDate;
}

/**
 * Every reporting obligation (ATT Art. 13) as of an instant, for States whose instrument was deposited by then:
 * the initial report and one annual report per covered year up to the current one (not yet due).
 * Statuses are calendar-only: `not_yet_due`, `due`, `deadline_passed`.
 */
export function reportingObligations(
  records: readonly TreatyRecord[],
  asOf: Date,
  rules: ReportingRules,
  filter: { stateId?: string } = {},
): ReportingObligation[] {
  const today = dateInTimeZone(asOf, rules.timeZone);
  const out: ReportingObligation[] = [];
  const sorted = [...records].sort((a, b) => a.stateId.localeCompare(b.stateId));
  for (const record of sorted) {
    if (filter.stateId !== undefined && record.stateId !== filter.stateId) continue;
    if (record.depositDate === null || record.depositDate > today) continue;
    const eif = entryIntoForceFor(record);
    if (eif === null) continue;
    const make = (
      kind: ReportKind,
      coveredYear: number | null,
      windowOpens: IsoDate,
      dueDate: IsoDate,
    ): ReportingObligation => ({
      stateId: record.stateId,
      iso3: record.iso3,
      kind,
      article: kind === 'initial' ? '13(1)' : '13(3)',
      coveredYear,
      windowOpens,
      dueDate,
      graceEndsOn: addDays(dueDate, rules.graceDays),
      deadlineTimeZone: rules.timeZone,
      status: today < windowOpens ? 'not_yet_due' : today > dueDate ? 'deadline_passed' : 'due',
    });
    out.push(make('initial', null, eif, initialReportDueDate(eif)));
    const first = firstAnnualCoveredYear(eif, rules.firstAnnualReportRule);
    const last = Math.max(first, yearOf(today));
    for (let year = first; year <= last; year += 1) {
      out.push(make('annual', year, isoDateFromParts(year + 1, 1, 1), annualReportDueDate(year)));
    }
  }
  return out;
}

/** The States that owe an annual report (ATT Art. 13(3)) covering `coveredYear`, by the first-report rule. */
export function statesObligedToReport(
  records: readonly TreatyRecord[],
  coveredYear: number,
  rules: ReportingRules,
): StateId[] {
  return records
    .filter((record) => {
      const eif = entryIntoForceFor(record);
      return eif !== null && firstAnnualCoveredYear(eif, rules.firstAnnualReportRule) <= coveredYear;
    })
    .map((record) => record.stateId)
    .sort((a, b) => a.localeCompare(b));
}
