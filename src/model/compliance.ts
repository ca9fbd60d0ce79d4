/**
 * The shapes of the compliance analyses (computed in src/analysis/): reporting compliance per obligation and per
 * covered year (compliance-tracker.ts), the transparency score of a report (transparency-score.ts) and the mirror
 * comparison of what exporters, importers and SIPRI say (mirror.ts). Every result carries its reason, in the spirit of
 * OpenSanctions' match explanations. Methods: docs/methods/compliance.md, docs/methods/mirror.md,
 * docs/transparency-rubric.md.
 */
import { z } from '@hono/zod-openapi';
import {
  AttReportCategoryCodeSchema,
  AttReportFormNameSchema,
  AttReportVisibilitySchema,
} from './att-report.js';
import { IsoDateSchema } from './dates.js';
import { RegistryOriginSchema, RegistryReportKindSchema } from './report-registry.js';
import { ObligationStatusSchema, ReportingObligationSchema, ReportKindSchema } from './reporting.js';
import { StateIdSchema } from './state.js';

// ---------------------------------------------------------------------------------------------------------------
// Compliance with ATT Art. 13

/**
 * The status of one reporting obligation as of an instant, once the registry of reports received is known.
 * - `not_owed`: the State owes no such report (not a State Party, or the year is before its first covered year);
 * - `not_yet_due`: the reporting window has not opened;
 * - `due`: the window is open and the due date has not ended; nothing received yet;
 * - `deadline_passed`: the due date has ended, the grace period is running, nothing received yet;
 * - `on_time`: received by the end of the due date;
 * - `within_grace`: received after the due date, within the grace days (the Secretariat's 7 days);
 * - `late`: received after the grace period;
 * - `missing`: due date and grace period ended, nothing received;
 * - `received_undated`: received, but the source gives no date and the entry was recorded after the due date, so
 *   timeliness cannot be told.
 */
export const COMPLIANCE_STATUSES = [
  'not_owed',
  'not_yet_due',
  'due',
  'deadline_passed',
  'on_time',
  'within_grace',
  'late',
  'missing',
  'received_undated',
] as const;
export const ComplianceStatusSchema = z.enum(COMPLIANCE_STATUSES).openapi('ComplianceStatus');
export type ComplianceStatus = z.infer<typeof ComplianceStatusSchema>;

/** The statuses that mean "a report was received". */
export const RECEIVED_STATUSES = [
  'on_time',
  'within_grace',
  'late',
  'received_undated',
] as const satisfies readonly ComplianceStatus[];
/** The statuses that mean "nothing received, and it is not (yet) overdue beyond grace". */
export const PENDING_STATUSES = [
  'not_yet_due',
  'due',
  'deadline_passed',
] as const satisfies readonly ComplianceStatus[];

/**
 * What the public may learn of one form. A private form shows only "included, private": `details` is null once
 * redacted (redactPrivateDetails in compliance-tracker.ts), and `detailsRedacted` says so.
 */
export const FormOutcomeSchema = z
  .object({
    form: AttReportFormNameSchema,
    /** Null: the source does not record whether the form was included. */
    included: z.boolean().nullable(),
    visibility: AttReportVisibilitySchema.nullable(),
    details: z
      .object({
        nil: z.boolean(),
        withheldCommerciallySensitive: z.boolean().nullable(),
        withheldNationalSecurity: z.boolean().nullable(),
      })
      .nullable(),
    detailsRedacted: z.boolean(),
  })
  .openapi('FormOutcome');
export type FormOutcome = z.infer<typeof FormOutcomeSchema>;

/** `partly_public`: one form public, the other private (the 2015 template allows it). */
export const REPORT_VISIBILITY_SUMMARIES = ['public', 'partly_public', 'private', 'not_recorded'] as const;
export const ReportVisibilitySummarySchema = z.enum(REPORT_VISIBILITY_SUMMARIES);
export type ReportVisibilitySummary = z.infer<typeof ReportVisibilitySummarySchema>;

/** The report that answers an obligation: the first received decides timeliness, the latest version the forms. */
export const SubmissionSchema = z
  .object({
    /** The entry whose date decides timeliness (the earliest received). */
    entryId: z.string(),
    kind: RegistryReportKindSchema,
    submittedOn: IsoDateSchema.nullable(),
    origin: RegistryOriginSchema,
    /** The entry whose forms are shown: the latest version received by the as-of date (an update replaces). */
    currentVersionEntryId: z.string(),
    visibility: ReportVisibilitySummarySchema,
    /** Exports and imports (annual reports); empty for initial reports. */
    forms: z.array(FormOutcomeSchema),
    sourceUrl: z.string().nullable(),
  })
  .openapi('Submission');
export type Submission = z.infer<typeof SubmissionSchema>;

/** A calendar obligation (reporting-calendar.ts) grown with what the registry says arrived. */
export const ObligationComplianceSchema = ReportingObligationSchema.omit({ status: true })
  .extend({
    /** The calendar alone (reporting-calendar.ts): not_yet_due, due, deadline_passed. */
    calendarStatus: ObligationStatusSchema,
    status: ComplianceStatusSchema,
    /** Days after the due date the report was received (within_grace, late); null otherwise. */
    daysLate: z.number().int().nullable(),
    submission: SubmissionSchema.nullable(),
    /** Every registry entry matched to this obligation (duplicates from several sources, updates). */
    entryIds: z.array(z.string()),
    reason: z.string(),
  })
  .openapi('ObligationCompliance');
export type ObligationCompliance = z.infer<typeof ObligationComplianceSchema>;

/** A report received that answers no obligation (a voluntary report, a year not owed): status `not_owed`. */
export const UnmatchedReportSchema = z
  .object({
    stateId: StateIdSchema,
    kind: RegistryReportKindSchema,
    coveredYear: z.number().int().nullable(),
    status: z.literal('not_owed'),
    submission: SubmissionSchema,
    reason: z.string(),
  })
  .openapi('UnmatchedReport');
export type UnmatchedReport = z.infer<typeof UnmatchedReportSchema>;

/** A share with its parts, so that every percentage can be checked. */
export const ShareSchema = z
  .object({
    numerator: z.number().int(),
    denominator: z.number().int(),
    /** Rounded to one decimal; null when the denominator is 0. */
    percent: z.number().nullable(),
  })
  .openapi('Share');
export type Share = z.infer<typeof ShareSchema>;

export const ComplianceCountsSchema = z
  .object({
    obliged: z.number().int(),
    reported: z.number().int(),
    onTime: z.number().int(),
    withinGrace: z.number().int(),
    late: z.number().int(),
    receivedUndated: z.number().int(),
    missing: z.number().int(),
    /** not_yet_due + due + deadline_passed. obliged = reported + missing + pending. */
    pending: z.number().int(),
    /** Of the reports received: reported = public + partlyPublic + private + visibilityNotRecorded. */
    public: z.number().int(),
    partlyPublic: z.number().int(),
    private: z.number().int(),
    visibilityNotRecorded: z.number().int(),
  })
  .openapi('ComplianceCounts');
export type ComplianceCounts = z.infer<typeof ComplianceCountsSchema>;

export const ComplianceRatesSchema = z
  .object({
    kind: ReportKindSchema,
    /** Annual reports: the covered year; initial reports: null (all initial reports). */
    coveredYear: z.number().int().nullable(),
    groupBy: z.enum(['all', 'm49Region', 'unRegionalGroup']),
    /** `all`, a region, a group, or `none` (no region or group recorded). */
    group: z.string(),
    asOf: IsoDateSchema,
    counts: ComplianceCountsSchema,
    rates: z.object({
      reported: ShareSchema,
      onTime: ShareSchema,
      onTimeOrWithinGrace: ShareSchema,
      /** Of the reports received: wholly private. */
      private: ShareSchema,
      /** Of the reports received: at least one form private. */
      anyFormPrivate: ShareSchema,
    }),
    /** One sentence, e.g. "69 of 110 States Parties reported for 2022 (62.7 %) ...". */
    summary: z.string(),
  })
  .openapi('ComplianceRates');
export type ComplianceRates = z.infer<typeof ComplianceRatesSchema>;

export const StateComplianceHistorySchema = z
  .object({
    stateId: StateIdSchema,
    asOf: IsoDateSchema,
    obligations: z.array(ObligationComplianceSchema),
    unmatched: z.array(UnmatchedReportSchema),
    counts: ComplianceCountsSchema,
    summary: z.string(),
  })
  .openapi('StateComplianceHistory');
export type StateComplianceHistory = z.infer<typeof StateComplianceHistorySchema>;

export const StateYearStatusSchema = z
  .object({
    stateId: StateIdSchema,
    coveredYear: z.number().int(),
    status: ComplianceStatusSchema,
    obligation: ObligationComplianceSchema.nullable(),
    reason: z.string(),
  })
  .openapi('StateYearStatus');
export type StateYearStatus = z.infer<typeof StateYearStatusSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Transparency score

/** Which row a finding is about: its position in the rows given, and its line in the source file when known. */
export const ScoredRowRefSchema = z
  .object({
    form: AttReportFormNameSchema,
    /** 0-based position in the rows passed to the scorer. */
    index: z.number().int().min(0),
    /** The row in the source file (provenance.row), when the rows are Transfers. */
    sourceRow: z.number().int().nullable(),
  })
  .openapi('ScoredRowRef');
export type ScoredRowRef = z.infer<typeof ScoredRowRefSchema>;

/** Why points were lost: one finding per form (or for the report), naming the rows. */
export const ScoreFindingSchema = z
  .object({
    form: AttReportFormNameSchema.nullable(),
    message: z.string(),
    rows: z.array(ScoredRowRefSchema),
  })
  .openapi('ScoreFinding');
export type ScoreFinding = z.infer<typeof ScoreFindingSchema>;

export const ScoreCriterionSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    points: z.number().int().min(0),
    maxPoints: z.number().int().min(0),
    /** False when the criterion does not apply (e.g. no SALW rows): full points, and the reason says why. */
    applicable: z.boolean(),
    reason: z.string(),
    /** Non-empty exactly when points < maxPoints. */
    findings: z.array(ScoreFindingSchema),
  })
  .openapi('ScoreCriterion');
export type ScoreCriterion = z.infer<typeof ScoreCriterionSchema>;

export const TransparencyScoreSchema = z
  .object({
    rubricVersion: z.string(),
    entryId: z.string(),
    stateId: StateIdSchema,
    coveredYear: z.number().int().nullable(),
    score: z.number().int().min(0),
    maxScore: z.number().int().min(0),
    criteria: z.array(ScoreCriterionSchema),
  })
  .openapi('TransparencyScore');
export type TransparencyScore = z.infer<typeof TransparencyScoreSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Mirror analysis

export const MIRROR_COMPARISONS = ['exporter_vs_importer', 'exporter_vs_sipri', 'importer_vs_sipri'] as const;
export const MirrorComparisonSchema = z.enum(MIRROR_COMPARISONS);
export type MirrorComparison = z.infer<typeof MirrorComparisonSchema>;

export const MIRROR_RESULT_KINDS = [
  'match',
  'quantity_mismatch',
  'one_sided',
  'category_mismatch',
  'year_shift',
  'value_only_vs_count_only',
  'not_comparable',
] as const;
export const MirrorResultKindSchema = z.enum(MIRROR_RESULT_KINDS);
export type MirrorResultKind = z.infer<typeof MirrorResultKindSchema>;

/** Who said it: the exporter's ATT report (exports form), the importer's (imports form), or SIPRI. */
export const MIRROR_SIDES = ['exporter_report', 'importer_report', 'sipri'] as const;
export const MirrorSideNameSchema = z.enum(MIRROR_SIDES);
export type MirrorSideName = z.infer<typeof MirrorSideNameSchema>;

/** A row behind a result, by its stored id and provenance. */
export const MirrorRowRefSchema = z
  .object({
    id: z.string(),
    source: z.string(),
    sourceRecordId: z.string().nullable(),
    fileName: z.string(),
    sheet: z.string().nullable(),
    row: z.number().int(),
    importRunId: z.string().nullable(),
  })
  .openapi('MirrorRowRef');
export type MirrorRowRef = z.infer<typeof MirrorRowRefSchema>;

export const MirrorSideSchema = z
  .object({
    side: MirrorSideNameSchema,
    year: z.number().int(),
    /** UNROCA category I-VIII (SIPRI rows: through the documented mapping). */
    category: AttReportCategoryCodeSchema,
    basis: z.string(),
    /** Sum over the rows; null when any row gives no number. */
    numberOfItems: z.number().int().nullable(),
    /** Sum in the rows' currency; null when any row gives no value or the rows mix currencies. */
    value: z.string().nullable(),
    currency: z.string().nullable(),
    /** The value in the comparison currency, when a rate was found (or no conversion was needed). */
    comparisonValue: z.string().nullable(),
    /** Some rows are estimates or uncertain (SIPRI "?" / "is estimate"). */
    uncertain: z.boolean(),
    rows: z.array(MirrorRowRefSchema),
  })
  .openapi('MirrorSide');
export type MirrorSide = z.infer<typeof MirrorSideSchema>;

export const RateUsedSchema = z
  .object({
    currency: z.string(),
    year: z.number().int(),
    unitsPerUsd: z.string(),
    source: z.string(),
    confidence: z.string(),
  })
  .openapi('RateUsed');
export type RateUsed = z.infer<typeof RateUsedSchema>;

export const MeasureComparisonSchema = z
  .object({
    measure: z.enum(['count', 'value']),
    left: z.string().nullable(),
    right: z.string().nullable(),
    /** left - right. */
    difference: z.string().nullable(),
    /** The largest difference still counted as a match, in the measure's unit. */
    tolerance: z.string().nullable(),
    withinTolerance: z.boolean().nullable(),
    currency: z.string().nullable(),
    ratesUsed: z.array(RateUsedSchema),
    note: z.string().nullable(),
  })
  .openapi('MeasureComparison');
export type MeasureComparison = z.infer<typeof MeasureComparisonSchema>;

/**
 * What the other side said, for one-sided results: whether its State reported the matching form that year.
 * - `reported_without_this`: its form for that year is in the data compared, without this transfer;
 * - `nil_report`: its form says there was nothing to report;
 * - `private`: its form is private, so its rows are not compared;
 * - `form_not_included`: its report for that year leaves the form out;
 * - `rows_not_held`: its public form is recorded in the registry but its rows are not in the data compared;
 * - `no_report_held`: the registry holds no report of that State for that year;
 * - `unknown`: no registry was given;
 * - `not_applicable`: the other side is SIPRI (it records what it knows of, with no report to consult).
 */
export const OTHER_SIDE_STATUSES = [
  'reported_without_this',
  'nil_report',
  'private',
  'form_not_included',
  'rows_not_held',
  'no_report_held',
  'unknown',
  'not_applicable',
] as const;
export const OtherSideStatusSchema = z.enum(OTHER_SIDE_STATUSES);
export type OtherSideStatus = z.infer<typeof OtherSideStatusSchema>;

export const MirrorResultSchema = z
  .object({
    comparison: MirrorComparisonSchema,
    kind: MirrorResultKindSchema,
    exporterId: StateIdSchema,
    importerId: StateIdSchema,
    year: z.number().int(),
    category: AttReportCategoryCodeSchema,
    left: MirrorSideSchema.nullable(),
    right: MirrorSideSchema.nullable(),
    /** one_sided: which side holds the transfer, and what the other side's State reported that year. */
    presentIn: MirrorSideNameSchema.nullable(),
    otherSide: OtherSideStatusSchema.nullable(),
    measures: z.array(MeasureComparisonSchema),
    reason: z.string(),
  })
  .openapi('MirrorResult');
export type MirrorResult = z.infer<typeof MirrorResultSchema>;

export const MirrorExclusionSchema = z
  .object({ row: MirrorRowRefSchema, code: z.string(), reason: z.string() })
  .openapi('MirrorExclusion');
export type MirrorExclusion = z.infer<typeof MirrorExclusionSchema>;
