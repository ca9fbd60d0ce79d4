/**
 * An ATT annual report (Art. 13(3)) as the 2015 provisional template shapes it: a title page and two tables, Exports
 * and Imports, one row per partner x category. The file formats that carry it are described in
 * docs/att-report-format.md; the parser is src/ingest/att-report/parse-att-report.ts.
 */
import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from './dates.js';
import { StateIdSchema } from './state.js';
import { DecimalSchema, MissingReasonSchema, type MissingReason } from './transfer.js';

/** The two forms of the annual report. */
export const ATT_REPORT_FORMS = ['exports', 'imports'] as const;
export const AttReportFormNameSchema = z.enum(ATT_REPORT_FORMS);
export type AttReportFormName = z.infer<typeof AttReportFormNameSchema>;

/** ATT Art. 13(3): a State reports authorised or actual transfers; some report both, row by row. */
export const ATT_REPORT_BASES = ['authorised', 'actual'] as const;
export const AttReportBasisSchema = z.enum(ATT_REPORT_BASES);
export type AttReportBasis = z.infer<typeof AttReportBasisSchema>;

/** The 2015 template lets a State make each form public or private, so a report can be half public. */
export const ATT_REPORT_VISIBILITIES = ['public', 'private'] as const;
export const AttReportVisibilitySchema = z.enum(ATT_REPORT_VISIBILITIES);
export type AttReportVisibility = z.infer<typeof AttReportVisibilitySchema>;

/** The first calendar year a report can cover: the treaty entered into force on 24 Dec 2014 (Art. 22(1)). */
export const ATT_REPORT_MIN_YEAR = 2014;
export const ATT_REPORT_MAX_YEAR = 2100;

/** What the title page says about one form (exports or imports). */
export const AttReportFormSchema = z
  .object({
    /**
     * Authorised, actual, or both (then each row says which). Empty when the title page does not say and no row
     * does either, or for a nil report.
     */
    basis: z.array(AttReportBasisSchema).max(2),
    visibility: AttReportVisibilitySchema,
    /** "No exports (imports) to report" ticked: the form is included and says there was nothing. */
    nilReport: z.boolean(),
    /** ATT Art. 13(3): a report may exclude commercially sensitive or national security information. */
    withheldCommerciallySensitive: z.boolean(),
    withheldNationalSecurity: z.boolean(),
  })
  .openapi('AttReportForm');
export type AttReportForm = z.infer<typeof AttReportFormSchema>;

/** The title page of an annual report. The contact person of the template is deliberately not kept. */
export const AttReportSchema = z
  .object({
    /** A State's crosswalk id is its ISO 3166-1 alpha-3 code. */
    reportingStateId: StateIdSchema.refine(
      (id) => /^[A-Z]{3}$/.test(id),
      'expected the ISO 3166-1 alpha-3 code of a State',
    ),
    /** 1 January - 31 December of this year (Art. 13(3)). */
    coveredYear: z.number().int().min(ATT_REPORT_MIN_YEAR).max(ATT_REPORT_MAX_YEAR),
    nationalDefinitions: z.object({ export: z.string().nullable(), import: z.string().nullable() }),
    /** The forms ticked as included; a nil report counts as included. */
    formsIncluded: z.array(AttReportFormNameSchema),
    /** Null when the form is not included. */
    exports: AttReportFormSchema.nullable(),
    imports: AttReportFormSchema.nullable(),
    /** ISO 4217 code that rows without a currency of their own use. */
    defaultCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable(),
    submittedOn: IsoDateSchema.optional(),
  })
  .superRefine((report, context) => {
    for (const form of ATT_REPORT_FORMS) {
      if (report.formsIncluded.includes(form) !== (report[form] !== null)) {
        context.addIssue({
          code: 'custom',
          path: [form],
          message: `${form} must be non-null exactly when formsIncluded lists it`,
        });
      }
    }
  })
  .openapi('AttReport');
export type AttReport = z.infer<typeof AttReportSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Categories

/** ATT Art. 2(1)(a)-(g) = UN Register categories I-VII, (h) small arms and light weapons = VIII. */
export const ATT_REPORT_CATEGORIES = [
  { code: 'I', name: 'Battle tanks', attRef: '2(1)(a)' },
  { code: 'II', name: 'Armoured combat vehicles', attRef: '2(1)(b)' },
  { code: 'III', name: 'Large-calibre artillery systems', attRef: '2(1)(c)' },
  { code: 'IV', name: 'Combat aircraft', attRef: '2(1)(d)' },
  { code: 'V', name: 'Attack helicopters', attRef: '2(1)(e)' },
  { code: 'VI', name: 'Warships', attRef: '2(1)(f)' },
  { code: 'VII', name: 'Missiles and missile launchers', attRef: '2(1)(g)' },
  { code: 'VIII', name: 'Small arms and light weapons', attRef: '2(1)(h)' },
] as const;
export type AttReportCategoryCode = (typeof ATT_REPORT_CATEGORIES)[number]['code'];

/**
 * Sub-category codes, the same as data/reference/unroca-categories.json (IV(a), VII(b), SA1 ... LW7) so that one code
 * means one thing across the product. `SA` and `LW` are ours: small arms (light weapons) reported as a total without
 * the breakdown, which several States do.
 */
export const ATT_REPORT_SUBCATEGORIES = [
  { code: 'IV(a)', category: 'IV', name: 'Manned combat aircraft' },
  { code: 'IV(b)', category: 'IV', name: 'Unmanned combat aerial vehicles' },
  { code: 'V(a)', category: 'V', name: 'Manned attack helicopters' },
  { code: 'V(b)', category: 'V', name: 'Unmanned rotary-wing combat aircraft' },
  { code: 'VII(a)', category: 'VII', name: 'Missiles and missile launchers' },
  { code: 'VII(b)', category: 'VII', name: 'Man-portable air-defence systems (MANPADS)' },
  { code: 'SA', category: 'VIII', name: 'Small arms, not broken down' },
  { code: 'SA1', category: 'VIII', name: 'Revolvers and self-loading pistols' },
  { code: 'SA2', category: 'VIII', name: 'Rifles and carbines' },
  { code: 'SA3', category: 'VIII', name: 'Sub-machine guns' },
  { code: 'SA4', category: 'VIII', name: 'Assault rifles' },
  { code: 'SA5', category: 'VIII', name: 'Light machine guns' },
  { code: 'SA6', category: 'VIII', name: 'Small arms, others' },
  { code: 'LW', category: 'VIII', name: 'Light weapons, not broken down' },
  { code: 'LW1', category: 'VIII', name: 'Heavy machine guns' },
  { code: 'LW2', category: 'VIII', name: 'Hand-held under-barrel and mounted grenade launchers' },
  { code: 'LW3', category: 'VIII', name: 'Portable anti-tank guns' },
  { code: 'LW4', category: 'VIII', name: 'Recoilless rifles' },
  { code: 'LW5', category: 'VIII', name: 'Portable anti-tank missile launchers and rocket systems' },
  { code: 'LW6', category: 'VIII', name: 'Mortars of calibres less than 75 mm' },
  { code: 'LW7', category: 'VIII', name: 'Light weapons, others' },
] as const satisfies readonly { code: string; category: AttReportCategoryCode; name: string }[];
export type AttReportSubcategoryCode = (typeof ATT_REPORT_SUBCATEGORIES)[number]['code'];

export const AttReportCategoryCodeSchema = z.enum(
  ATT_REPORT_CATEGORIES.map((category) => category.code) as [
    AttReportCategoryCode,
    ...AttReportCategoryCode[],
  ],
);
export const AttReportSubcategoryCodeSchema = z.enum(
  ATT_REPORT_SUBCATEGORIES.map((subcategory) => subcategory.code) as [
    AttReportSubcategoryCode,
    ...AttReportSubcategoryCode[],
  ],
);

/** The category a sub-category belongs to. */
export function categoryOfSubcategory(code: AttReportSubcategoryCode): AttReportCategoryCode {
  return ATT_REPORT_SUBCATEGORIES.find((subcategory) => subcategory.code === code)!.category;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

/**
 * One row of the Exports or Imports table, in model terms. Richer than a Transfer: it keeps the template's State of
 * origin and intermediate locations, which the Transfer model has no field for. Missing numbers are null with a
 * reason, never zero.
 */
export const AttReportRowSchema = z
  .object({
    form: AttReportFormNameSchema,
    /** The final importing State (exports) or the exporting State (imports); null when aggregated. */
    partnerId: StateIdSchema.nullable(),
    /** The report gives a total over several partners: an explicit aggregate, never a State. */
    partnerAggregated: z.boolean(),
    categoryCode: AttReportCategoryCodeSchema,
    subcategoryCode: AttReportSubcategoryCodeSchema.nullable(),
    basis: AttReportBasisSchema,
    numberOfItems: z.number().int().min(0).nullable(),
    numberOfItemsMissingReason: MissingReasonSchema.nullable(),
    value: DecimalSchema.refine((value) => !value.startsWith('-'), 'a value cannot be negative').nullable(),
    /** ISO 4217. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable(),
    valueMissingReason: MissingReasonSchema.nullable(),
    description: z.string().nullable(),
    comments: z.string().nullable(),
    /** Art. 12(3) details the template does not ask for; null = not reported. */
    endUser: z.string().nullable(),
    endUse: z.string().nullable(),
    /** For re-exports (exports) or imports of items made elsewhere: where the items were made. */
    stateOfOriginId: StateIdSchema.nullable(),
    /** Transit or trans-shipment States, in order. */
    intermediateLocationIds: z.array(StateIdSchema),
  })
  .superRefine((row, context) => {
    const check = (ok: boolean, path: string, message: string) => {
      if (!ok) context.addIssue({ code: 'custom', path: [path], message });
    };
    check(
      row.partnerAggregated === (row.partnerId === null),
      'partnerId',
      'partnerId is null exactly when the partner is aggregated',
    );
    check(
      (row.numberOfItems === null) !== (row.numberOfItemsMissingReason === null),
      'numberOfItemsMissingReason',
      'a missing number needs a reason, a number none',
    );
    check(
      (row.value === null) !== (row.valueMissingReason === null),
      'valueMissingReason',
      'a missing value needs a reason, a value none',
    );
    check(row.value === null || row.currency !== null, 'currency', 'a value needs a currency');
    if (row.subcategoryCode !== null) {
      check(
        categoryOfSubcategory(row.subcategoryCode) === row.categoryCode,
        'subcategoryCode',
        `${row.subcategoryCode} is not a sub-category of ${row.categoryCode}`,
      );
    }
  })
  .openapi('AttReportRow');
export type AttReportRow = z.infer<typeof AttReportRowSchema>;

/** The reasons a template cell may give instead of a number (an empty cell means `not_reported`). */
export const ATT_REPORT_MISSING_REASONS = [
  'not_reported',
  'withheld',
  'aggregated',
] as const satisfies readonly MissingReason[];
