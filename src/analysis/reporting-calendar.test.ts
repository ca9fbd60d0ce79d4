import { beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../model/dates.js';
import { DEFAULT_REPORTING_RULES, type ReportingRules } from '../model/reporting.js';
import { stateId, iso3 } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { loadCommittedReference } from '../reference/committed.js';
import {
  deadlinePassed,
  firstAnnualCoveredYear,
  initialReportDueDate,
  reportingObligations,
  statesObligedToReport,
} from './reporting-calendar.js';

let records: TreatyRecord[];
beforeAll(async () => {
  records = (await loadCommittedReference()).treatyRecords;
});

const rules: ReportingRules = DEFAULT_REPORTING_RULES;

function party(id: string, deposit: string, eif: string): TreatyRecord {
  return {
    stateId: stateId(id),
    iso3: iso3(id),
    name: id,
    statusAtSource: 'state_party',
    asAt: isoDate('2026-02-03'),
    signatureDate: null,
    depositDate: isoDate(deposit),
    actionType: 'accession',
    entryIntoForceDate: isoDate(eif),
    eifBasis: eif === '2014-12-24' ? 'art22(1)' : 'art22(2)',
    provisionalApplicationDate: null,
    declaredNotToBecomePartyDate: null,
    notes: null,
    eifConfirmedBy: null,
    verification: null,
    sources: 'fixture',
  };
}

describe('due dates (ATT Art. 13)', () => {
  it('puts the initial report due one year after EIF less one day: 2015-12-23 for the first 61', () => {
    expect(initialReportDueDate(isoDate('2014-12-24'))).toBe('2015-12-23');
    expect(initialReportDueDate(isoDate('2023-03-02'))).toBe('2024-03-01');
    expect(initialReportDueDate(isoDate('2016-02-29'))).toBe('2017-02-28');
  });

  it('makes the first annual report cover the first full calendar year after EIF by default', () => {
    expect(firstAnnualCoveredYear(isoDate('2014-12-24'), 'first-full-year-after-eif')).toBe(2015);
    expect(firstAnnualCoveredYear(isoDate('2023-03-02'), 'first-full-year-after-eif')).toBe(2024);
    expect(firstAnnualCoveredYear(isoDate('2021-01-01'), 'first-full-year-after-eif')).toBe(2021);
    expect(firstAnnualCoveredYear(isoDate('2023-03-02'), 'year-of-eif')).toBe(2023);
  });

  it('lets a deadline pass only at the end of the due date in Geneva time', () => {
    // 31 May 2016 ends at 22:00 UTC (CEST = UTC+2).
    expect(deadlinePassed(isoDate('2016-05-31'), new Date('2016-05-31T21:59:59Z'), 'Europe/Zurich')).toBe(
      false,
    );
    expect(deadlinePassed(isoDate('2016-05-31'), new Date('2016-05-31T22:00:00Z'), 'Europe/Zurich')).toBe(
      true,
    );
    expect(deadlinePassed(isoDate('2016-05-31'), new Date('2016-05-31T22:00:00Z'), 'America/New_York')).toBe(
      false,
    );
  });
});

describe('reportingObligations', () => {
  const first = party('FRA', '2014-04-02', '2014-12-24');
  const andorra = party('AND', '2022-12-02', '2023-03-02');

  it('gives a first-group State its initial report due 2015-12-23 and its first annual report on 2015, due 2016-05-31', () => {
    const obligations = reportingObligations([first], new Date('2016-03-01T12:00:00Z'), rules);
    expect(obligations).toEqual([
      expect.objectContaining({
        kind: 'initial',
        article: '13(1)',
        coveredYear: null,
        windowOpens: '2014-12-24',
        dueDate: '2015-12-23',
        graceEndsOn: '2015-12-30',
        status: 'deadline_passed',
      }),
      expect.objectContaining({
        kind: 'annual',
        article: '13(3)',
        coveredYear: 2015,
        windowOpens: '2016-01-01',
        dueDate: '2016-05-31',
        graceEndsOn: '2016-06-07',
        status: 'due',
      }),
      expect.objectContaining({
        kind: 'annual',
        coveredYear: 2016,
        windowOpens: '2017-01-01',
        dueDate: '2017-05-31',
        status: 'not_yet_due',
      }),
    ]);
    expect(obligations.every((o) => o.deadlineTimeZone === 'Europe/Zurich')).toBe(true);
  });

  it('gives a State with EIF in March 2023 a first annual report on 2024, due 2025-05-31', () => {
    const annual = reportingObligations([andorra], new Date('2025-06-15T00:00:00Z'), rules).filter(
      (o) => o.kind === 'annual',
    );
    expect(annual.map((o) => [o.coveredYear, o.dueDate, o.status])).toEqual([
      [2024, '2025-05-31', 'deadline_passed'],
      [2025, '2026-05-31', 'not_yet_due'],
    ]);
  });

  it('covers the EIF year itself under the year-of-eif rule', () => {
    const annual = reportingObligations([andorra], new Date('2025-06-15T00:00:00Z'), {
      ...rules,
      firstAnnualReportRule: 'year-of-eif',
    });
    expect(annual.filter((o) => o.kind === 'annual').map((o) => o.coveredYear)).toEqual([2023, 2024, 2025]);
  });

  it('knows nothing of a State before its deposit, and shows the initial report not yet due while EIF is pending', () => {
    expect(reportingObligations([andorra], new Date('2022-12-01T12:00:00Z'), rules)).toEqual([]);
    const pending = reportingObligations([andorra], new Date('2023-01-15T12:00:00Z'), rules);
    expect(pending.map((o) => [o.kind, o.coveredYear, o.status])).toEqual([
      ['initial', null, 'not_yet_due'],
      ['annual', 2024, 'not_yet_due'],
    ]);
  });

  it('switches from due to deadline_passed at midnight in the deadline time zone, and applies the grace setting', () => {
    const at = (instant: string, r: ReportingRules = rules) =>
      reportingObligations([first], new Date(instant), r).find((o) => o.coveredYear === 2015)!;
    expect(at('2016-05-31T21:59:59Z').status).toBe('due');
    expect(at('2016-05-31T22:00:00Z').status).toBe('deadline_passed');
    expect(at('2016-05-31T22:00:00Z', { ...rules, timeZone: 'UTC' }).status).toBe('due');
    expect(at('2016-05-31T22:00:00Z', { ...rules, graceDays: 0 }).graceEndsOn).toBe('2016-05-31');
  });

  it('filters one State', () => {
    const rows = reportingObligations([first, andorra], new Date('2026-02-03T12:00:00Z'), rules, {
      stateId: 'AND',
    });
    expect(new Set(rows.map((o) => o.stateId))).toEqual(new Set(['AND']));
  });
});

describe('statesObligedToReport with the committed records', () => {
  it('reproduces the published counts of States owing an annual report: 61 for 2015, 75 for 2016, 110 for 2022', () => {
    expect(statesObligedToReport(records, 2015, rules)).toHaveLength(61);
    expect(statesObligedToReport(records, 2016, rules)).toHaveLength(75);
    expect(statesObligedToReport(records, 2022, rules)).toHaveLength(110);
  });

  it('would give 75 for 2015 under the year-of-eif rule, which the published 61 rules out', () => {
    expect(
      statesObligedToReport(records, 2015, { ...rules, firstAnnualReportRule: 'year-of-eif' }),
    ).toHaveLength(75);
  });

  it('never shrinks from one year to the next (no State has withdrawn under Art. 24)', () => {
    for (let year = 2015; year < 2026; year += 1) {
      expect(statesObligedToReport(records, year + 1, rules).length).toBeGreaterThanOrEqual(
        statesObligedToReport(records, year, rules).length,
      );
    }
  });
});
