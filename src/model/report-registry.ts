/**
 * The report registry: one entry per report a State submitted under ATT Art. 13 (or that was published elsewhere),
 * whatever told us about it: an imported ATT report file, a hand-recorded entry, or a row of a submission log kept by
 * the Secretariat's website or an NGO. Compliance (src/analysis/compliance-tracker.ts) matches entries to the
 * obligations of the reporting calendar. See docs/methods/compliance.md.
 *
 * Missing is never "no": a form whose inclusion the source does not record is `formsRecorded: false`, never
 * "not included"; a withheld flag the source does not record is null, never false.
 */
import { parse } from 'csv-parse/sync';
import { z } from '@hono/zod-openapi';
import {
  ATT_REPORT_BASES,
  ATT_REPORT_MAX_YEAR,
  ATT_REPORT_MIN_YEAR,
  AttReportBasisSchema,
  AttReportVisibilitySchema,
  type AttReport,
  type AttReportBasis,
  type AttReportForm,
  type AttReportVisibility,
} from './att-report.js';
import { IsoDateSchema, isValidIsoDate, type IsoDate } from './dates.js';
import type { IngestIssue } from './ingest.js';
import { StateIdSchema, type StateId } from './state.js';

/** `initial` (Art. 13(1)), `annual` (Art. 13(3)), `update`: a later version replacing an earlier report. */
export const REGISTRY_REPORT_KINDS = ['initial', 'annual', 'update'] as const;
export const RegistryReportKindSchema = z.enum(REGISTRY_REPORT_KINDS);
export type RegistryReportKind = z.infer<typeof RegistryReportKindSchema>;

/** The report an entry belongs to for a State and year: an `update` amends the `annual` report of its year. */
export function reportFamilyOf(kind: RegistryReportKind): 'initial' | 'annual' {
  return kind === 'initial' ? 'initial' : 'annual';
}

/** The kinds that are one report for a State and year (`reportFamilyOf`). */
export function registryKindsOfSameReport(kind: RegistryReportKind): RegistryReportKind[] {
  return REGISTRY_REPORT_KINDS.filter((other) => reportFamilyOf(other) === reportFamilyOf(kind));
}

/** How the entry reached the registry. */
export const REGISTRY_ORIGINS = ['att-report-import', 'recorded', 'submission-log'] as const;
export const RegistryOriginSchema = z.enum(REGISTRY_ORIGINS);
export type RegistryOrigin = z.infer<typeof RegistryOriginSchema>;

/** What is known about one form (exports or imports) of an annual report. */
export const RegistryFormStatusSchema = z
  .object({
    /** The 2015 template lets a State make each form public or private. */
    visibility: AttReportVisibilitySchema,
    /** A nil report: the form is included and says there was nothing to report. */
    nil: z.boolean(),
    /** ATT Art. 13(3): commercially sensitive or national security information excluded. Null = not recorded. */
    withheldCommerciallySensitive: z.boolean().nullable(),
    withheldNationalSecurity: z.boolean().nullable(),
  })
  .openapi('RegistryFormStatus');
export type RegistryFormStatus = z.infer<typeof RegistryFormStatusSchema>;

/** A State's registry id is its ISO 3166-1 alpha-3 code: only States report under Art. 13. */
const ReportingStateIdSchema = StateIdSchema.refine(
  (id) => /^[A-Z]{3}$/.test(id),
  'expected the ISO 3166-1 alpha-3 code of a State',
);

export const ReportRegistryEntrySchema = z
  .object({
    /** Stable and deterministic for entries made by the functions below (re-importing changes nothing). */
    id: z.string().min(1).max(200),
    stateId: ReportingStateIdSchema,
    kind: RegistryReportKindSchema,
    /** Annual reports and their updates: the calendar year covered. Initial reports (and their updates): null. */
    coveredYear: z.number().int().min(ATT_REPORT_MIN_YEAR).max(ATT_REPORT_MAX_YEAR).nullable(),
    /** The day the Secretariat received it (Geneva calendar), or null when the source does not say. */
    submittedOn: IsoDateSchema.nullable(),
    /**
     * False when the source does not record which forms were included (a log that says only "submitted"): then
     * `exports` and `imports` are null and mean "not recorded", not "not included".
     */
    formsRecorded: z.boolean(),
    /** Null: the form was not included (or, with formsRecorded false, not recorded). Annual reports only. */
    exports: RegistryFormStatusSchema.nullable(),
    imports: RegistryFormStatusSchema.nullable(),
    /** Initial reports only: whether the report is public (annual reports are public or private per form). */
    reportVisibility: AttReportVisibilitySchema.nullable(),
    /** Authorised or actual transfers (both when rows say which); empty when not recorded. */
    basis: z.array(AttReportBasisSchema).max(2),
    origin: RegistryOriginSchema,
    /** The import run that stored the report file (origin att-report-import). */
    importRunId: z.number().int().min(1).nullable(),
    sourceUrl: z.string().max(2000).nullable(),
    notes: z.string().max(4000).nullable(),
    /** When the entry was recorded (ISO 8601 instant): the upper bound of an undated submission. */
    recordedAt: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 instant'),
  })
  .superRefine((entry, context) => {
    const check = (ok: boolean, path: string, message: string) => {
      if (!ok) context.addIssue({ code: 'custom', path: [path], message });
    };
    check(
      entry.kind !== 'annual' || entry.coveredYear !== null,
      'coveredYear',
      'an annual report covers a year',
    );
    check(
      entry.kind !== 'initial' || entry.coveredYear === null,
      'coveredYear',
      'an initial report covers no year',
    );
    const annualLike = entry.coveredYear !== null;
    check(
      annualLike || (entry.exports === null && entry.imports === null),
      'exports',
      'only annual reports have exports and imports forms',
    );
    check(
      annualLike || entry.formsRecorded,
      'formsRecorded',
      'an initial report has no forms to record (set formsRecorded: true)',
    );
    check(
      entry.formsRecorded || (entry.exports === null && entry.imports === null),
      'formsRecorded',
      'forms are given, so formsRecorded must be true',
    );
    check(
      !annualLike || entry.reportVisibility === null,
      'reportVisibility',
      'an annual report is public or private per form: use exports.visibility and imports.visibility',
    );
    check(new Set(entry.basis).size === entry.basis.length, 'basis', 'a basis is listed at most once');
  })
  .openapi('ReportRegistryEntry');
export type ReportRegistryEntry = z.infer<typeof ReportRegistryEntrySchema>;

/** The deterministic id of an entry made from an imported ATT report file. */
export function attReportImportEntryId(
  stateId: string,
  coveredYear: number,
  importRunId: number | null,
  kind: RegistryReportKind = 'annual',
): string {
  return `att-report-import:${importRunId ?? 'unstored'}:${stateId}:${kind}:${coveredYear}`;
}

function formStatusOf(form: AttReportForm | null): RegistryFormStatus | null {
  if (form === null) return null;
  return {
    visibility: form.visibility,
    nil: form.nilReport,
    withheldCommerciallySensitive: form.withheldCommerciallySensitive,
    withheldNationalSecurity: form.withheldNationalSecurity,
  };
}

export interface RegistryEntryFromAttReportOptions {
  /** When the entry is recorded (the import's clock), an ISO 8601 instant or a Date. */
  recordedAt: Date | string;
  /** `update` when the file replaces a report already received. */
  kind?: 'annual' | 'update';
  sourceUrl?: string | null;
  notes?: string | null;
}

/**
 * The registry entry of an imported annual report: its title page says which forms are included, their visibility,
 * nil reports, withheld information and the basis. The submission date is the title page's `submittedOn` (null when
 * the file does not say: the upload date is not the submission date).
 */
export function registryEntryFromAttReport(
  report: AttReport,
  importRunId: number | null,
  options: RegistryEntryFromAttReportOptions,
): ReportRegistryEntry {
  const kind = options.kind ?? 'annual';
  const basis = ATT_REPORT_BASES.filter(
    (b) => report.exports?.basis.includes(b) === true || report.imports?.basis.includes(b) === true,
  );
  return ReportRegistryEntrySchema.parse({
    id: attReportImportEntryId(report.reportingStateId, report.coveredYear, importRunId, kind),
    stateId: report.reportingStateId,
    kind,
    coveredYear: report.coveredYear,
    submittedOn: report.submittedOn ?? null,
    formsRecorded: true,
    exports: formStatusOf(report.exports),
    imports: formStatusOf(report.imports),
    reportVisibility: null,
    basis,
    origin: 'att-report-import',
    importRunId,
    sourceUrl: options.sourceUrl ?? null,
    notes: options.notes ?? null,
    recordedAt: toInstantText(options.recordedAt),
  });
}

function toInstantText(value: Date | string): string {
  return typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Submission log (CSV)

/**
 * The columns of a submission log: what the Secretariat's website shows or an NGO keeps, one row per report.
 * `state` takes an ISO3 code or a name known to the crosswalk; form cells take `public`, `private`, `public nil`,
 * `private nil`, `nil`, `not included` (or empty: not recorded). The last three columns are optional.
 */
export const SUBMISSION_LOG_COLUMNS = [
  'state',
  'kind',
  'covered_year',
  'submitted_on',
  'exports',
  'imports',
  'source_url',
  'notes',
  'basis',
  'exports_withheld',
  'imports_withheld',
  'report_visibility',
] as const;
export type SubmissionLogColumn = (typeof SUBMISSION_LOG_COLUMNS)[number];
export const REQUIRED_SUBMISSION_LOG_COLUMNS: readonly SubmissionLogColumn[] = [
  'state',
  'kind',
  'covered_year',
  'submitted_on',
  'exports',
  'imports',
  'source_url',
  'notes',
];

/** One row of a submission log as written (every cell a string; empty = not recorded). */
export const SubmissionLogRowSchema = z
  .object({
    state: z.string(),
    kind: z.string(),
    covered_year: z.string(),
    submitted_on: z.string(),
    exports: z.string(),
    imports: z.string(),
    source_url: z.string(),
    notes: z.string(),
    basis: z.string().optional(),
    exports_withheld: z.string().optional(),
    imports_withheld: z.string().optional(),
    report_visibility: z.string().optional(),
  })
  .openapi('SubmissionLogRow');
export type SubmissionLogRow = z.infer<typeof SubmissionLogRowSchema>;

export interface SubmissionLogContext {
  /** Resolves an ISO3 code or a State name (the crosswalk's lookup); null when unknown. */
  resolveState: (text: string) => StateId | null;
  /** When the log is recorded: the upper bound of its undated submissions. */
  recordedAt: Date | string;
  /** Named in issues and ids. */
  fileName: string;
}

export interface SubmissionLogRowResult {
  entry: ReportRegistryEntry | null;
  issues: IngestIssue[];
}

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

const KIND_WORDS: Record<string, RegistryReportKind> = {
  initial: 'initial',
  'initial report': 'initial',
  annual: 'annual',
  'annual report': 'annual',
  update: 'update',
  updated: 'update',
  'updated report': 'update',
  amendment: 'update',
  amended: 'update',
  revised: 'update',
};

type FormCell =
  | { kind: 'not_recorded' }
  | { kind: 'not_included' }
  | { kind: 'included'; visibility: AttReportVisibility; nil: boolean; visibilityStated: boolean };

function readFormCell(text: string): FormCell | null {
  const words = normalise(text).replace(/[()]/g, '');
  if (words === '') return { kind: 'not_recorded' };
  if (['not included', 'no', 'none', 'not submitted', 'n/a'].includes(words)) return { kind: 'not_included' };
  const tokens = new Set(words.split(/[\s,;/+]+/).filter(Boolean));
  const nil = tokens.delete('nil');
  tokens.delete('report');
  const isPublic = tokens.delete('public');
  const isPrivate = tokens.delete('private') || tokens.delete('confidential');
  if (tokens.size > 0 || (isPublic && isPrivate)) return null;
  if (!isPublic && !isPrivate && !nil) return null;
  return {
    kind: 'included',
    visibility: isPublic ? 'public' : 'private',
    nil,
    visibilityStated: isPublic || isPrivate,
  };
}

function readWithheld(text: string | undefined): { cs: boolean | null; ns: boolean | null } | null {
  const words = normalise(text ?? '');
  if (words === '') return { cs: null, ns: null };
  if (['none', 'no', 'nothing'].includes(words)) return { cs: false, ns: false };
  if (['both', 'commercially sensitive and national security'].includes(words)) return { cs: true, ns: true };
  if (['commercially sensitive', 'commercial'].includes(words)) return { cs: true, ns: false };
  if (['national security', 'security'].includes(words)) return { cs: false, ns: true };
  return null;
}

function readBasis(text: string | undefined): AttReportBasis[] | null {
  const words = normalise(text ?? '');
  if (words === '') return [];
  if (['authorised', 'authorized', 'licences', 'licenses'].includes(words)) return ['authorised'];
  if (['actual', 'deliveries'].includes(words)) return ['actual'];
  if (['both', 'authorised and actual', 'authorized and actual'].includes(words))
    return ['authorised', 'actual'];
  return null;
}

/** The deterministic id of a submission-log entry: re-importing the same log finds the same entries. */
export function submissionLogEntryId(
  stateId: string,
  kind: RegistryReportKind,
  coveredYear: number | null,
  submittedOn: string | null,
): string {
  return `submission-log:${stateId}:${kind}:${coveredYear ?? 'initial'}:${submittedOn ?? 'undated'}`;
}

/**
 * Turns one submission-log row into a registry entry, or into issues saying where, what and what to do. Never
 * throws. `row` is the 1-based line of the row (the header is line 1).
 */
export function submissionLogRowToEntry(
  raw: SubmissionLogRow,
  row: number,
  context: SubmissionLogContext,
): SubmissionLogRowResult {
  const issues: IngestIssue[] = [];
  const problem = (
    column: SubmissionLogColumn | null,
    value: string | null,
    code: string,
    message: string,
    hint: string,
    severity: 'error' | 'warning' = 'error',
  ) =>
    issues.push({
      file: context.fileName,
      sheet: null,
      row,
      column,
      value: value === null ? null : value.slice(0, 200),
      code,
      severity,
      message: `row ${row}, column "${column ?? '-'}": ${message}`,
      hint,
    });

  const stateText = raw.state.trim();
  const stateId = stateText === '' ? null : context.resolveState(stateText);
  if (stateText === '')
    problem('state', raw.state, 'missing_state', 'no State is named', 'write the ISO3 code of the State');
  else if (stateId === null)
    problem(
      'state',
      raw.state,
      'unknown_state',
      `"${stateText}" is not a known State`,
      'write its ISO3 code, or add the spelling to data/reference/state-aliases.csv',
    );
  else if (!/^[A-Z]{3}$/.test(stateId))
    problem(
      'state',
      raw.state,
      'not_a_state',
      `"${stateText}" is ${stateId}, not a State: only States report under ATT Art. 13`,
      'correct the row or remove it',
    );

  const kind = KIND_WORDS[normalise(raw.kind)] ?? null;
  if (kind === null)
    problem(
      'kind',
      raw.kind,
      'unknown_kind',
      `"${raw.kind}" is not a kind of report`,
      'write initial, annual or update',
    );

  const yearText = raw.covered_year.trim();
  let coveredYear: number | null = null;
  if (yearText !== '') {
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!Number.isInteger(year) || year < ATT_REPORT_MIN_YEAR || year > ATT_REPORT_MAX_YEAR)
      problem(
        'covered_year',
        raw.covered_year,
        'not_a_year',
        `"${yearText}" is not a year between ${ATT_REPORT_MIN_YEAR} and ${ATT_REPORT_MAX_YEAR}`,
        'write the calendar year the report covers, e.g. 2022',
      );
    else coveredYear = year;
  }
  if (kind === 'annual' && yearText === '')
    problem(
      'covered_year',
      raw.covered_year,
      'missing_year',
      'an annual report covers a year',
      'write the calendar year covered, e.g. 2022',
    );
  if (kind === 'initial' && yearText !== '')
    problem(
      'covered_year',
      raw.covered_year,
      'year_on_initial_report',
      'an initial report covers no year',
      'leave covered_year empty, or write annual in kind',
    );

  const dateText = raw.submitted_on.trim();
  let submittedOn: IsoDate | null = null;
  if (dateText !== '') {
    if (isValidIsoDate(dateText)) submittedOn = dateText as IsoDate;
    else
      problem(
        'submitted_on',
        raw.submitted_on,
        'not_a_date',
        `"${dateText}" is not a date written YYYY-MM-DD`,
        'write the date of submission as YYYY-MM-DD (day-month order is ambiguous), or leave it empty if unknown',
      );
  }

  const forms: Record<'exports' | 'imports', FormCell | null> = {
    exports: readFormCell(raw.exports),
    imports: readFormCell(raw.imports),
  };
  for (const form of ['exports', 'imports'] as const) {
    const cell = forms[form];
    if (cell === null)
      problem(
        form,
        raw[form],
        'unknown_form_status',
        `"${raw[form]}" does not say whether the ${form} form was public, private, nil or not included`,
        'write public, private, public nil, private nil, not included, or leave it empty if unknown',
      );
    else if (cell.kind === 'included' && !cell.visibilityStated)
      problem(
        form,
        raw[form],
        'missing_visibility',
        `the ${form} form is a nil report whose visibility is not stated: recorded as private`,
        'write public nil or private nil',
        'warning',
      );
  }
  const recorded = [forms.exports, forms.imports].filter((c) => c !== null && c.kind !== 'not_recorded');
  const formsRecorded = recorded.length > 0;
  if (coveredYear === null && kind !== null && kind !== 'annual' && recorded.length > 0)
    problem(
      'exports',
      `${raw.exports} / ${raw.imports}`,
      'forms_on_initial_report',
      'an initial report has no exports or imports forms',
      'leave exports and imports empty for initial reports',
    );
  if (
    formsRecorded &&
    (forms.exports?.kind === 'not_recorded' || forms.imports?.kind === 'not_recorded') &&
    coveredYear !== null
  )
    problem(
      forms.exports?.kind === 'not_recorded' ? 'exports' : 'imports',
      '',
      'half_recorded_forms',
      'one form is recorded and the other is empty: the empty one is read as not included',
      'write not included explicitly, or fill in the form',
      'warning',
    );
  if (
    formsRecorded &&
    forms.exports?.kind !== 'included' &&
    forms.imports?.kind !== 'included' &&
    coveredYear !== null
  )
    problem(
      'exports',
      `${raw.exports} / ${raw.imports}`,
      'nothing_included',
      'neither form is included: that is no report',
      'remove the row, or record the forms the report included',
    );

  const withheld = {
    exports: readWithheld(raw.exports_withheld),
    imports: readWithheld(raw.imports_withheld),
  };
  for (const form of ['exports', 'imports'] as const) {
    if (withheld[form] === null)
      problem(
        `${form}_withheld`,
        raw[`${form}_withheld`] ?? '',
        'unknown_withheld',
        `"${raw[`${form}_withheld`]}" does not say what was withheld`,
        'write none, commercially sensitive, national security or both, or leave it empty if unknown',
      );
  }
  const basis = readBasis(raw.basis);
  if (basis === null)
    problem(
      'basis',
      raw.basis ?? '',
      'unknown_basis',
      `"${raw.basis}" is not a basis`,
      'write authorised, actual or both, or leave it empty',
    );
  const visibilityText = normalise(raw.report_visibility ?? '');
  const reportVisibility =
    visibilityText === ''
      ? null
      : visibilityText === 'public' || visibilityText === 'private'
        ? visibilityText
        : undefined;
  if (reportVisibility === undefined)
    problem(
      'report_visibility',
      raw.report_visibility ?? '',
      'unknown_visibility',
      `"${raw.report_visibility}" is not public or private`,
      'write public or private, or leave it empty',
    );
  if (reportVisibility !== null && reportVisibility !== undefined && coveredYear !== null)
    problem(
      'report_visibility',
      raw.report_visibility ?? '',
      'visibility_on_annual_report',
      'an annual report is public or private per form',
      'leave report_visibility empty and fill in exports and imports',
    );

  const url = raw.source_url.trim();
  if (url !== '' && !/^https?:\/\/\S+$/.test(url))
    problem(
      'source_url',
      raw.source_url,
      'not_a_url',
      `"${url}" is not a web address`,
      'write an http(s) URL or leave it empty',
    );

  if (issues.some((issue) => issue.severity === 'error') || stateId === null || kind === null)
    return { entry: null, issues };

  const status = (form: 'exports' | 'imports'): RegistryFormStatus | null => {
    const cell = forms[form];
    if (cell === null || cell.kind !== 'included') return null;
    return {
      visibility: cell.visibility,
      nil: cell.nil,
      withheldCommerciallySensitive: withheld[form]?.cs ?? null,
      withheldNationalSecurity: withheld[form]?.ns ?? null,
    };
  };
  const parsed = ReportRegistryEntrySchema.safeParse({
    id: submissionLogEntryId(stateId, kind, coveredYear, submittedOn),
    stateId,
    kind,
    coveredYear,
    submittedOn,
    formsRecorded: coveredYear === null ? true : formsRecorded,
    exports: coveredYear === null ? null : status('exports'),
    imports: coveredYear === null ? null : status('imports'),
    reportVisibility: coveredYear === null ? (reportVisibility ?? null) : null,
    basis: basis ?? [],
    origin: 'submission-log',
    importRunId: null,
    sourceUrl: url === '' ? null : url,
    notes: raw.notes.trim() === '' ? null : raw.notes.trim(),
    recordedAt: toInstantText(context.recordedAt),
  });
  if (!parsed.success) {
    problem(
      null,
      null,
      'invalid_row',
      `the row does not fit the registry model (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
      'check every cell of the row',
    );
    return { entry: null, issues };
  }
  return { entry: parsed.data, issues };
}

export interface SubmissionLogResult {
  entries: ReportRegistryEntry[];
  issues: IngestIssue[];
  rowsRead: number;
  quarantined: number;
  blank: number;
}

/**
 * Reads a whole submission log (CSV text with a header row). A file-level problem (not CSV, a required column
 * missing) gives no entries and one issue; a bad row is left out with its issues. Invariant:
 * rowsRead === entries.length + quarantined + blank. Two rows for the same report (same id) keep the first.
 */
export function parseSubmissionLog(csvText: string, context: SubmissionLogContext): SubmissionLogResult {
  const result: SubmissionLogResult = { entries: [], issues: [], rowsRead: 0, quarantined: 0, blank: 0 };
  const fileIssue = (code: string, message: string, hint: string) =>
    result.issues.push({
      file: context.fileName,
      sheet: null,
      row: null,
      column: null,
      value: null,
      code,
      severity: 'error',
      message,
      hint,
    });
  let records: string[][];
  try {
    records = parse(csvText.replace(/\r\n?/g, '\n'), { bom: true, relax_column_count: true });
  } catch (error) {
    fileIssue(
      'broken_csv',
      `${context.fileName} is not valid CSV: ${(error as Error).message}`,
      'save the log as CSV (UTF-8) and try again',
    );
    return result;
  }
  const [header, ...body] = records;
  if (!header) {
    fileIssue(
      'empty_file',
      `${context.fileName} is empty`,
      `write a header row: ${SUBMISSION_LOG_COLUMNS.join(',')}`,
    );
    return result;
  }
  const columns = header.map((cell) => normalise(cell).replace(/ /g, '_'));
  for (const required of REQUIRED_SUBMISSION_LOG_COLUMNS) {
    if (!columns.includes(required)) {
      fileIssue(
        'missing_column',
        `${context.fileName} has no column "${required}"`,
        `add the column; the header is ${SUBMISSION_LOG_COLUMNS.join(',')}`,
      );
    }
  }
  const duplicated = columns.filter((c, i) => c !== '' && columns.indexOf(c) !== i);
  for (const column of new Set(duplicated))
    fileIssue('duplicate_column', `${context.fileName} has the column "${column}" twice`, 'keep one of them');
  if (result.issues.length > 0) return result;
  columns.forEach((column, index) => {
    if (column !== '' && !(SUBMISSION_LOG_COLUMNS as readonly string[]).includes(column))
      result.issues.push({
        file: context.fileName,
        sheet: null,
        row: 1,
        column: header[index] ?? column,
        value: header[index] ?? column,
        code: 'unknown_column',
        severity: 'warning',
        message: `column "${header[index]}" is not a submission-log column and is not imported`,
        hint: `the columns are ${SUBMISSION_LOG_COLUMNS.join(', ')}`,
      });
  });
  const seen = new Set<string>();
  body.forEach((fields, index) => {
    const row = index + 2;
    result.rowsRead += 1;
    if (fields.every((field) => field.trim() === '')) {
      result.blank += 1;
      return;
    }
    const cells: Record<string, string> = {};
    columns.forEach((column, i) => {
      cells[column] = fields[i] ?? '';
    });
    const raw = SubmissionLogRowSchema.parse(cells);
    const { entry, issues } = submissionLogRowToEntry(raw, row, context);
    result.issues.push(...issues);
    if (entry === null) {
      result.quarantined += 1;
      return;
    }
    if (seen.has(entry.id)) {
      result.quarantined += 1;
      result.issues.push({
        file: context.fileName,
        sheet: null,
        row,
        column: null,
        value: null,
        code: 'duplicate_report',
        severity: 'error',
        message: `row ${row}: the same report (${entry.stateId}, ${entry.kind}, ${entry.coveredYear ?? 'initial'}, submitted ${entry.submittedOn ?? 'undated'}) is listed twice`,
        hint: 'remove one of the two rows',
      });
      return;
    }
    seen.add(entry.id);
    result.entries.push(entry);
  });
  return result;
}

/** What someone records by hand about a report received outside this system (CLI `att registry add`, `POST /v1/reports`). */
export const RecordedReportInputSchema = z
  .object({
    stateId: z.string().regex(/^[A-Z]{3}$/, 'expected the ISO3 code of a State such as DEU'),
    kind: RegistryReportKindSchema,
    coveredYear: z.number().int().min(ATT_REPORT_MIN_YEAR).max(ATT_REPORT_MAX_YEAR).nullable().default(null),
    submittedOn: IsoDateSchema.nullable().default(null),
    exports: RegistryFormStatusSchema.nullable().optional(),
    imports: RegistryFormStatusSchema.nullable().optional(),
    reportVisibility: AttReportVisibilitySchema.nullable().default(null),
    sourceUrl: z.string().max(2000).nullable().default(null),
    notes: z.string().max(4000).nullable().default(null),
  })
  .openapi('RecordedReportInput');
export type RecordedReportInput = z.input<typeof RecordedReportInputSchema>;

/**
 * A registry entry for a report recorded by hand (origin `recorded`). The id is deterministic (State, kind, year,
 * date), so recording the same report twice replaces the entry instead of adding one. Throws a zod error when the
 * combination is impossible (an annual report without a year, forms on an initial report ...).
 */
export function recordedRegistryEntry(input: RecordedReportInput, recordedAt: Date): ReportRegistryEntry {
  const parsed = RecordedReportInputSchema.parse(input);
  const annualLike = parsed.coveredYear !== null;
  return ReportRegistryEntrySchema.parse({
    id: `recorded:${parsed.stateId}:${parsed.kind}:${parsed.coveredYear ?? 'initial'}:${parsed.submittedOn ?? 'undated'}`,
    stateId: parsed.stateId,
    kind: parsed.kind,
    coveredYear: parsed.coveredYear,
    submittedOn: parsed.submittedOn,
    formsRecorded: !annualLike || parsed.exports !== undefined || parsed.imports !== undefined,
    exports: annualLike ? (parsed.exports ?? null) : null,
    imports: annualLike ? (parsed.imports ?? null) : null,
    reportVisibility: annualLike ? null : parsed.reportVisibility,
    basis: [],
    origin: 'recorded',
    importRunId: null,
    sourceUrl: parsed.sourceUrl,
    notes: parsed.notes,
    recordedAt: recordedAt.toISOString(),
  });
}
