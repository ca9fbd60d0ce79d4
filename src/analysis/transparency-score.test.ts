import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATT_REPORT_SUBCATEGORIES,
  type AttReportCategoryCode,
  type AttReportRow,
  type AttReportSubcategoryCode,
} from '../model/att-report.js';
import { isoDate } from '../model/dates.js';
import { AppError } from '../model/errors.js';
import type { RegistryFormStatus, ReportRegistryEntry } from '../model/report-registry.js';
import { stateId } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';
import {
  TRANSPARENCY_CRITERIA,
  TRANSPARENCY_RUBRIC_VERSION,
  transparencyScore,
} from './transparency-score.js';

const PUBLIC: RegistryFormStatus = {
  visibility: 'public',
  nil: false,
  withheldCommerciallySensitive: false,
  withheldNationalSecurity: false,
};

function entry(patch: Partial<ReportRegistryEntry> = {}): ReportRegistryEntry {
  return {
    id: 'att-report-import:4:FRA:annual:2022',
    stateId: stateId('FRA'),
    kind: 'annual',
    coveredYear: 2022,
    submittedOn: isoDate('2023-05-30'),
    formsRecorded: true,
    exports: PUBLIC,
    imports: PUBLIC,
    reportVisibility: null,
    basis: ['actual'],
    origin: 'att-report-import',
    importRunId: 4,
    sourceUrl: null,
    notes: null,
    recordedAt: '2026-01-01T00:00:00.000Z',
    ...patch,
  };
}

function row(patch: Partial<AttReportRow> = {}): AttReportRow {
  return {
    form: 'exports',
    partnerId: stateId('IND'),
    partnerAggregated: false,
    categoryCode: 'II',
    subcategoryCode: null,
    basis: 'actual',
    numberOfItems: 12,
    numberOfItemsMissingReason: null,
    value: '1500000',
    currency: 'EUR',
    valueMissingReason: null,
    description: 'VBCI infantry fighting vehicles',
    comments: null,
    endUser: 'Army',
    endUse: 'territorial defence',
    stateOfOriginId: null,
    intermediateLocationIds: [],
    ...patch,
  };
}

const complete = [
  row(),
  row({ form: 'imports', partnerId: stateId('DEU'), categoryCode: 'VIII', subcategoryCode: 'SA2' }),
];
const byId = (score: ReturnType<typeof transparencyScore>, id: string) =>
  score.criteria.find((c) => c.id === id)!;

describe('transparencyScore', () => {
  it('gives a complete public report submitted on time 100 of 100, with the rubric version', () => {
    const score = transparencyScore({ entry: entry(), rows: complete });
    expect(score).toMatchObject({
      rubricVersion: TRANSPARENCY_RUBRIC_VERSION,
      score: 100,
      maxScore: 100,
      entryId: entry().id,
    });
    expect(score.criteria.map((c) => c.id)).toEqual(TRANSPARENCY_CRITERIA.map((c) => c.id));
    expect(score.criteria.every((c) => c.findings.length === 0)).toBe(true);
  });

  it('takes 3 points for a report within the grace period and 9 for one 100 days late, saying when it came', () => {
    expect(
      byId(
        transparencyScore({ entry: entry({ submittedOn: isoDate('2023-06-04') }), rows: complete }),
        'timeliness',
      ),
    ).toMatchObject({
      points: 12,
      reason:
        'submitted on 2023-06-04, 4 day(s) after the due date 2023-05-31, within the 7-day grace period',
    });
    expect(
      byId(
        transparencyScore({ entry: entry({ submittedOn: isoDate('2023-09-08') }), rows: complete }),
        'timeliness',
      ).points,
    ).toBe(3);
    const undated = byId(
      transparencyScore({ entry: entry({ submittedOn: null }), rows: complete }),
      'timeliness',
    );
    expect(undated.points).toBe(0);
    expect(undated.findings[0]!.message).toContain('not recorded');
  });

  it('names the rows that aggregate partners or lack numbers, values and descriptions, form by form', () => {
    const rows = [
      row(),
      row({ partnerId: null, partnerAggregated: true }),
      row({ numberOfItems: null, numberOfItemsMissingReason: 'not_reported', description: '  ' }),
      row({
        form: 'imports',
        partnerId: stateId('DEU'),
        value: null,
        currency: null,
        valueMissingReason: 'not_reported',
      }),
    ];
    const score = transparencyScore({ entry: entry(), rows });
    expect(byId(score, 'partner')).toMatchObject({
      points: 8,
      findings: [
        {
          form: 'exports',
          message: 'exports: 1 of 3 rows give an aggregated partner instead of naming the State',
          rows: [{ form: 'exports', index: 1, sourceRow: null }],
        },
      ],
    });
    expect(byId(score, 'numberOfItems').findings[0]!.rows.map((r) => r.index)).toEqual([2]);
    expect(byId(score, 'value')).toMatchObject({
      points: 5,
      findings: [{ form: 'imports', rows: [{ index: 3 }] }],
    });
    expect(byId(score, 'description').findings[0]!.rows.map((r) => r.index)).toEqual([2]);
  });

  it('credits a public form nothing for contents it keeps private: the private imports form loses its share everywhere', () => {
    const score = transparencyScore({
      entry: entry({ imports: { ...PUBLIC, visibility: 'private' } }),
      rows: complete,
    });
    expect(byId(score, 'public')).toMatchObject({
      points: 5,
      findings: [{ form: 'imports', message: 'the imports form is private' }],
    });
    expect(byId(score, 'value')).toMatchObject({ points: 5 });
    expect(byId(score, 'value').findings[0]!.message).toBe(
      'the imports form is private: its contents cannot be assessed',
    );
    expect(byId(score, 'bothForms').points).toBe(10);
  });

  it('leaves the SALW criterion at full points, marked not applicable, when no row is in category VIII', () => {
    const salw = byId(transparencyScore({ entry: entry(), rows: [row()] }), 'salwSubcategories');
    expect(salw).toMatchObject({
      points: 5,
      applicable: false,
      reason: 'no small arms and light weapons (category VIII) rows to assess',
    });
    const lumped = byId(
      transparencyScore({
        entry: entry(),
        rows: [
          row({ categoryCode: 'VIII', subcategoryCode: 'SA' }),
          row({ categoryCode: 'VIII', subcategoryCode: 'LW6' }),
        ],
      }),
      'salwSubcategories',
    );
    expect(lumped).toMatchObject({ points: 2, applicable: true });
  });

  it('rewards nil reports and finds an empty form not marked nil, a nil form with rows, and a missing form', () => {
    const nil = transparencyScore({ entry: entry({ imports: { ...PUBLIC, nil: true } }), rows: [row()] });
    expect(byId(nil, 'nilReport').points).toBe(5);
    const empty = transparencyScore({ entry: entry(), rows: [row()] });
    expect(byId(empty, 'nilReport').findings[0]!.message).toBe(
      'the imports form is included but lists no rows and is not marked as a nil report',
    );
    const contradictory = transparencyScore({
      entry: entry({ exports: { ...PUBLIC, nil: true } }),
      rows: [row()],
    });
    expect(byId(contradictory, 'nilReport').findings[0]!.rows).toHaveLength(1);
    const exportsOnly = transparencyScore({ entry: entry({ imports: null }), rows: [row()] });
    expect(byId(exportsOnly, 'bothForms')).toMatchObject({ points: 5, findings: [{ form: 'imports' }] });
  });

  it('takes the share of a form that declares information withheld, and of rows that withhold a number', () => {
    const flagged = transparencyScore({
      entry: entry({ exports: { ...PUBLIC, withheldNationalSecurity: true } }),
      rows: complete,
    });
    expect(byId(flagged, 'nothingWithheld')).toMatchObject({
      points: 5,
      findings: [
        {
          form: 'exports',
          message: 'the exports form says national security information was withheld (ATT Art. 13(3))',
        },
      ],
    });
    const rows = transparencyScore({
      entry: entry(),
      rows: [...complete, row({ numberOfItems: null, numberOfItemsMissingReason: 'withheld' })],
    });
    expect(byId(rows, 'nothingWithheld').findings[0]!.rows.map((r) => r.index)).toEqual([2]);
  });

  it('gives half credit for a row with an end user but no end use', () => {
    const score = transparencyScore({
      entry: entry({ imports: { ...PUBLIC, nil: true } }),
      rows: [row({ endUse: null })],
    });
    expect(byId(score, 'endUserEndUse')).toMatchObject({ points: 2 });
  });

  it('scores Transfers as well, taking the form from the sheet and naming the source row', () => {
    const transfer = {
      source: 'att-report',
      sourceRecordId: null,
      exporterId: stateId('FRA'),
      importerId: null,
      partnerAggregated: true,
      year: 2022,
      yearMissingReason: null,
      deliveryYears: [],
      orderYear: null,
      categoryScheme: 'unroca',
      categoryCode: 'II',
      subcategoryCode: null,
      description: 'APC',
      designation: null,
      comments: null,
      basis: 'actual',
      numberOfItems: 3,
      numberOfItemsMissingReason: null,
      numberOrdered: null,
      value: null,
      currency: null,
      valueMissingReason: 'aggregated',
      tivDelivered: null,
      tivPerUnit: null,
      tivTotalOrder: null,
      endUser: null,
      endUse: null,
      status: null,
      localProduction: null,
      uncertain: [],
      provenance: {
        source: 'att-report',
        fileName: 'fra-2022.xlsx',
        fileSha256: 'a'.repeat(64),
        row: 7,
        sheet: 'Exports',
        importRunId: '4',
      },
    } as Transfer;
    const score = transparencyScore({
      entry: entry({ imports: { ...PUBLIC, nil: true } }),
      rows: [transfer],
    });
    expect(byId(score, 'partner').findings[0]!.rows).toEqual([{ form: 'exports', index: 0, sourceRow: 7 }]);
  });

  it('cannot credit anything but timeliness when the registry does not record the forms', () => {
    const score = transparencyScore({
      entry: entry({ formsRecorded: false, exports: null, imports: null }),
      rows: [],
    });
    expect(score.score).toBe(15);
    expect(
      score.criteria
        .filter((c) => c.id !== 'timeliness')
        .every((c) => c.findings[0]!.message.includes('does not record')),
    ).toBe(true);
  });

  it('refuses an initial report, which the rubric does not cover', () => {
    expect(() =>
      transparencyScore({
        entry: entry({ kind: 'initial', coveredYear: null, exports: null, imports: null }),
        rows: [],
      }),
    ).toThrow(AppError);
  });

  it('never exceeds its maximum, and every point lost carries a finding', () => {
    const subcategory = fc.constantFrom<[AttReportCategoryCode, AttReportSubcategoryCode | null]>(
      ['I', null],
      ['IV', 'IV(a)'],
      ['VIII', null],
      ...ATT_REPORT_SUBCATEGORIES.map(
        (s) => [s.category, s.code] as [AttReportCategoryCode, AttReportSubcategoryCode],
      ),
    );
    const text = fc.option(fc.constantFrom('x', ' ', 'rifles'), { nil: null });
    const rowArb = fc
      .record({
        form: fc.constantFrom('exports' as const, 'imports' as const),
        aggregated: fc.boolean(),
        cat: subcategory,
        count: fc.option(fc.nat(100), { nil: null }),
        countReason: fc.constantFrom('not_reported' as const, 'withheld' as const),
        value: fc.option(fc.constantFrom('0', '12.5', '1000'), { nil: null }),
        description: text,
        endUser: text,
        endUse: text,
      })
      .map((r) =>
        row({
          form: r.form,
          partnerId: r.aggregated ? null : stateId('IND'),
          partnerAggregated: r.aggregated,
          categoryCode: r.cat[0],
          subcategoryCode: r.cat[1],
          numberOfItems: r.count,
          numberOfItemsMissingReason: r.count === null ? r.countReason : null,
          value: r.value,
          currency: r.value === null ? null : 'EUR',
          valueMissingReason: r.value === null ? 'not_reported' : null,
          description: r.description,
          endUser: r.endUser,
          endUse: r.endUse,
        }),
      );
    const form = fc.option(
      fc.record({
        visibility: fc.constantFrom('public' as const, 'private' as const),
        nil: fc.boolean(),
        withheldCommerciallySensitive: fc.option(fc.boolean(), { nil: null }),
        withheldNationalSecurity: fc.option(fc.boolean(), { nil: null }),
      }),
      { nil: null },
    );
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 12 }),
        form,
        form,
        fc.option(fc.integer({ min: -200, max: 800 }), { nil: null }),
        fc.boolean(),
        (rows, exports, imports, day, formsRecorded) => {
          const submittedOn =
            day === null
              ? null
              : isoDate(new Date(Date.UTC(2023, 4, 31) + day * 86_400_000).toISOString().slice(0, 10));
          const score = transparencyScore({
            entry: entry({
              submittedOn,
              formsRecorded,
              exports: formsRecorded ? exports : null,
              imports: formsRecorded ? imports : null,
            }),
            rows,
          });
          expect(score.score).toBeLessThanOrEqual(score.maxScore);
          expect(score.maxScore).toBe(100);
          expect(score.score).toBe(score.criteria.reduce((sum, c) => sum + c.points, 0));
          for (const c of score.criteria) {
            expect(c.points).toBeGreaterThanOrEqual(0);
            expect(c.points).toBeLessThanOrEqual(c.maxPoints);
            expect(Number.isInteger(c.points)).toBe(true);
            expect(c.findings.length > 0).toBe(c.points < c.maxPoints);
            for (const finding of c.findings) expect(finding.message.length).toBeGreaterThan(0);
            expect(c.reason.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
