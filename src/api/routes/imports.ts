import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { issueText } from '../../analysis/issue-text.js';
import { AppError } from '../../model/errors.js';
import { IngestIssueSchema } from '../../model/ingest.js';
import type { AppDeps } from '../app.js';
import { singleEnvelopeSchema, type Meta } from '../envelope.js';
import { ErrorBodySchema } from '../errors.js';
import { registerList } from './list-route.js';

export const ImportRunSchema = z
  .object({
    id: z.number().int(),
    source: z.string().openapi({ example: 'sipri' }),
    parser: z.string().openapi({ example: 'sipri-delivery-rows' }),
    fileName: z.string(),
    fileSha256: z.string(),
    fileBytes: z.number().int(),
    importedAt: z.string(),
    rowsRead: z.number().int(),
    accepted: z.number().int(),
    quarantined: z.number().int(),
    blank: z.number().int().openapi({ description: 'rowsRead = accepted + quarantined + blank, checked on every import' }),
    refused: z.boolean().openapi({ description: 'the whole file was refused; fileIssues say why' }),
    metadata: z.record(z.string(), z.string()),
    stats: z.record(z.string(), z.number()),
    fileIssues: z.array(IngestIssueSchema),
  })
  .openapi('ImportRun');

export const QuarantineEntrySchema = z
  .object({
    importRunId: z.number().int(),
    fileName: z.string(),
    row: z.number().int(),
    sheet: z.string().nullable(),
    codes: z.array(z.string()),
    messages: z.array(z.string()).openapi({ description: 'each issue with its column and what to do' }),
    raw: z.union([z.record(z.string(), z.string()), z.array(z.string())]),
  })
  .openapi('QuarantineEntry');

function importsMeta(): Meta {
  return {
    sources: [
      {
        dataset: 'imports',
        source: 'files imported into this instance by its operators (see each run for the file and its sha256)',
        licence: 'each source keeps its own licence (SIPRI: non-commercial, cite "Information from the SIPRI Arms Transfers Database")',
        asAt: null,
      },
    ],
    retrievedAt: new Date(0).toISOString(),
    notices: [],
  };
}

export function registerImportRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const imports = deps.imports;
  if (!imports) return;

  registerList(app, {
    path: '/v1/imports',
    tag: 'Imports',
    summary: 'Import runs: which file, when, and how every row was accounted for (accepted, quarantined, blank)',
    row: ImportRunSchema.omit({ fileIssues: true, metadata: true, stats: true }),
    rowName: 'ImportRunSummary',
    spec: {
      filterable: ['source', 'parser', 'fileSha256'],
      sortable: ['id', 'importedAt', 'source'],
      defaultSort: '-id',
    },
    async load(c) {
      const runs = await imports.list(c.get('viewer'));
      const rows = runs.map(({ fileIssues: _f, metadata: _m, stats: _s, ...summary }) => summary);
      return { rows, meta: { ...importsMeta(), retrievedAt: latest(runs.map((r) => r.importedAt)) } };
    },
  });

  const route = createRoute({
    method: 'get',
    path: '/v1/imports/{id}',
    tags: ['Imports'],
    summary: 'One import run with its source metadata, statistics and file-level issues',
    request: { params: z.object({ id: z.string().regex(/^\d+$/, 'expected an import run id such as 3') }) },
    responses: {
      200: { description: 'the run', content: { 'application/json': { schema: singleEnvelopeSchema('ImportRunResponse', ImportRunSchema) } } },
      400: { description: 'malformed id', content: { 'application/json': { schema: ErrorBodySchema } } },
      404: { description: 'no such run', content: { 'application/json': { schema: ErrorBodySchema } } },
    },
  });
  app.openapi(route, async (c) => {
    const id = Number(c.req.valid('param').id);
    const run = await imports.get(c.get('viewer'), id);
    if (!run) {
      throw new AppError('not_found', `no import run ${id}`, { location: { parameter: 'id' }, hint: 'list the runs at /v1/imports' });
    }
    return c.json({ data: run, meta: { ...importsMeta(), retrievedAt: run.importedAt } }, 200) as never;
  });

  registerList(app, {
    path: '/v1/quarantine',
    tag: 'Imports',
    summary: 'Rows that were not accepted, each with its issues (file, row, column, what to do)',
    row: QuarantineEntrySchema,
    rowName: 'QuarantineEntry',
    spec: {
      filterable: ['importRunId', 'fileName', 'sheet'],
      sortable: ['importRunId', 'row'],
      defaultSort: 'importRunId',
      parameters: ['code'],
    },
    parameters: { code: z.string().optional().openapi({ description: 'only rows with this issue code, e.g. unknown_state' }) },
    async load(c, query) {
      const code = query.parameters.get('code');
      const entries = await imports.quarantine(c.get('viewer'));
      const rows = entries
        .filter((e) => code === undefined || e.codes.includes(code))
        .map((e) => ({
          importRunId: e.importRunId,
          fileName: e.fileName,
          row: e.row,
          sheet: e.sheet,
          codes: e.codes,
          messages: e.issues.map((i) => issueText(i, { file: false })),
          raw: e.raw,
        }));
      return { rows, meta: importsMeta() };
    },
  });
}

function latest(dates: string[]): string {
  return dates.reduce((a, b) => (a > b ? a : b), new Date(0).toISOString());
}
