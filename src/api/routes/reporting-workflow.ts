import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../model/errors.js';
import {
  CreateDraftInputSchema,
  DraftSchema,
  DraftValidationSchema,
  VersionDetailSchema,
  VersionSummarySchema,
} from '../../model/reporting-workflow.js';
import { ReportKindSchema } from '../../model/reporting.js';
import {
  createDraft,
  discardDraft,
  exportDraft,
  exportVersion,
  MAX_UPLOAD_BYTES,
  readDraft,
  saveDraft,
  submitDraft,
  tooLarge,
  uploadToDraft,
  versionOr404,
  type ExportedFile,
  type ReportingDeps,
} from '../../services/reporting.js';
import type { ReportingRepository } from '../../store/reporting-repository.js';
import type { AppDeps } from '../app.js';
import { requireSignedIn } from '../auth/guards.js';
import { singleEnvelopeSchema, type Meta } from '../envelope.js';
import { errorResponse } from './access.js';
import { registerList } from './list-route.js';

const error = errorResponse;
const DRAFT_ACCESS =
  "Signed-in State officers of the draft's State, the Secretariat and admins only; anyone else gets 404 as for a missing draft. Writes with a session need the x-csrf-token header; every write is audited.";
const VERSION_ACCESS =
  "Public. ATT Art. 13(3): private forms only for the State's officers, the Secretariat and States Parties' officers; the public reads the public forms of the current version only (a superseded version shows only that it was replaced).";
const ReportIdParam = z.string().regex(/^[A-Z]{3}-(initial|annual-\d{4})$/, 'expected a report id such as FRA-annual-2024 or FRA-initial');
const FormatQuery = z.object({ format: z.enum(['xlsx', 'csv', 'json']).default('xlsx').openapi({ description: 'the template file format' }) });

function workflowMeta(retrievedAt: Date): Meta {
  return {
    sources: [{ dataset: 'att-reports', source: "reports submitted by States' reporting officers in ATT Observatory (ATT Art. 13)", licence: 'facts reported by States; public forms may be reused with attribution to the reporting State', asAt: null }],
    retrievedAt: retrievedAt.toISOString(),
    notices: [],
  };
}

function file(c: Context, exported: ExportedFile): Response {
  c.header('Content-Type', exported.contentType);
  c.header('Content-Disposition', `attachment; filename="${exported.fileName}"`);
  return c.body(exported.bytes as Uint8Array<ArrayBuffer>);
}

/** The reporting workflow's endpoints (drafts, submission, versions, exports); absent without the repository. */
export function registerReportingWorkflowRoutes(app: OpenAPIHono, deps: AppDeps & { reportingWorkflow?: ReportingRepository }): void {
  const reporting = deps.reportingWorkflow;
  if (!reporting) return;
  const service: ReportingDeps = { reporting, reference: deps.reference, clock: deps.clock, rules: deps.reporting };
  const meta = () => workflowMeta(deps.clock.now());

  registerList(app, {
    path: '/v1/reporting/reports',
    tag: 'Reporting workflow',
    summary: 'Reports submitted (or being prepared) in ATT Observatory, with their number of versions',
    description: `${VERSION_ACCESS} Drafts are counted only for the State's officers and the Secretariat.`,
    row: z.object({ id: z.string(), stateId: z.string(), kind: ReportKindSchema, coveredYear: z.number().int().nullable(), versions: z.number().int(), drafts: z.number().int() }),
    rowName: 'WorkflowReport',
    spec: { filterable: ['stateId', 'kind', 'coveredYear'], sortable: ['stateId', 'coveredYear', 'id'], defaultSort: 'stateId' },
    async load(c) {
      return { rows: await reporting.listReports(c.get('viewer')), meta: meta() };
    },
  });

  const report = createRoute({
    method: 'get',
    path: '/v1/reporting/reports/{reportId}',
    tags: ['Reporting workflow'],
    summary: "One report's version history (and, for those who may edit it, its open drafts)",
    description: VERSION_ACCESS,
    request: { params: z.object({ reportId: ReportIdParam }) },
    responses: {
      200: {
        description: 'the history',
        content: { 'application/json': { schema: singleEnvelopeSchema('WorkflowReportResponse', z.object({ reportId: z.string(), versions: z.array(VersionSummarySchema), drafts: z.array(DraftSchema.omit({ content: true })) })) } },
      },
      400: error('malformed id'),
      404: error('no such report (or only drafts the viewer may not see)'),
    },
  });
  app.openapi(report, async (c) => {
    const { reportId } = c.req.valid('param');
    const viewer = c.get('viewer');
    const [versions, drafts] = await Promise.all([reporting.listVersions(viewer, { reportId }), reporting.listDrafts(viewer, { reportId })]);
    if (versions.length === 0 && drafts.length === 0) {
      throw new AppError('not_found', `no report "${reportId}"`, { location: { parameter: 'reportId', value: reportId }, hint: 'list reports at /v1/reporting/reports' });
    }
    const summaries = versions.map(({ title: _t, rows: _r, summary: _s, ...rest }) => rest);
    return c.json({ data: { reportId, versions: summaries, drafts: drafts.map(({ content: _c, ...rest }) => rest) }, meta: meta() }, 200) as never;
  });

  const versionParams = z.object({ reportId: ReportIdParam, version: z.string().regex(/^[1-9]\d{0,5}$/, 'expected a version number such as 1') });
  const version = createRoute({
    method: 'get',
    path: '/v1/reporting/reports/{reportId}/versions/{version}',
    tags: ['Reporting workflow'],
    summary: 'One submitted version: title page and rows of the forms the viewer may read',
    description: VERSION_ACCESS,
    request: { params: versionParams },
    responses: {
      200: { description: 'the version', content: { 'application/json': { schema: singleEnvelopeSchema('ReportVersionResponse', VersionDetailSchema) } } },
      400: error('malformed id or version'),
      404: error('no such version'),
    },
  });
  app.openapi(version, async (c) => {
    const p = c.req.valid('param');
    const detail = await versionOr404(service, c.get('viewer'), p.reportId, Number(p.version));
    return c.json({ data: detail, meta: meta() }, 200) as never;
  });

  const versionExport = createRoute({
    method: 'get',
    path: '/v1/reporting/reports/{reportId}/versions/{version}/export',
    tags: ['Reporting workflow'],
    summary: 'One version as the ATT report template (XLSX, CSV or JSON), with only the forms the viewer may read',
    description: VERSION_ACCESS,
    request: { params: versionParams, query: FormatQuery },
    responses: {
      200: { description: 'the template file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
      400: error('bad parameter'),
      404: error('no such version, or no form the viewer may read'),
    },
  });
  app.openapi(versionExport, async (c) => {
    const p = c.req.valid('param');
    return file(c, await exportVersion(service, c.get('viewer'), p.reportId, Number(p.version), c.req.valid('query').format)) as never;
  });

  const drafts = createRoute({
    method: 'get',
    path: '/v1/reporting/drafts',
    tags: ['Reporting workflow'],
    summary: "Drafts the viewer may edit: an officer's own State's, every State's for the Secretariat",
    description: `${DRAFT_ACCESS} Anonymous: 401. Researchers: an empty list.`,
    request: { query: z.object({ stateId: z.string().regex(/^[A-Z]{3}$/).optional() }) },
    responses: {
      200: { description: 'the drafts (without content)', content: { 'application/json': { schema: singleEnvelopeSchema('DraftList', z.array(DraftSchema.omit({ content: true }))) } } },
      401: error('not signed in'),
    },
  });
  app.openapi(drafts, async (c) => {
    const viewer = requireSignedIn(c.get('viewer'), 'see drafts');
    const stateId = c.req.valid('query').stateId;
    const list = await reporting.listDrafts(viewer, stateId ? { stateId } : {});
    return c.json({ data: list.map(({ content: _c, ...rest }) => rest), meta: meta() }, 200) as never;
  });

  const create = createRoute({
    method: 'post',
    path: '/v1/reporting/drafts',
    tags: ['Reporting workflow'],
    summary: 'Start a draft: an empty annual (covered year) or initial report, or an amendment of the current version',
    description: `${DRAFT_ACCESS} An officer may start drafts for their own State only (403 otherwise).`,
    request: { body: { content: { 'application/json': { schema: CreateDraftInputSchema } } } },
    responses: {
      201: { description: 'the draft', content: { 'application/json': { schema: z.object({ data: DraftSchema }) } } },
      400: error('bad input'),
      401: error('not signed in'),
      403: error('not an officer of that State nor the Secretariat'),
    },
  });
  app.openapi(create, async (c) => {
    const draft = await createDraft(service, c.get('viewer'), c.req.valid('json'));
    return c.json({ data: draft }, 201) as never;
  });

  const draftParams = z.object({ id: z.string().uuid('expected a draft id') });
  const draftResponse = singleEnvelopeSchema('DraftResponse', z.object({ draft: DraftSchema, validation: DraftValidationSchema }));
  const getDraft = createRoute({
    method: 'get',
    path: '/v1/reporting/drafts/{id}',
    tags: ['Reporting workflow'],
    summary: 'One draft with its validation: the issues the ATT report parser finds (sheet, row, column, what to do)',
    description: DRAFT_ACCESS,
    request: { params: draftParams },
    responses: { 200: { description: 'the draft', content: { 'application/json': { schema: draftResponse } } }, 400: error('malformed id'), 404: error('no such draft') },
  });
  app.openapi(getDraft, async (c) => c.json({ data: await readDraft(service, c.get('viewer'), c.req.valid('param').id), meta: meta() }, 200) as never);

  const putDraft = createRoute({
    method: 'put',
    path: '/v1/reporting/drafts/{id}',
    tags: ['Reporting workflow'],
    summary: "Save a draft's whole content (annual: the JSON template, title + exports + imports) and validate it",
    description: DRAFT_ACCESS,
    request: { params: draftParams, body: { content: { 'application/json': { schema: z.object({ content: z.unknown() }) } } } },
    responses: { 200: { description: 'saved, with its validation', content: { 'application/json': { schema: draftResponse } } }, 400: error('bad content'), 404: error('no such draft') },
  });
  app.openapi(putDraft, async (c) => {
    const body = c.req.valid('json');
    return c.json({ data: await saveDraft(service, c.get('viewer'), c.req.valid('param').id, body.content), meta: meta() }, 200) as never;
  });

  const deleteDraft = createRoute({
    method: 'delete',
    path: '/v1/reporting/drafts/{id}',
    tags: ['Reporting workflow'],
    summary: 'Discard a draft',
    description: DRAFT_ACCESS,
    request: { params: draftParams },
    responses: { 204: { description: 'discarded' }, 404: error('no such draft') },
  });
  app.openapi(deleteDraft, async (c) => {
    await discardDraft(service, c.get('viewer'), c.req.valid('param').id);
    return c.body(null, 204) as never;
  });

  // Refused before it is read when larger than the limit: Content-Length first, then while streaming.
  app.use(
    '/v1/reporting/drafts/:id/upload',
    bodyLimit({
      // A multipart body carries a few hundred bytes of framing around the file.
      maxSize: MAX_UPLOAD_BYTES + 64 * 1024,
      onError: () => {
        throw tooLarge(MAX_UPLOAD_BYTES + 1);
      },
    }),
  );
  const upload = createRoute({
    method: 'post',
    path: '/v1/reporting/drafts/{id}/upload',
    tags: ['Reporting workflow'],
    summary: "Replace a draft's content with a filled ATT report template (XLSX, CSV or JSON; multipart field `file`, at most 10 MB)",
    description: `${DRAFT_ACCESS} A file the parser refuses changes nothing (400 naming the problem); larger than 10 MB: 413.`,
    request: {
      params: draftParams,
      body: { content: { 'multipart/form-data': { schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }) } } },
    },
    responses: {
      200: { description: 'replaced; `upload` has the file\'s own issues (its rows and lines), `validation` the draft\'s', content: { 'application/json': { schema: singleEnvelopeSchema('DraftUploadResponse', z.object({ draft: DraftSchema, validation: DraftValidationSchema, upload: DraftValidationSchema })) } } },
      400: error('refused file'),
      404: error('no such draft'),
      413: error('larger than 10 MB'),
    },
  });
  app.openapi(upload, async (c) => {
    const form = c.req.valid('form') as { file?: unknown };
    const given = form.file;
    if (!(given instanceof Blob)) {
      throw new AppError('validation', 'no file in the upload', { location: { parameter: 'file' }, hint: 'send the template as the multipart/form-data field "file"' });
    }
    if (given.size > MAX_UPLOAD_BYTES) throw tooLarge(given.size);
    const name = given instanceof File ? given.name : 'upload';
    const data = await uploadToDraft(service, c.get('viewer'), c.req.valid('param').id, new Uint8Array(await given.arrayBuffer()), name);
    return c.json({ data, meta: meta() }, 200) as never;
  });

  const submit = createRoute({
    method: 'post',
    path: '/v1/reporting/drafts/{id}/submit',
    tags: ['Reporting workflow'],
    summary: 'Submit a draft as the next immutable version (1, 2, ...): its rows become transfers and the registry gets its entry',
    description: `${DRAFT_ACCESS} Refused (400, the first error) while the draft has errors. One transaction: all of it or nothing.`,
    request: { params: draftParams },
    responses: {
      201: { description: 'the new version', content: { 'application/json': { schema: singleEnvelopeSchema('SubmittedVersion', VersionDetailSchema) } } },
      400: error('the draft has errors'),
      404: error('no such draft'),
    },
  });
  app.openapi(submit, async (c) => {
    const viewer = c.get('viewer');
    const stored = await submitDraft(service, viewer, c.req.valid('param').id);
    return c.json({ data: await versionOr404(service, viewer, stored.reportId, stored.version), meta: meta() }, 201) as never;
  });

  const draftExport = createRoute({
    method: 'get',
    path: '/v1/reporting/drafts/{id}/export',
    tags: ['Reporting workflow'],
    summary: 'A draft as the ATT report template (XLSX, CSV or JSON)',
    description: DRAFT_ACCESS,
    request: { params: draftParams, query: FormatQuery },
    responses: {
      200: { description: 'the template file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
      400: error('the draft has errors (XLSX/CSV)'),
      404: error('no such draft'),
    },
  });
  app.openapi(draftExport, async (c) => file(c, await exportDraft(service, c.get('viewer'), c.req.valid('param').id, c.req.valid('query').format)) as never);
}
