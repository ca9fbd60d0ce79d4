/**
 * fast-check arbitraries for the ATT report tests only: valid reports with their rows (for round trips) and cell
 * values of every kind a spreadsheet can hold (for mutation tests).
 */
import fc from 'fast-check';
import {
  ATT_REPORT_CATEGORIES,
  ATT_REPORT_SUBCATEGORIES,
  type AttReport,
  type AttReportBasis,
  type AttReportForm,
  type AttReportFormName,
  type AttReportRow,
} from '../../model/att-report.js';
import type { StateId } from '../../model/state.js';

const PARTNERS = ['CHL', 'DEU', 'BRA', 'NOR'] as StateId[];

/** Text as officers write it: trimmed, no control characters, with quotes, separators, formulas and accents. */
export const cellTextArbitrary = fc
  .string({ unit: fc.constantFrom(...'abc XYZ019=+-@"\',;\n\tçé€中'.split('')), minLength: 1, maxLength: 30 })
  .map((text) => text.trim())
  .filter((text) => text !== '');

const decimalArbitrary = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 18n }),
    fc.option(fc.integer({ min: 1, max: 99_999 }), { nil: undefined }),
  )
  .map(([whole, fraction]) =>
    fraction === undefined ? String(whole) : `${whole}.${String(fraction).replace(/0+$/, '')}`,
  );

const formArbitrary = (nil: boolean): fc.Arbitrary<AttReportForm> =>
  fc.record({
    basis: nil
      ? fc.constant([] as AttReportBasis[])
      : fc.constantFrom<AttReportBasis[]>(['authorised'], ['actual'], ['authorised', 'actual']),
    visibility: fc.constantFrom('public' as const, 'private' as const),
    nilReport: fc.constant(nil),
    withheldCommerciallySensitive: fc.boolean(),
    withheldNationalSecurity: fc.boolean(),
  });

const optionalForm = fc.oneof(
  fc.constant(null),
  fc.boolean().chain((nil) => formArbitrary(nil)),
);

function rowArbitrary(form: AttReportFormName, bases: AttReportBasis[]): fc.Arbitrary<AttReportRow> {
  const category = fc.oneof(
    fc.constantFrom(...ATT_REPORT_CATEGORIES.map((c) => ({ categoryCode: c.code, subcategoryCode: null }))),
    fc.constantFrom(
      ...ATT_REPORT_SUBCATEGORIES.map((s) => ({ categoryCode: s.category, subcategoryCode: s.code })),
    ),
  );
  const missing = fc.constantFrom('not_reported' as const, 'withheld' as const, 'aggregated' as const);
  return fc
    .record({
      partner: fc.option(fc.constantFrom(...PARTNERS), { nil: null }),
      category,
      basis: fc.constantFrom(...bases),
      count: fc.oneof(
        fc.record({ value: fc.nat({ max: 1_000_000_000 }), reason: fc.constant(null) }),
        fc.record({ value: fc.constant(null), reason: missing }),
      ),
      amount: fc.oneof(
        fc.record({
          value: decimalArbitrary,
          reason: fc.constant(null),
          currency: fc.constantFrom('EUR', 'USD', 'NOK'),
        }),
        fc.record({ value: fc.constant(null), reason: missing, currency: fc.constant(null) }),
      ),
      description: fc.option(cellTextArbitrary, { nil: null }),
      comments: fc.option(cellTextArbitrary, { nil: null }),
      endUser: fc.option(cellTextArbitrary, { nil: null }),
      endUse: fc.option(cellTextArbitrary, { nil: null }),
      origin: fc.option(fc.constantFrom(...PARTNERS), { nil: null }),
      transit: fc.array(fc.constantFrom(...PARTNERS), { maxLength: 3 }),
    })
    .map((r) => ({
      form,
      partnerId: r.partner,
      partnerAggregated: r.partner === null,
      categoryCode: r.category.categoryCode,
      subcategoryCode: r.category.subcategoryCode,
      basis: r.basis,
      numberOfItems: r.count.value,
      numberOfItemsMissingReason: r.count.reason,
      value: r.amount.value,
      currency: r.amount.currency,
      valueMissingReason: r.amount.reason,
      description: r.description,
      comments: r.comments,
      endUser: r.endUser,
      endUse: r.endUse,
      stateOfOriginId: r.origin,
      intermediateLocationIds: r.transit,
    }));
}

/** A valid report of FRA (at least one form included) and rows for its included, non-nil forms. */
export const reportWithRowsArbitrary: fc.Arbitrary<{ report: AttReport; rows: AttReportRow[] }> = fc
  .record({
    coveredYear: fc.integer({ min: 2014, max: 2030 }),
    exports: optionalForm,
    imports: optionalForm,
    exportDefinition: fc.option(cellTextArbitrary, { nil: null }),
    importDefinition: fc.option(cellTextArbitrary, { nil: null }),
    defaultCurrency: fc.option(fc.constantFrom('EUR', 'CHF'), { nil: null }),
    submittedOn: fc.option(fc.constantFrom('2025-05-30', '2031-01-02'), { nil: undefined }),
  })
  .filter((r) => r.exports !== null || r.imports !== null)
  .chain((r) => {
    const report: AttReport = {
      reportingStateId: 'FRA' as StateId,
      coveredYear: r.coveredYear,
      nationalDefinitions: { export: r.exportDefinition, import: r.importDefinition },
      formsIncluded: (['exports', 'imports'] as const).filter((form) => r[form] !== null),
      exports: r.exports,
      imports: r.imports,
      defaultCurrency: r.defaultCurrency,
      ...(r.submittedOn === undefined
        ? {}
        : { submittedOn: r.submittedOn as AttReport['submittedOn'] & string }),
    };
    const rowsOf = (form: AttReportFormName) => {
      const status = report[form];
      return status && !status.nilReport
        ? fc.array(rowArbitrary(form, status.basis), { maxLength: 6 })
        : fc.constant([] as AttReportRow[]);
    };
    return fc
      .tuple(rowsOf('exports'), rowsOf('imports'))
      .map(([exports, imports]) => ({ report, rows: [...exports, ...imports] }));
  });

/** Anything a spreadsheet cell can hold, including hostile content. */
export const hostileCellArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  cellTextArbitrary,
  fc.constantFrom(
    'I',
    'VII(b)',
    'SA4',
    'VIII',
    'CHL',
    'Germany',
    'aggregated',
    'withheld',
    'Total',
    '-3',
    '1,234.5',
    '=CMD()',
    '@SUM(A1)',
    'x'.repeat(10_001),
  ),
  fc.integer({ min: -1000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2040, 0, 1)), noInvalidDate: true }),
  fc.record(
    {
      formula: fc.constantFrom('1+1', 'CMD("calc")', 'A1*2'),
      result: fc.option(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { nil: undefined }),
    },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      richText: fc.array(fc.record({ text: fc.string({ maxLength: 6 }) }, { noNullPrototype: true }), {
        maxLength: 3,
      }),
    },
    { noNullPrototype: true },
  ),
  fc.constantFrom({ error: '#N/A' }, { error: '#DIV/0!' }),
);
