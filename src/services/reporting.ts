/**
 * The State reporting workflow (ATT Art. 13): drafts filled by table forms or by uploading the template, validated
 * by the same parser as `att import att-report` (same messages), submitted as immutable versions whose rows are stored
 * exactly as an imported report file's (transfers with provenance, visibility per form, a registry entry), amended by
 * later versions. See docs/data-model.md ("Reporting workflow") for the rules.
 */
import path from 'node:path';
import type { ZodError } from 'zod';
import { parseAttReport, type ParsedAttReport } from '../ingest/att-report/parse-att-report.js';
import { attReportJsonDocument } from '../ingest/att-report/to-json-document.js';
import { writeAttReport } from '../ingest/att-report/write-template.js';
import type { AttReportFileFormat } from '../ingest/att-report/format.js';
import type { StateLookup } from '../ingest/framework.js';
import type { AlertEventInput } from '../model/alert-event.js';
import { actorOf } from '../model/account.js';
import { ATT_REPORT_FORMS, type AttReport } from '../model/att-report.js';
import type { Clock } from '../model/clock.js';
import { dateInTimeZone } from '../model/dates.js';
import { AppError } from '../model/errors.js';
import type { IngestIssue } from '../model/ingest.js';
import { recordedRegistryEntry, registryEntryFromAttReport, ReportRegistryEntrySchema } from '../model/report-registry.js';
import type { ReportingRules } from '../model/reporting.js';
import {
  AnnualDraftContentSchema,
  canEditDrafts,
  emptyAnnualContent,
  InitialDraftContentSchema,
  reportId,
  type AnnualDraftContent,
  type CreateDraftInput,
  type Draft,
  type DraftContent,
  type DraftValidation,
  type InitialDraftContent,
  type ReportVersion,
  type VersionDetail,
} from '../model/reporting-workflow.js';
import type { Transfer } from '../model/transfer.js';
import type { Viewer } from '../model/viewer.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import type { PreparedVersion, ReportingRepository, SubmitContext } from '../store/reporting-repository.js';
import { attReportLookup } from './import-file.js';

/** Uploads larger than this are refused before they are read (413): a filled template is far smaller. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface ReportingDeps {
  reporting: ReportingRepository;
  reference: ReferenceRepository;
  clock: Clock;
  rules: ReportingRules;
}

const FILE_TYPES: Record<AttReportFileFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface ExportedFile {
  bytes: Uint8Array;
  fileName: string;
  contentType: string;
}

function requireEditor(viewer: Viewer, stateId: string): void {
  if (viewer.kind === 'anonymous') {
    throw new AppError('unauthenticated', 'sign in to prepare a report', { hint: 'sign in with POST /v1/auth/login' });
  }
  if (!canEditDrafts(viewer, stateId)) {
    throw new AppError('forbidden', `only ${stateId}'s reporting officers and the Secretariat may prepare ${stateId}'s reports`, {
      hint: viewer.kind === 'state_officer' ? `you report for ${viewer.stateId}` : 'ask the Secretariat for a State officer invitation',
    });
  }
}

/** The parser run on a draft, as on a file named after the report: the same issues as `att import att-report`. */
async function parseAnnual(content: AnnualDraftContent, fileName: string, lookup: StateLookup, currentYear: number, extra: object = {}): Promise<ParsedAttReport> {
  const bytes = new TextEncoder().encode(JSON.stringify({ ...extra, ...content }));
  return parseAttReport(bytes, { fileName, format: 'json', lookup, currentYear });
}

/** Issues of the title page that names another State or year than the report being prepared. */
function wrongReportIssues(report: AttReport | null, expected: { stateId: string; coveredYear: number | null }, fileName: string): IngestIssue[] {
  if (!report) return [];
  const issues: IngestIssue[] = [];
  const issue = (column: string, value: string, message: string, hint: string): IngestIssue => ({
    file: fileName, sheet: 'title', row: null, column, value, code: 'wrong_report', severity: 'error', message: `sheet "title", column "${column}": ${message}; ${hint}`, hint,
  });
  if (report.reportingStateId !== expected.stateId) {
    issues.push(issue('reportingStateCode', report.reportingStateId, `the title page names ${report.reportingStateId}, but this is ${expected.stateId}'s report`, `write ${expected.stateId}, or start a draft for ${report.reportingStateId}`));
  }
  if (expected.coveredYear !== null && report.coveredYear !== expected.coveredYear) {
    issues.push(issue('coveredYear', String(report.coveredYear), `the title page covers ${report.coveredYear}, but this report covers ${expected.coveredYear}`, `write ${expected.coveredYear}, or start a draft for ${report.coveredYear}`));
  }
  return issues;
}

function validationOf(issues: readonly IngestIssue[]): DraftValidation {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { valid: errors === 0, errors, warnings: issues.length - errors, issues: [...issues] };
}

function draftFileName(draft: Pick<Draft, 'reportId'>): string {
  return `${draft.reportId}-draft.json`;
}

/** Validates a draft: annual reports through the ATT report parser, initial reports against their schema. */
export async function validateDraft(deps: ReportingDeps, draft: Draft, lookup?: StateLookup): Promise<DraftValidation> {
  if (draft.kind === 'initial') {
    const parsed = InitialDraftContentSchema.safeParse(draft.content);
    return validationOf(parsed.success ? [] : zodIssues(parsed.error, draftFileName(draft)));
  }
  const content = AnnualDraftContentSchema.safeParse(draft.content);
  if (!content.success) return validationOf(zodIssues(content.error, draftFileName(draft)));
  const fileName = draftFileName(draft);
  const parsed = await parseAnnual(content.data, fileName, lookup ?? (await attReportLookup(deps.reference)), deps.clock.now().getUTCFullYear());
  return validationOf([...parsed.result.issues, ...wrongReportIssues(parsed.report, draft, fileName)]);
}

function zodIssues(error: ZodError, fileName: string): IngestIssue[] {
  return error.issues.map((issue) => {
    const where = issue.path.join('.');
    return {
      file: fileName, sheet: null, row: null, column: where || null, value: null, code: 'wrong_shape', severity: 'error' as const,
      message: `${where ? `"${where}": ` : ''}${issue.message}; correct the draft`, hint: 'correct the draft',
    };
  });
}

/** Starts a draft: empty for a first version, a copy of the current version for an amendment. */
export async function createDraft(deps: ReportingDeps, viewer: Viewer, input: CreateDraftInput): Promise<Draft> {
  requireEditor(viewer, input.stateId);
  const snapshot = await deps.reference.snapshot(viewer);
  if (!snapshot.states.some((s) => s.id === input.stateId && s.kind === 'state')) {
    throw new AppError('validation', `"${input.stateId}" is not the ISO3 code of a State`, { location: { parameter: 'stateId', value: input.stateId }, hint: 'list valid codes at /v1/states' });
  }
  const coveredYear = input.kind === 'annual' ? (input.coveredYear ?? null) : null;
  if (input.kind === 'annual' && coveredYear === null) {
    throw new AppError('validation', 'an annual report covers a calendar year (ATT Art. 13(3))', { location: { parameter: 'coveredYear' }, hint: 'send coveredYear, e.g. 2024' });
  }
  if (coveredYear !== null && coveredYear >= deps.clock.now().getUTCFullYear() + 1) {
    throw new AppError('validation', `${coveredYear} has not begun yet: an annual report covers a past calendar year`, { location: { parameter: 'coveredYear', value: String(coveredYear) }, hint: 'choose a year that has ended' });
  }
  const id = reportId(input.stateId, input.kind, coveredYear);
  const latest = await deps.reporting.latestVersion(id);
  const content: DraftContent = latest
    ? amendmentContent(latest)
    : input.kind === 'annual'
      ? emptyAnnualContent(input.stateId, coveredYear!)
      : { reportVisibility: 'private', summary: '' };
  return deps.reporting.createDraft(
    { id, stateId: input.stateId, kind: input.kind, coveredYear },
    content,
    latest?.version ?? null,
    actorOf(viewer),
    deps.clock.now(),
  );
}

/** An amendment starts from what was submitted, without the submission date (the new version gets its own). */
function amendmentContent(version: ReportVersion): DraftContent {
  if (version.kind === 'initial') return version.content;
  const content = version.content as AnnualDraftContent;
  const { submittedOn: _submittedOn, ...title } = content.title;
  return { ...content, title };
}

async function draftOr404(deps: ReportingDeps, viewer: Viewer, id: string): Promise<Draft> {
  const draft = await deps.reporting.getDraft(viewer, id);
  if (!draft) {
    throw new AppError('not_found', `no draft "${id}"`, { location: { parameter: 'id', value: id }, hint: "list your State's drafts at /v1/reporting/drafts" });
  }
  return draft;
}

export async function readDraft(deps: ReportingDeps, viewer: Viewer, id: string): Promise<{ draft: Draft; validation: DraftValidation }> {
  const draft = await draftOr404(deps, viewer, id);
  return { draft, validation: await validateDraft(deps, draft) };
}

/** Saves the whole content of a draft (the table forms send it all) and validates it. */
export async function saveDraft(deps: ReportingDeps, viewer: Viewer, id: string, content: unknown): Promise<{ draft: Draft; validation: DraftValidation }> {
  const draft = await draftOr404(deps, viewer, id);
  const schema = draft.kind === 'annual' ? AnnualDraftContentSchema : InitialDraftContentSchema;
  const parsed = schema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('validation', `content.${issue.path.join('.')}: ${issue.message}`, {
      location: { parameter: 'content' },
      hint: draft.kind === 'annual' ? 'send the report as the JSON template: { title: {...}, exports: [...], imports: [...] }' : 'send { reportVisibility, summary }',
    });
  }
  const saved = await deps.reporting.updateDraft(viewer, id, parsed.data, actorOf(viewer), deps.clock.now());
  return { draft: saved, validation: await validateDraft(deps, saved) };
}

/**
 * Replaces an annual draft's content with an uploaded template file (XLSX, CSV or JSON). The file is read by the ATT
 * report parser first: a file it refuses changes nothing and the answer names the problem. The file name is only
 * used in messages, never as a path.
 */
export async function uploadToDraft(
  deps: ReportingDeps,
  viewer: Viewer,
  id: string,
  bytes: Uint8Array,
  givenName: string,
): Promise<{ draft: Draft; validation: DraftValidation; upload: DraftValidation }> {
  const draft = await draftOr404(deps, viewer, id);
  if (draft.kind !== 'annual') {
    throw new AppError('validation', 'an initial report has no template to upload', { hint: 'fill in the initial report in the form' });
  }
  if (bytes.length > MAX_UPLOAD_BYTES) throw tooLarge(bytes.length);
  const fileName = safeFileName(givenName);
  const lookup = await attReportLookup(deps.reference);
  const parsed = await parseAttReport(bytes, { fileName, lookup, currentYear: deps.clock.now().getUTCFullYear() });
  const upload = validationOf([...parsed.result.issues, ...wrongReportIssues(parsed.report, draft, fileName)]);
  const format = parsed.result.metadata.format as AttReportFileFormat | undefined;
  const document = parsed.report && format ? await attReportJsonDocument(bytes, format) : null;
  if (!document) {
    const first = upload.issues.find((i) => i.severity === 'error');
    throw new AppError('validation', `${fileName} was refused: ${first?.message ?? 'the file could not be read'}`, {
      location: { parameter: 'file', file: fileName },
      hint: first?.hint ?? 'upload the ATT report template as XLSX, CSV or JSON',
    });
  }
  const saved = await deps.reporting.updateDraft(viewer, id, document, actorOf(viewer), deps.clock.now());
  return { draft: saved, validation: await validateDraft(deps, saved, lookup), upload };
}

export function tooLarge(bytes: number): AppError {
  return new AppError('payload_too_large', `the upload has ${bytes} bytes, more than the limit of ${MAX_UPLOAD_BYTES} (10 MB)`, {
    location: { parameter: 'file' },
    hint: 'an annual report is far smaller: remove images and unused sheets, or upload it as CSV',
  });
}

/** A name for messages only: the last path segment, printable characters, at most 100 of them. */
export function safeFileName(name: string): string {
  const base = path.posix.basename(path.win32.basename(name || 'upload'));
  const clean = base.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 100).replace(/^\.+/, '');
  return clean || 'upload';
}

export async function discardDraft(deps: ReportingDeps, viewer: Viewer, id: string): Promise<void> {
  await deps.reporting.deleteDraft(viewer, id, actorOf(viewer), deps.clock.now());
}

/**
 * Submits a draft as the report's next version: refused (400, the first error with where and what to do) while the
 * draft has errors. Everything is written in one transaction by the repository.
 */
export async function submitDraft(
  deps: ReportingDeps,
  viewer: Viewer,
  id: string,
  hooks: { beforeCommit?: () => Promise<void> } = {},
): Promise<ReportVersion> {
  const draft = await draftOr404(deps, viewer, id);
  const lookup = await attReportLookup(deps.reference);
  const validation = await validateDraft(deps, draft, lookup);
  if (!validation.valid) throw invalidDraft(validation);
  const at = deps.clock.now();
  return deps.reporting.submit(viewer, id, actorOf(viewer), at, (context) => prepareVersion(deps, context, lookup, at), hooks);
}

function invalidDraft(validation: DraftValidation): AppError {
  const first = validation.issues.find((i) => i.severity === 'error')!;
  return new AppError('validation', `the draft has ${validation.errors} error${validation.errors === 1 ? '' : 's'}; the first: ${first.message}`, {
    location: { parameter: 'content', ...(first.sheet ? { sheet: first.sheet } : {}), ...(first.row !== null ? { row: first.row } : {}), ...(first.column ? { column: first.column } : {}) },
    hint: 'correct every error shown in the draft (GET the draft for the full list), then submit again',
  });
}

async function prepareVersion(deps: ReportingDeps, context: SubmitContext, lookup: StateLookup, at: Date): Promise<PreparedVersion> {
  const { report, draft, version, previous } = context;
  const submittedOn = dateInTimeZone(at, deps.rules.timeZone);
  const link = `/reports/${encodeURIComponent(report.id)}`;
  const what = report.kind === 'initial' ? `initial report` : `annual report on ${report.coveredYear}`;
  const versionText = version === 1 ? '' : ` (version ${version}, an amendment)`;

  if (report.kind === 'initial') {
    const content = InitialDraftContentSchema.parse(draft.content) as InitialDraftContent;
    const entry = ReportRegistryEntrySchema.parse({
      ...recordedRegistryEntry({ stateId: report.stateId, kind: version === 1 ? 'initial' : 'update', submittedOn, reportVisibility: content.reportVisibility, notes: `submitted in ATT Observatory as version ${version} of ${report.id}` }, at),
      id: `submission:${report.id}:v${version}`,
    });
    const publicReport = content.reportVisibility === 'public';
    const wasPublic = previous !== null && (previous.content as InitialDraftContent).reportVisibility === 'public';
    const alerts: AlertEventInput[] = [
      publicReport
        ? event('report_published', `${report.stateId} published its ${what}${versionText}`, `ATT Art. 13(1) initial report, public.`)
        : event('report_submitted_private', `${report.stateId} submitted its ${what}${versionText}: submitted, private`, 'Submitted, private (ATT Art. 13).'),
      ...(wasPublic && !publicReport ? [event('report_made_private', `${report.stateId} made its ${what} private${versionText}`, 'An amendment made a public report private.')] : []),
    ];
    return { content, title: null, rows: [], importToSave: null, registryEntry: () => entry, alerts };
  }

  const annual = AnnualDraftContentSchema.parse(draft.content);
  const content: AnnualDraftContent = { ...annual, title: { ...annual.title, submittedOn } };
  const fileName = `${report.id}-v${version}.json`;
  // The comment makes every version's bytes (and sha256) unique, as an import run is unique per file.
  const parsed = await parseAnnual(content, fileName, lookup, at.getUTCFullYear(), { $comment: `ATT Observatory: ${report.id}, version ${version}` });
  const issues = [...parsed.result.issues, ...wrongReportIssues(parsed.report, report, fileName)];
  const validation = validationOf(issues);
  if (!validation.valid || !parsed.report) throw invalidDraft(validation);
  const title = parsed.report;
  const { result, rows } = parsed;
  // ATT Art. 13(3): each form is public or private as the State chose (the same rule as importFile).
  const formOf = new Map(result.accepted.map((transfer, i) => [transfer, rows[i]?.form]));
  const visibilityOf = (transfer: Transfer): 'public' | 'private' => {
    const form = formOf.get(transfer);
    return form && title[form]?.visibility === 'public' ? 'public' : 'private';
  };
  result.metadata.reportingStateId = title.reportingStateId;
  result.metadata.coveredYear = String(title.coveredYear);
  result.metadata.reportId = report.id;
  result.metadata.reportVersion = String(version);

  const publicForms = ATT_REPORT_FORMS.filter((f) => title[f]?.visibility === 'public');
  const privateForms = ATT_REPORT_FORMS.filter((f) => title[f]?.visibility === 'private');
  const previousTitle = previous?.title ?? null;
  const madePrivate = ATT_REPORT_FORMS.filter((f) => previousTitle?.[f]?.visibility === 'public' && title[f]?.visibility !== 'public');
  const alerts: AlertEventInput[] = [];
  if (publicForms.length > 0) {
    alerts.push(event('report_published', `${report.stateId} published its ${what}${versionText}`, `Public forms: ${publicForms.join(' and ')}.`));
  }
  if (privateForms.length > 0) {
    // Public, but with no content at all: only that something was submitted and kept private (Art. 13(3)).
    alerts.push(event('report_submitted_private', `${report.stateId} submitted its ${what}${versionText}: ${privateForms.join(' and ')} submitted, private`, 'Submitted, private.'));
  }
  if (madePrivate.length > 0) {
    alerts.push(event('report_made_private', `${report.stateId} amended its ${what}: ${madePrivate.join(' and ')} no longer public`, 'An amendment made a public form private.'));
  }
  return {
    content,
    title,
    rows,
    importToSave: {
      parser: 'att-report-submission',
      source: result.source,
      fileName: result.fileName,
      fileSha256: result.fileSha256,
      fileBytes: JSON.stringify(content).length,
      importedAt: at,
      transfers: result.accepted,
      expectedTransfers: result.accepted.length,
      complete: () => ({ result, sourceRecords: [], tivTotals: [] }),
      visibilityOf,
    },
    registryEntry: (importRunId) =>
      registryEntryFromAttReport(title, importRunId, { recordedAt: at, kind: version === 1 ? 'annual' : 'update', notes: `submitted in ATT Observatory as version ${version} of ${report.id}` }),
    alerts,
  };

  function event(kind: AlertEventInput['kind'], title: string, summary: string): AlertEventInput {
    return { kind, at: at.toISOString(), stateId: report.stateId, subject: `report:${report.id}`, title, summary, link, audience: 'public' };
  }
}

/** A draft as the ATT template (XLSX, CSV or JSON), for its State's officers and the Secretariat. */
export async function exportDraft(deps: ReportingDeps, viewer: Viewer, id: string, format: AttReportFileFormat): Promise<ExportedFile> {
  const draft = await draftOr404(deps, viewer, id);
  if (draft.kind !== 'annual') throw noTemplate();
  const fileName = `${draft.reportId}-draft.${format}`;
  if (format === 'json') return { bytes: new TextEncoder().encode(JSON.stringify(draft.content, null, 2)), fileName, contentType: FILE_TYPES.json };
  const parsed = await parseAnnual(draft.content as AnnualDraftContent, draftFileName(draft), await attReportLookup(deps.reference), deps.clock.now().getUTCFullYear());
  if (!parsed.report || parsed.result.quarantined.length > 0) {
    throw new AppError('validation', `the draft has errors, so it cannot be written as ${format.toUpperCase()} without losing rows`, {
      hint: 'correct the errors first, or export it as JSON, which keeps every cell as typed',
    });
  }
  return { bytes: await writeAttReport(parsed.report, parsed.rows, format), fileName, contentType: FILE_TYPES[format] };
}

function noTemplate(): AppError {
  return new AppError('validation', 'an initial report has no ATT template to export', { hint: 'read it at /v1/reporting/reports/{reportId}' });
}

/** A version as the template, with only the forms the viewer may read (the public: public forms of the current version). */
export async function exportVersion(deps: ReportingDeps, viewer: Viewer, reportIdText: string, version: number, format: AttReportFileFormat): Promise<ExportedFile> {
  const detail = await versionOr404(deps, viewer, reportIdText, version);
  if (detail.kind !== 'annual' || detail.title === null) throw noTemplate();
  if (detail.title.formsIncluded.length === 0) {
    throw new AppError('not_found', `version ${version} of ${reportIdText} has no form you may read`, {
      location: { parameter: 'version' },
      hint: 'private forms (ATT Art. 13(3)) are for the State, the Secretariat and States Parties; superseded versions for them only',
    });
  }
  return { bytes: await writeAttReport(detail.title, detail.rows, format), fileName: `${reportIdText}-v${version}.${format}`, contentType: FILE_TYPES[format] };
}

export async function versionOr404(deps: ReportingDeps, viewer: Viewer, reportIdText: string, version: number): Promise<VersionDetail> {
  const detail = await deps.reporting.getVersion(viewer, reportIdText, version);
  if (!detail) {
    throw new AppError('not_found', `no version ${version} of report "${reportIdText}"`, { location: { parameter: 'version' }, hint: `list its versions at /v1/reporting/reports/${reportIdText}` });
  }
  return detail;
}
