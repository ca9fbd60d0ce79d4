/**
 * The State reporting workflow (ATT Art. 13): a State's officers fill a draft report in the web app, submit it as an
 * immutable version, and amend it with later versions. An annual report's draft content is the report in the JSON
 * form of the ATT template (docs/att-report-format.md), cells as the officer typed them, so that validating a draft
 * is running the same parser as `att import att-report` and gives the same messages (sheet, row, column, what to do).
 */
import { z } from '@hono/zod-openapi';
import { AttReportRowSchema, AttReportSchema, AttReportVisibilitySchema } from './att-report.js';
import { IngestIssueSchema } from './ingest.js';
import { ReportKindSchema, type ReportKind } from './reporting.js';
import { privateAccess, type Viewer } from './viewer.js';

/** A cell of the JSON template as typed: text, a number, yes/no, empty, or a list (bases, transit States). */
const CellSchema = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null(), z.array(z.string().max(10_000)).max(50)]);

/** An annual report draft: the JSON template document (title answers and the two tables), unvalidated cells. */
export const AnnualDraftContentSchema = z
  .object({
    format: z.literal('att-annual-report').optional(),
    formatVersion: z.literal(1).optional(),
    title: z.record(z.string().max(100), CellSchema),
    exports: z.array(z.record(z.string().max(100), CellSchema)).max(20_000),
    imports: z.array(z.record(z.string().max(100), CellSchema)).max(20_000),
  })
  .openapi('AnnualDraftContent');
export type AnnualDraftContent = z.infer<typeof AnnualDraftContentSchema>;

/**
 * An initial report (Art. 13(1): measures undertaken to implement the treaty) has no tables: whether it is public,
 * and a summary of the measures.
 */
export const InitialDraftContentSchema = z
  .object({
    reportVisibility: AttReportVisibilitySchema,
    summary: z.string().max(20_000),
  })
  .openapi('InitialDraftContent');
export type InitialDraftContent = z.infer<typeof InitialDraftContentSchema>;

export const DraftContentSchema = z.union([AnnualDraftContentSchema, InitialDraftContentSchema]).openapi('DraftContent');
export type DraftContent = z.infer<typeof DraftContentSchema>;

/** The deterministic id of a report (one per State, kind and covered year): `FRA-annual-2024`, `FRA-initial`. */
export function reportId(stateId: string, kind: ReportKind, coveredYear: number | null): string {
  return kind === 'initial' ? `${stateId}-initial` : `${stateId}-annual-${coveredYear}`;
}

/** An empty annual report for a State and year: the title page names them; both forms private until the State says. */
export function emptyAnnualContent(stateId: string, coveredYear: number): AnnualDraftContent {
  return {
    format: 'att-annual-report',
    formatVersion: 1,
    title: {
      reportingStateCode: stateId,
      coveredYear,
      exportsIncluded: true,
      importsIncluded: true,
      exportsNilReport: false,
      importsNilReport: false,
      // ATT Art. 13(3): the State chooses; nothing unstated is published.
      exportsVisibility: 'private',
      importsVisibility: 'private',
      exportsWithheldCommerciallySensitive: false,
      exportsWithheldNationalSecurity: false,
      importsWithheldCommerciallySensitive: false,
      importsWithheldNationalSecurity: false,
    },
    exports: [],
    imports: [],
  };
}

export const CreateDraftInputSchema = z
  .object({
    stateId: z.string().regex(/^[A-Z]{3}$/, 'expected the ISO3 code of a State, e.g. FRA'),
    kind: ReportKindSchema,
    /** Annual reports: the calendar year covered (Art. 13(3)). Initial reports: leave out. */
    coveredYear: z.number().int().min(2014).max(2100).optional(),
  })
  .openapi('CreateDraftInput');
export type CreateDraftInput = z.infer<typeof CreateDraftInputSchema>;

/** What the validation of a draft found: the parser's issues (errors block submission, warnings do not). */
export const DraftValidationSchema = z
  .object({
    valid: z.boolean().openapi({ description: 'no error: the draft can be submitted' }),
    errors: z.number().int(),
    warnings: z.number().int(),
    issues: z.array(IngestIssueSchema),
  })
  .openapi('DraftValidation');
export type DraftValidation = z.infer<typeof DraftValidationSchema>;

export const DraftSchema = z
  .object({
    id: z.string(),
    reportId: z.string(),
    stateId: z.string(),
    kind: ReportKindSchema,
    coveredYear: z.number().int().nullable(),
    /** The version this draft amends (null for a first version). */
    basedOnVersion: z.number().int().nullable(),
    content: DraftContentSchema,
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('Draft');
export type Draft = z.infer<typeof DraftSchema>;

/**
 * One submitted version. Immutable: the database refuses any change (triggers of migration 0007). `title` and `rows`
 * are what the parser read from `content` when it was submitted, kept so that history never depends on a later parser.
 */
export interface ReportVersion {
  reportId: string;
  stateId: string;
  kind: ReportKind;
  coveredYear: number | null;
  version: number;
  basedOnVersion: number | null;
  submittedAt: string;
  submittedBy: string;
  content: DraftContent;
  title: z.infer<typeof AttReportSchema> | null;
  rows: z.infer<typeof AttReportRowSchema>[];
  importRunId: number | null;
  registryEntryId: string;
}

/** What a viewer sees of one form of a version. */
export const VersionFormSchema = z
  .object({
    form: z.enum(['exports', 'imports']),
    included: z.boolean(),
    visibility: AttReportVisibilitySchema.nullable(),
    /** False when the viewer may not read the form (private, or a superseded version read by the public). */
    readable: z.boolean(),
    nilReport: z.boolean().nullable(),
    withheldCommerciallySensitive: z.boolean().nullable(),
    withheldNationalSecurity: z.boolean().nullable(),
  })
  .openapi('ReportVersionForm');

export const VersionSummarySchema = z
  .object({
    reportId: z.string(),
    stateId: z.string(),
    kind: ReportKindSchema,
    coveredYear: z.number().int().nullable(),
    version: z.number().int(),
    submittedAt: z.string(),
    /** `user:<id>`; null for viewers who may not read the State's private forms. */
    submittedBy: z.string().nullable(),
    basedOnVersion: z.number().int().nullable(),
    /** The later version that replaced it, or null for the current one. */
    supersededBy: z.number().int().nullable(),
    registryEntryId: z.string(),
    importRunId: z.number().int().nullable(),
    forms: z.array(VersionFormSchema),
    /** Initial reports: public or private. */
    reportVisibility: AttReportVisibilitySchema.nullable(),
  })
  .openapi('ReportVersionSummary');
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

export const VersionDetailSchema = VersionSummarySchema.extend({
  title: AttReportSchema.nullable(),
  /** Rows of the forms the viewer may read. */
  rows: z.array(AttReportRowSchema),
  /** Initial report summary, when readable. */
  summary: z.string().nullable(),
}).openapi('ReportVersionDetail');
export type VersionDetail = z.infer<typeof VersionDetailSchema>;

/**
 * Who may read and edit a State's drafts: its own officers, and the Secretariat (and admin, and the local operator),
 * which may act for any State. Everyone else is answered 404, as if the draft did not exist.
 */
export function canEditDrafts(viewer: Viewer, stateId: string): boolean {
  switch (viewer.kind) {
    case 'operator':
    case 'secretariat':
    case 'admin':
      return true;
    case 'state_officer':
      return viewer.stateId === stateId;
    default:
      return false;
  }
}

/** Whether the viewer may read a State's private forms (ATT Art. 13(3), `privateAccess`). */
export function canReadPrivate(viewer: Viewer, stateId: string): boolean {
  const access = privateAccess(viewer);
  return access.kind === 'all' || (access.kind === 'own-state' && access.stateId === stateId);
}

/**
 * A version as a viewer may see it. Rule (docs/data-model.md, "Reporting workflow"): the latest version decides what
 * is public. Readers of the State's private forms see every version in full; the public sees the public forms of the
 * current version only, and of a superseded version only that it existed and was replaced.
 */
export function visibleVersion(version: ReportVersion, supersededBy: number | null, viewer: Viewer): VersionDetail {
  const full = canReadPrivate(viewer, version.stateId);
  const formsOf = (name: 'exports' | 'imports') => {
    const form = version.title?.[name] ?? null;
    const readable = form !== null && (full || (supersededBy === null && form.visibility === 'public'));
    return {
      form: name,
      included: form !== null,
      visibility: form?.visibility ?? null,
      readable,
      nilReport: readable ? form!.nilReport : null,
      withheldCommerciallySensitive: readable ? form!.withheldCommerciallySensitive : null,
      withheldNationalSecurity: readable ? form!.withheldNationalSecurity : null,
    };
  };
  const forms = version.kind === 'annual' ? [formsOf('exports'), formsOf('imports')] : [];
  const readableForms = new Set(forms.filter((f) => f.readable).map((f) => f.form));
  const initial = version.kind === 'initial' ? (version.content as InitialDraftContent) : null;
  const initialReadable = initial !== null && (full || (supersededBy === null && initial.reportVisibility === 'public'));
  const title =
    version.title === null
      ? null
      : full
        ? version.title
        : {
            ...version.title,
            exports: readableForms.has('exports') ? version.title.exports : null,
            imports: readableForms.has('imports') ? version.title.imports : null,
            formsIncluded: version.title.formsIncluded.filter((f) => readableForms.has(f)),
            nationalDefinitions: readableForms.size > 0 ? version.title.nationalDefinitions : { export: null, import: null },
          };
  return {
    reportId: version.reportId,
    stateId: version.stateId,
    kind: version.kind,
    coveredYear: version.coveredYear,
    version: version.version,
    submittedAt: version.submittedAt,
    submittedBy: full ? version.submittedBy : null,
    basedOnVersion: version.basedOnVersion,
    supersededBy,
    registryEntryId: version.registryEntryId,
    importRunId: version.importRunId,
    forms,
    reportVisibility: initial?.reportVisibility ?? null,
    title,
    rows: version.rows.filter((row) => readableForms.has(row.form)),
    summary: initialReadable ? initial.summary : null,
  };
}
