import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from './dates.js';
import { Iso3Schema, StateIdSchema } from './state.js';

/** Which calendar year a State's first annual report (ATT Art. 13(3)) covers; see docs/data-model.md. */
export const FIRST_ANNUAL_REPORT_RULES = ['first-full-year-after-eif', 'year-of-eif'] as const;
export const FirstAnnualReportRuleSchema = z.enum(FIRST_ANNUAL_REPORT_RULES);
export type FirstAnnualReportRule = z.infer<typeof FirstAnnualReportRuleSchema>;

/** The settings the reporting calendar depends on (filled from src/settings.ts). */
export const ReportingRulesSchema = z
  .object({
    /** Days after a due date during which a report still counts as on time (the Secretariat's 7 days). */
    graceDays: z.number().int().min(0).max(365),
    /** IANA zone whose midnight ends a due date (Europe/Zurich: the Secretariat sits in Geneva). */
    timeZone: z.string().min(1),
    firstAnnualReportRule: FirstAnnualReportRuleSchema,
  })
  .openapi('ReportingRules');
export type ReportingRules = z.infer<typeof ReportingRulesSchema>;

export const DEFAULT_REPORTING_RULES: ReportingRules = Object.freeze({
  graceDays: 7,
  timeZone: 'Europe/Zurich',
  firstAnnualReportRule: 'first-full-year-after-eif',
});

export const REPORT_KINDS = ['initial', 'annual'] as const;
export const ReportKindSchema = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof ReportKindSchema>;

/**
 * The state of one reporting obligation. The first three depend only on the calendar; the last four need the
 * registry of reports received (later).
 */
export const OBLIGATION_STATUSES = [
  'not_yet_due',
  'due',
  'deadline_passed',
  'on_time',
  'within_grace',
  'late',
  'missing',
] as const;
export const ObligationStatusSchema = z.enum(OBLIGATION_STATUSES);
export type ObligationStatus = z.infer<typeof ObligationStatusSchema>;

/** One report a State owes under ATT Art. 13 (computed by src/analysis/reporting-calendar.ts). */
export const ReportingObligationSchema = z
  .object({
    stateId: StateIdSchema,
    iso3: Iso3Schema,
    kind: ReportKindSchema,
    /** `13(1)` initial report, `13(3)` annual report. */
    article: z.enum(['13(1)', '13(3)']),
    /** The calendar year an annual report covers; null for the initial report. */
    coveredYear: z.number().int().nullable(),
    /** Annual: 1 Jan of the year after the covered year. Initial: the EIF date for the State. */
    windowOpens: IsoDateSchema,
    dueDate: IsoDateSchema,
    /** The last day still counted as on time (due date + grace days). */
    graceEndsOn: IsoDateSchema,
    /** A date ends at midnight in this zone. */
    deadlineTimeZone: z.string(),
    status: ObligationStatusSchema,
  })
  .openapi('ReportingObligation');
export type ReportingObligation = z.infer<typeof ReportingObligationSchema>;
