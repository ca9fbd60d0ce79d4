import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { treatyStatusAsOf } from '../../analysis/treaty-status.js';
import { dateInTimeZone } from '../../model/dates.js';
import { AppError } from '../../model/errors.js';
import { ANONYMOUS } from '../../model/viewer.js';
import type { AppDeps } from '../app.js';
import { toCsv } from '../csv.js';
import { SIPRI_CREDIT } from '../downloads.js';
import { ErrorBodySchema } from '../errors.js';

interface BulkDataset {
  name: string;
  title: string;
  licence: string;
  rows(): Promise<Record<string, unknown>[]>;
}

const CITATION = 'ATT Observatory (open data on the Arms Trade Treaty)';

/**
 * Whole datasets in one file, each with a metadata document (title, licence, citation, columns, row count). SIPRI-
 * derived rows carry SIPRI's credit line; with ATT_SIPRI_DOWNLOADS=off they are left out of the bulk export.
 */
export function registerBulkRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const sipriAllowed = deps.downloads?.sipriDownloads ?? true;
  // Bulk files are the public open-data downloads: built as the anonymous viewer whoever asks (private forms never
  // enter a public file, and the files are cached by URL).
  const datasets: BulkDataset[] = [
    {
      name: 'states',
      title: 'States crosswalk: ISO codes, M49 regions, UN regional groups',
      licence: 'facts compiled by this project; ISO/M49 codes via MIT-licensed packages',
      rows: async () => (await deps.reference.snapshot(ANONYMOUS)).states,
    },
    {
      name: 'treaty-status',
      title: "Each State's ATT status today, with signature, deposit and entry-into-force dates",
      licence: 'facts from the UN depositary (treaties.un.org), cited',
      rows: async () => {
        const snapshot = await deps.reference.snapshot(ANONYMOUS);
        return treatyStatusAsOf(snapshot.states, snapshot.treatyRecords, dateInTimeZone(deps.clock.now(), 'UTC')).states;
      },
    },
    {
      name: 'embargoes',
      title: 'UN and EU arms embargo episodes',
      licence: 'facts compiled by this project from UN Security Council resolutions and EU Council decisions',
      rows: async () => (await deps.reference.snapshot(ANONYMOUS)).embargoes,
    },
    ...(deps.transfers && deps.imports
      ? [
          {
            name: 'transfers',
            title: 'Transfers in the default scope (one SIPRI release and every other imported source), with provenance',
            licence: sipriAllowed ? `each row's source; SIPRI rows: ${SIPRI_CREDIT}` : "each row's source (SIPRI rows are not exported from this deployment)",
            rows: async () => {
              const out: Record<string, unknown>[] = [];
              for (const runId of await deps.transfers!.defaultScope(ANONYMOUS)) {
                for (const t of await deps.imports!.transfersWithIds(ANONYMOUS, runId)) {
                  if (t.record.source === 'sipri' && !sipriAllowed) continue;
                  out.push({ id: t.id, importRunId: runId, ...t.record, credit: t.record.source === 'sipri' ? SIPRI_CREDIT : '' });
                }
              }
              return out;
            },
          },
        ]
      : []),
    ...(deps.registry
      ? [
          {
            name: 'reports',
            title: 'The report registry (private forms shown only as submitted and private)',
            licence: 'facts compiled by this project',
            rows: async () => deps.registry!.list(ANONYMOUS) as unknown as Promise<Record<string, unknown>[]>,
          },
        ]
      : []),
  ];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/bulk',
      tags: ['Downloads'],
      summary: 'Bulk downloads: every dataset in one file, with metadata and a citation line',
      responses: { 200: { description: 'the datasets', content: { 'application/json': { schema: z.object({ datasets: z.array(z.object({ name: z.string(), title: z.string(), licence: z.string(), csv: z.string(), json: z.string(), metadata: z.string() })) }) } } } },
    }),
    (c) =>
      c.json(
        { datasets: datasets.map((d) => ({ name: d.name, title: d.title, licence: d.licence, csv: `/v1/bulk/${d.name}.csv`, json: `/v1/bulk/${d.name}.json`, metadata: `/v1/bulk/${d.name}.metadata.json` })) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/bulk/{file}',
      tags: ['Downloads'],
      summary: 'One dataset as CSV, JSON, or its metadata document ({name}.csv, {name}.json, {name}.metadata.json)',
      request: { params: z.object({ file: z.string().regex(/^[a-z-]+\.(csv|json|metadata\.json)$/, 'expected e.g. transfers.csv') }) },
      responses: {
        200: { description: 'the file', content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.unknown() } } },
        400: { description: 'bad name', content: { 'application/json': { schema: ErrorBodySchema } } },
        404: { description: 'no such dataset', content: { 'application/json': { schema: ErrorBodySchema } } },
      },
    }),
    async (c) => {
      const file = c.req.valid('param').file;
      const [, name, format] = /^([a-z-]+)\.(csv|json|metadata\.json)$/.exec(file)!;
      const dataset = datasets.find((d) => d.name === name);
      if (!dataset) throw new AppError('not_found', `no bulk dataset "${name}"`, { location: { parameter: 'file', value: file }, hint: 'the datasets are listed at /v1/bulk' });
      const rows = await dataset.rows();
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      const metadata = {
        name: dataset.name,
        title: dataset.title,
        licence: dataset.licence,
        rows: rows.length,
        columns,
        generatedAt: deps.clock.now().toISOString(),
        citation: `${CITATION}, "${dataset.title}", ${new URL(c.req.url).origin}/v1/bulk/${dataset.name}.csv, retrieved ${deps.clock.now().toISOString().slice(0, 10)}`,
        notes: ['Missing values are empty, never zero.', 'TIV (SIPRI trend-indicator value) is a volume index in millions, not money.'],
      };
      if (format === 'metadata.json') return c.json(metadata, 200) as never;
      const headers = { 'content-disposition': `attachment; filename="att-observatory-${dataset.name}.${format}"`, 'x-att-citation': encodeURIComponent(metadata.citation) };
      if (format === 'json') return c.json({ metadata, rows }, 200, headers) as never;
      return c.body(toCsv(rows, columns), 200, { 'content-type': 'text/csv; charset=utf-8', ...headers }) as never;
    },
  );
}
