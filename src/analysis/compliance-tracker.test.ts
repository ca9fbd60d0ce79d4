import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../model/dates.js';
import type { RegistryFormStatus, ReportRegistryEntry } from '../model/report-registry.js';
import { DEFAULT_REPORTING_RULES, type ReportingRules } from '../model/reporting.js';
import { iso3, stateId, type State } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { loadCommittedReference } from '../reference/committed.js';
import {
  complianceCounts,
  complianceRates,
  redactPrivateDetails,
  stateComplianceHistory,
  stateYearStatuses,
  timeliness,
  trackCompliance,
  type ComplianceResult,
} from './compliance-tracker.js';
import { statesObligedToReport } from './reporting-calendar.js';

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
    actionType: 'ratification',
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

const PUBLIC: RegistryFormStatus = {
  visibility: 'public',
  nil: false,
  withheldCommerciallySensitive: false,
  withheldNationalSecurity: false,
};
const PRIVATE: RegistryFormStatus = { ...PUBLIC, visibility: 'private' };

let counter = 0;
function entry(
  patch: Partial<ReportRegistryEntry> & Pick<ReportRegistryEntry, 'stateId'>,
): ReportRegistryEntry {
  counter += 1;
  return {
    id: `e${counter}`,
    kind: 'annual',
    coveredYear: 2022,
    submittedOn: isoDate('2023-05-30'),
    formsRecorded: true,
    exports: PUBLIC,
    imports: PUBLIC,
    reportVisibility: null,
    basis: ['actual'],
    origin: 'recorded',
    importRunId: null,
    sourceUrl: null,
    notes: null,
    recordedAt: '2026-01-01T00:00:00.000Z',
    ...patch,
  };
}

const FRA = party('FRA', '2014-04-02', '2014-12-24');
const AND = party('AND', '2022-12-02', '2023-03-02');
const asOf = new Date('2026-02-03T12:00:00Z');

function annual(result: ComplianceResult, id: string, year: number) {
  return result.obligations.find((o) => o.stateId === id && o.kind === 'annual' && o.coveredYear === year)!;
}

describe('timeliness', () => {
  it('is on time up to the due date, within grace for 7 days after, late from the 8th day', () => {
    const due = isoDate('2023-05-31');
    expect(timeliness(isoDate('2023-05-31'), due, 7)).toEqual({ status: 'on_time', daysLate: null });
    expect(timeliness(isoDate('2023-06-07'), due, 7)).toEqual({ status: 'within_grace', daysLate: 7 });
    expect(timeliness(isoDate('2023-06-08'), due, 7)).toEqual({ status: 'late', daysLate: 8 });
    expect(timeliness(isoDate('2023-06-01'), due, 0)).toEqual({ status: 'late', daysLate: 1 });
  });
});

describe('trackCompliance', () => {
  it('marks FRA on time for 2022, within grace for 2021, late for 2020 with days late, and missing for 2019', () => {
    const result = trackCompliance({
      records: [FRA],
      entries: [
        entry({ stateId: stateId('FRA'), coveredYear: 2022, submittedOn: isoDate('2023-05-31') }),
        entry({ stateId: stateId('FRA'), coveredYear: 2021, submittedOn: isoDate('2022-06-03') }),
        entry({ stateId: stateId('FRA'), coveredYear: 2020, submittedOn: isoDate('2021-09-01') }),
      ],
      asOf,
      rules,
    });
    expect(
      [2022, 2021, 2020, 2019].map((y) => [
        annual(result, 'FRA', y).status,
        annual(result, 'FRA', y).daysLate,
      ]),
    ).toEqual([
      ['on_time', null],
      ['within_grace', 3],
      ['late', 93],
      ['missing', null],
    ]);
    expect(annual(result, 'FRA', 2020).reason).toBe(
      "FRA's annual report on 2020 (Art. 13(3)) was received on 2021-09-01, 93 days after the due date 2021-05-31 (ending at midnight, Europe/Zurich) and after the 7-day grace period ending 2021-06-07.",
    );
    expect(annual(result, 'FRA', 2019).reason).toBe(
      'No annual report on 2019 (Art. 13(3)) from FRA is recorded: it was due by 2020-05-31 and the 7-day grace period ended on 2020-06-07.',
    );
  });

  it('ends the due date at midnight in Geneva: nothing received is due at 21:59 UTC, deadline_passed at 22:00, missing after grace', () => {
    const at = (instant: string) =>
      annual(trackCompliance({ records: [FRA], entries: [], asOf: new Date(instant), rules }), 'FRA', 2022)
        .status;
    expect(at('2023-05-31T21:59:59Z')).toBe('due');
    expect(at('2023-05-31T22:00:00Z')).toBe('deadline_passed');
    expect(at('2023-06-07T21:59:59Z')).toBe('deadline_passed');
    expect(at('2023-06-07T22:00:00Z')).toBe('missing');
    expect(at('2022-12-31T12:00:00Z')).toBe('not_yet_due');
  });

  it('ignores a report dated after the as-of instant: on 2023-06-01 a report of 2023-06-05 is not yet known', () => {
    const entries = [entry({ stateId: stateId('FRA'), submittedOn: isoDate('2023-06-05') })];
    const before = trackCompliance({
      records: [FRA],
      entries,
      asOf: new Date('2023-06-01T12:00:00Z'),
      rules,
    });
    const after = trackCompliance({ records: [FRA], entries, asOf: new Date('2023-06-06T12:00:00Z'), rules });
    expect(annual(before, 'FRA', 2022).status).toBe('deadline_passed');
    expect(annual(after, 'FRA', 2022).status).toBe('within_grace');
  });

  it('tells public or private per form: exports public and imports private make a partly public report', () => {
    const result = trackCompliance({
      records: [FRA],
      entries: [entry({ stateId: stateId('FRA'), exports: PUBLIC, imports: { ...PRIVATE, nil: true } })],
      asOf,
      rules,
    });
    const submission = annual(result, 'FRA', 2022).submission!;
    expect(submission.visibility).toBe('partly_public');
    expect(submission.forms.map((f) => [f.form, f.included, f.visibility, f.details?.nil ?? null])).toEqual([
      ['exports', true, 'public', false],
      ['imports', true, 'private', true],
    ]);
  });

  it('shows a private form as "submitted, private" only once redacted for the public', () => {
    const result = trackCompliance({
      records: [FRA],
      entries: [
        entry({
          stateId: stateId('FRA'),
          exports: PRIVATE,
          imports: { ...PRIVATE, withheldNationalSecurity: true },
        }),
      ],
      asOf,
      rules,
    });
    const redacted = redactPrivateDetails(annual(result, 'FRA', 2022));
    expect(redacted.status).toBe('on_time');
    expect(redacted.submission!.visibility).toBe('private');
    expect(redacted.submission!.forms).toEqual([
      { form: 'exports', included: true, visibility: 'private', details: null, detailsRedacted: true },
      { form: 'imports', included: true, visibility: 'private', details: null, detailsRedacted: true },
    ]);
    expect(JSON.stringify(redacted)).not.toContain('withheld');
  });

  it('keeps "forms not recorded" apart from "not included" when a log says only that a report was submitted', () => {
    const result = trackCompliance({
      records: [FRA],
      entries: [entry({ stateId: stateId('FRA'), formsRecorded: false, exports: null, imports: null })],
      asOf,
      rules,
    });
    const submission = annual(result, 'FRA', 2022).submission!;
    expect(submission.visibility).toBe('not_recorded');
    expect(submission.forms.map((f) => f.included)).toEqual([null, null]);
  });

  it('counts an undated report recorded before the due date as on time, and one recorded after as received_undated', () => {
    const result = trackCompliance({
      records: [FRA],
      entries: [
        entry({
          stateId: stateId('FRA'),
          coveredYear: 2022,
          submittedOn: null,
          recordedAt: '2023-05-20T08:00:00Z',
        }),
        entry({
          stateId: stateId('FRA'),
          coveredYear: 2021,
          submittedOn: null,
          recordedAt: '2024-01-10T08:00:00Z',
        }),
      ],
      asOf,
      rules,
    });
    expect(annual(result, 'FRA', 2022).status).toBe('on_time');
    expect(annual(result, 'FRA', 2021).status).toBe('received_undated');
    expect(annual(result, 'FRA', 2021).reason).toContain('whether it was on time cannot be told');
  });

  it('takes timeliness from the first report and the forms from the latest update', () => {
    const first = entry({
      stateId: stateId('FRA'),
      submittedOn: isoDate('2023-05-25'),
      exports: PRIVATE,
      imports: PRIVATE,
    });
    const update = entry({
      stateId: stateId('FRA'),
      kind: 'update',
      submittedOn: isoDate('2023-11-02'),
      exports: PUBLIC,
      imports: PUBLIC,
    });
    const result = trackCompliance({ records: [FRA], entries: [update, first], asOf, rules });
    const o = annual(result, 'FRA', 2022);
    expect(o.status).toBe('on_time');
    expect(o.submission).toMatchObject({
      entryId: first.id,
      currentVersionEntryId: update.id,
      visibility: 'public',
    });
    expect(o.entryIds).toEqual([first.id, update.id].sort());
    // Two versions: the reason says which decides what.
    expect(o.reason).toContain(`the earliest, ${first.id}, decides timeliness and the latest, ${update.id}, the forms shown`);
  });

  it('counts a report recorded by two sources once, dated by the earliest', () => {
    const log = entry({
      stateId: stateId('FRA'),
      origin: 'submission-log',
      submittedOn: isoDate('2023-06-02'),
    });
    const file = entry({
      stateId: stateId('FRA'),
      origin: 'att-report-import',
      submittedOn: isoDate('2023-05-30'),
    });
    const result = trackCompliance({ records: [FRA], entries: [log, file], asOf, rules });
    expect(result.obligations.filter((o) => o.coveredYear === 2022)).toHaveLength(1);
    expect(annual(result, 'FRA', 2022)).toMatchObject({
      status: 'on_time',
      submission: { entryId: file.id },
    });
  });

  it('matches initial reports, and lists a report of a State that owes none as not_owed', () => {
    const result = trackCompliance({
      records: [FRA, AND],
      entries: [
        entry({
          stateId: stateId('FRA'),
          kind: 'initial',
          coveredYear: null,
          submittedOn: isoDate('2015-12-20'),
          exports: null,
          imports: null,
          reportVisibility: 'public',
        }),
        entry({ stateId: stateId('AND'), coveredYear: 2023, submittedOn: isoDate('2024-05-10') }),
        entry({ stateId: stateId('USA'), coveredYear: 2022, submittedOn: isoDate('2023-05-10') }),
      ],
      asOf,
      rules,
    });
    const initial = result.obligations.find((o) => o.stateId === 'FRA' && o.kind === 'initial')!;
    expect(initial).toMatchObject({
      status: 'on_time',
      dueDate: '2015-12-23',
      submission: { visibility: 'public', forms: [] },
    });
    expect(result.unmatched.map((u) => [u.stateId, u.coveredYear, u.status])).toEqual([
      ['AND', 2023, 'not_owed'],
      ['USA', 2022, 'not_owed'],
    ]);
    expect(result.unmatched[0]!.reason).toBe(
      "a report on 2023 from AND is recorded, but AND's first annual report covers 2024: no report on 2023 is owed.",
    );
    expect(result.unmatched[1]!.reason).toContain('USA had deposited no instrument by 2026-02-03');
  });
});

describe('stateYearStatuses and stateComplianceHistory', () => {
  const states = (['FRA', 'AND', 'USA'] as const).map(
    (id) =>
      ({ id: stateId(id), kind: 'state', m49Region: 'Europe', unRegionalGroup: null }) as unknown as State,
  );

  it('gives every State a status for a year, not_owed for non-parties and for years before the first report', () => {
    const result = trackCompliance({ records: [FRA, AND], entries: [], asOf, rules });
    expect(stateYearStatuses(result, states, 2023).map((s) => [s.stateId, s.status])).toEqual([
      ['AND', 'not_owed'],
      ['FRA', 'missing'],
      ['USA', 'not_owed'],
    ]);
    expect(stateYearStatuses(result, states, 2024).find((s) => s.stateId === 'AND')!.status).toBe('missing');
  });

  it("lists one State's obligations oldest first with a summary", () => {
    const result = trackCompliance({
      records: [AND],
      entries: [entry({ stateId: stateId('AND'), coveredYear: 2024, submittedOn: isoDate('2025-05-30') })],
      asOf,
      rules,
    });
    const history = stateComplianceHistory(result, 'AND');
    expect(history.obligations.map((o) => [o.kind, o.coveredYear, o.status])).toEqual([
      ['initial', null, 'missing'],
      ['annual', 2024, 'on_time'],
      ['annual', 2025, 'due'],
      ['annual', 2026, 'not_yet_due'],
    ]);
    expect(history.summary).toBe(
      'AND has submitted 1 of the 2 reports that fell due by 2026-02-03 (1 on time, 0 within grace, 0 late, 0 undated, 1 missing); 2 not yet overdue.',
    );
  });
});

describe('complianceRates', () => {
  it('states "x of y reported, z % on time, w % private" with every part given, overall and by region', () => {
    const DEU = party('DEU', '2014-04-02', '2014-12-24');
    const GHA = party('GHA', '2015-12-22', '2016-03-21');
    const result = trackCompliance({
      records: [FRA, DEU, GHA],
      entries: [
        entry({ stateId: stateId('FRA'), submittedOn: isoDate('2023-05-31') }),
        entry({
          stateId: stateId('DEU'),
          submittedOn: isoDate('2023-06-20'),
          exports: PRIVATE,
          imports: PRIVATE,
        }),
      ],
      asOf,
      rules,
    });
    const states = [
      {
        id: stateId('FRA'),
        kind: 'state',
        m49Region: 'Europe',
        unRegionalGroup: 'Western European and others',
      },
      {
        id: stateId('DEU'),
        kind: 'state',
        m49Region: 'Europe',
        unRegionalGroup: 'Western European and others',
      },
      { id: stateId('GHA'), kind: 'state', m49Region: 'Africa', unRegionalGroup: 'African' },
    ] as unknown as State[];
    const rates = complianceRates(result, { coveredYear: 2022, states });
    const all = rates[0]!;
    expect(all.counts).toMatchObject({
      obliged: 3,
      reported: 2,
      onTime: 1,
      late: 1,
      missing: 1,
      private: 1,
      public: 1,
    });
    expect(all.rates.reported).toEqual({ numerator: 2, denominator: 3, percent: 66.7 });
    expect(all.rates.private).toEqual({ numerator: 1, denominator: 2, percent: 50 });
    expect(all.summary).toBe(
      '2 of 3 States Parties reported for 2022 (66.7 %), as of 2026-02-03: 1 on time (33.3 % of those obliged; 33.3 % with the grace period), 0 within the grace period, 1 late, 0 undated; 1 missing, 0 not yet overdue. 1 of the 2 reports were wholly private (50.0 %), 0 partly private, 0 of unrecorded visibility.',
    );
    expect(rates.slice(1).map((r) => [r.groupBy, r.group, r.counts.obliged, r.counts.reported])).toEqual([
      ['m49Region', 'Africa', 1, 0],
      ['m49Region', 'Europe', 2, 2],
      ['unRegionalGroup', 'African', 1, 0],
      ['unRegionalGroup', 'Western European and others', 2, 2],
    ]);
    expect(result.definitions.onTimeOrWithinGrace).toContain('Stimson');
  });

  it('partitions the States obliged by status, and the reports received by visibility, whatever the registry holds', () => {
    const records = [
      FRA,
      AND,
      party('DEU', '2014-04-02', '2014-12-24'),
      party('GHA', '2015-12-22', '2016-03-21'),
    ];
    const ids = ['FRA', 'AND', 'DEU', 'GHA', 'USA'];
    const form = fc.option(
      fc.record({
        visibility: fc.constantFrom('public' as const, 'private' as const),
        nil: fc.boolean(),
        withheldCommerciallySensitive: fc.option(fc.boolean(), { nil: null }),
        withheldNationalSecurity: fc.option(fc.boolean(), { nil: null }),
      }),
      { nil: null },
    );
    const entryArb = fc
      .record({
        state: fc.constantFrom(...ids),
        kind: fc.constantFrom('annual' as const, 'update' as const, 'initial' as const),
        year: fc.integer({ min: 2014, max: 2026 }),
        day: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
        recordedDay: fc.integer({ min: 0, max: 4000 }),
        exports: form,
        imports: form,
        formsRecorded: fc.boolean(),
      })
      .map((e): ReportRegistryEntry => {
        const initial = e.kind === 'initial';
        const base = Date.UTC(e.year + 1, 0, 1);
        return {
          id: `p-${e.state}-${e.kind}-${e.year}-${e.day}-${e.recordedDay}`,
          stateId: stateId(e.state),
          kind: e.kind,
          coveredYear: initial ? null : e.year,
          submittedOn:
            e.day === null ? null : isoDate(new Date(base + e.day * 86_400_000).toISOString().slice(0, 10)),
          formsRecorded: initial ? true : e.formsRecorded,
          exports: initial || !e.formsRecorded ? null : e.exports,
          imports: initial || !e.formsRecorded ? null : e.imports,
          reportVisibility: initial ? 'private' : null,
          basis: [],
          origin: 'recorded',
          importRunId: null,
          sourceUrl: null,
          notes: null,
          recordedAt: new Date(Date.UTC(2015, 0, 1) + e.recordedDay * 86_400_000).toISOString(),
        };
      });
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 25 }),
        fc.integer({ min: 0, max: 4000 }),
        (entries, day) => {
          const result = trackCompliance({
            records,
            entries,
            asOf: new Date(Date.UTC(2015, 0, 1) + day * 86_400_000),
            rules,
          });
          for (const year of [2015, 2016, 2022, 2024]) {
            const [all] = complianceRates(result, { coveredYear: year });
            const c = all!.counts;
            expect(c.onTime + c.withinGrace + c.late + c.receivedUndated + c.missing + c.pending).toBe(
              c.obliged,
            );
            expect(c.reported).toBe(c.onTime + c.withinGrace + c.late + c.receivedUndated);
            expect(c.public + c.partlyPublic + c.private + c.visibilityNotRecorded).toBe(c.reported);
            expect(c.obliged).toBe(
              result.obligations.filter((o) => o.kind === 'annual' && o.coveredYear === year).length,
            );
          }
          expect(complianceCounts(result.obligations).obliged).toBe(result.obligations.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('calibration with the committed depositary records', () => {
  let records: TreatyRecord[];
  beforeAll(async () => {
    records = (await loadCommittedReference()).treatyRecords;
  });

  it('reproduces "69 of ~110 States Parties (63 %) reported for 2022" from a synthetic registry of 69 reports', () => {
    const obliged = statesObligedToReport(records, 2022, rules);
    expect(obliged).toHaveLength(110);
    // Synthetic: the first 69 obliged States report, 40 by 31 May, 9 within grace, 20 later; 20 are wholly private.
    const entries = obliged.slice(0, 69).map((id, i) =>
      entry({
        stateId: id,
        coveredYear: 2022,
        submittedOn: isoDate(i < 40 ? '2023-05-30' : i < 49 ? '2023-06-05' : '2023-10-15'),
        exports: i < 20 ? PRIVATE : PUBLIC,
        imports: i < 20 ? PRIVATE : PUBLIC,
      }),
    );
    const result = trackCompliance({ records, entries, asOf: new Date('2024-08-01T00:00:00Z'), rules });
    const [all] = complianceRates(result, { coveredYear: 2022 });
    expect(all!.counts).toMatchObject({
      obliged: 110,
      reported: 69,
      onTime: 40,
      withinGrace: 9,
      late: 20,
      missing: 41,
    });
    expect(all!.rates.reported).toEqual({ numerator: 69, denominator: 110, percent: 62.7 });
    expect(Math.round(all!.rates.reported.percent!)).toBe(63);
    // "More than a quarter of 2022 reports were private" (Stimson): 20 of 69.
    expect(all!.rates.private.percent).toBeGreaterThan(25);
    expect(all!.summary.startsWith('69 of 110 States Parties reported for 2022 (62.7 %)')).toBe(true);
  });
});
