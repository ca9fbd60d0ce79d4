import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { toCsv } from '../csv.js';
import { DEFAULT_DOWNLOAD_SETTINGS, SIPRI_CREDIT, toXlsx, XLSX_TYPE, type DownloadSettings } from '../downloads.js';
import { listEnvelope, listEnvelopeSchema, type Meta } from '../envelope.js';
import { ErrorBodySchema } from '../errors.js';
import { facetRows, pageRows, parseListQuery, type ListPage, type ListQuery, type ListSpec } from '../list-conventions.js';

/** What a list endpoint supplies; the conventions (filters, sort, paging, twins, envelope) are applied here once. */
export interface ListEndpoint<Row extends object, Extra extends Record<string, unknown>> {
  path: string;
  tag: string;
  summary: string;
  description?: string;
  row: z.ZodType<Row>;
  rowName: string;
  spec: ListSpec;
  /** Declared parameters beyond the field filters (documented in OpenAPI, validated with zod). */
  parameters?: z.ZodRawShape;
  extra?: z.ZodRawShape;
  /** CSV column order (default: the row's keys). */
  columns?: readonly string[];
  /** Rows held in memory: filtered, sorted and paged here. */
  load?(c: Context, query: ListQuery): Promise<{ rows: readonly Row[]; meta: Meta; extra?: Extra; columns?: readonly string[] }>;
  /**
   * Which rows derive from SIPRI's database: downloads (.csv, .xlsx) give them SIPRI's credit line in a `credit`
   * column, and a deployment with SIPRI downloads switched off (ATT_SIPRI_DOWNLOADS=off) leaves them out.
   */
  sipriRows?: (row: Row) => boolean;
  /** Rows filtered, sorted and paged by the store (large collections): one page, the total count and the facets. */
  loadPage?(c: Context, query: ListQuery): Promise<{ page: ListPage<Row>; facets?: Facets; meta: Meta; extra?: Extra }>;
}

/** `_facet` results: for each field, values with the number of rows matching the other filters. */
export type Facets = Record<string, { value: string | number | boolean | null; count: number }[]>;

const controlParameters = {
  _sort: z.string().optional().openapi({ description: 'field to sort by; prefix with - for descending' }),
  _size: z.string().optional().openapi({ description: 'page size, 1-1000 or "max" (default 100)' }),
  _next: z.string().optional().openapi({ description: 'opaque cursor from the previous page\'s "next"' }),
  _facet: z.union([z.string(), z.array(z.string())]).optional().openapi({ description: 'count rows by this field (repeat, or comma-separate, for several)' }),
};

/** Registers `path`, `path.json` and `path.csv` with the same filters. */
export function registerList<Row extends object, Extra extends Record<string, unknown>>(
  app: OpenAPIHono,
  endpoint: ListEndpoint<Row, Extra>,
  settings: DownloadSettings = DEFAULT_DOWNLOAD_SETTINGS,
): void {
  const filterParameters = Object.fromEntries(
    endpoint.spec.filterable.map((field) => [
      field,
      // Repeating a filter (`?exporterId=FRA&exporterId=DEU`) means "any of these".
      z
        .union([z.string(), z.array(z.string())])
        .optional()
        .openapi({ description: `exact match on ${field}; repeat for any of several values` }),
    ]),
  );
  const query = z.object({ ...filterParameters, ...(endpoint.parameters ?? {}), ...controlParameters });
  const envelope = listEnvelopeSchema(`${endpoint.rowName}List`, endpoint.row, endpoint.extra ?? {});

  for (const format of ['', '.json', '.csv', '.xlsx'] as const) {
    const route = createRoute({
      method: 'get',
      path: `${endpoint.path}${format}`,
      tags: [endpoint.tag],
      summary: format === '.csv' ? `${endpoint.summary} (CSV)` : format === '.xlsx' ? `${endpoint.summary} (Excel)` : endpoint.summary,
      ...(endpoint.description ? { description: endpoint.description } : {}),
      request: { query },
      responses: {
        200:
          format === '.csv'
            ? {
                description: 'the rows as CSV (same filters)',
                content: { 'text/csv': { schema: z.string() } },
              }
            : format === '.xlsx'
              ? {
                  description: 'the rows as an Excel workbook (sheet "data"; sheet "about": sources, licences, citation)',
                  content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
                }
              : { description: 'a page of rows', content: { 'application/json': { schema: envelope } } },
        400: { description: 'bad parameter', content: { 'application/json': { schema: ErrorBodySchema } } },
      },
    });
    app.openapi(route, async (c) => {
      const listQuery = parseListQuery(c.req.path, c.req.queries(), endpoint.spec);
      let page: ListPage<Row>;
      let meta: Meta;
      let extra: Extra | undefined;
      let columns: readonly string[] | undefined;
      let facets: Facets | undefined;
      if (endpoint.loadPage) {
        ({ page, meta, extra, facets } = await endpoint.loadPage(c, listQuery));
      } else {
        const loaded = await endpoint.load!(c, listQuery);
        ({ meta, extra, columns } = loaded);
        page = pageRows(loaded.rows, listQuery);
        if (listQuery.facets.length > 0) facets = facetRows(loaded.rows, listQuery);
      }
      const fullMeta = { ...meta, notices: [...meta.notices, ...listQuery.notices] };
      if (format === '.csv' || format === '.xlsx') {
        const download = downloadRows(page.rows, endpoint.sipriRows, settings.sipriDownloads);
        const citation = fullMeta.sources
          .map((s) => `${s.source} (${s.licence}${s.asAt ? `, as at ${s.asAt}` : ''})`)
          .join('; ');
        const baseColumns = columns ?? endpoint.columns ?? (page.rows[0] ? Object.keys(page.rows[0]) : schemaKeys(endpoint.row));
        const allColumns = endpoint.sipriRows ? [...baseColumns, 'credit'] : baseColumns;
        const name = endpoint.path.split('/').filter(Boolean).join('-');
        const headers = {
          'x-att-sources': encodeURIComponent(citation),
          ...(download.withheld > 0 ? { 'x-att-notice': encodeURIComponent(`${download.withheld} SIPRI-derived rows are not downloadable from this deployment`) } : {}),
          // What the JSON answer says in meta.notices (a selection standing in for the database, another release ...).
          ...(fullMeta.notices.length > 0 ? { 'x-att-notices': encodeURIComponent(fullMeta.notices.join(' | ')) } : {}),
          ...(page.next ? { link: `<${nextLink(c.req.url, page.next)}>; rel="next"` } : {}),
        };
        if (format === '.csv') {
          return c.body(toCsv(download.rows, allColumns), 200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${name}.csv"`,
            ...headers,
          }) as never;
        }
        const workbook = await toXlsx(download.rows, allColumns, {
          title: endpoint.summary,
          url: new URL(c.req.url).pathname + new URL(c.req.url).search,
          meta: fullMeta,
          withheld: download.withheld,
        });
        return c.body(workbook as unknown as ArrayBuffer, 200, {
          'content-type': XLSX_TYPE,
          'content-disposition': `attachment; filename="${name}.xlsx"`,
          ...headers,
        }) as never;
      }
      return c.json({ ...listEnvelope(page, c.req.url, fullMeta), ...(facets ? { facets } : {}), ...(extra ?? {}) }, 200) as never;
    });
  }
}

/** Rows of a download: SIPRI-derived rows carry SIPRI's credit line, or are left out where downloads are off. */
function downloadRows<Row extends object>(
  rows: readonly Row[],
  isSipri: ((row: Row) => boolean) | undefined,
  sipriDownloads: boolean,
): { rows: Record<string, unknown>[]; withheld: number } {
  if (!isSipri) return { rows: rows as Record<string, unknown>[], withheld: 0 };
  const kept = rows.filter((row) => sipriDownloads || !isSipri(row));
  return {
    rows: kept.map((row) => ({ ...(row as Record<string, unknown>), credit: isSipri(row) ? SIPRI_CREDIT : '' })),
    withheld: rows.length - kept.length,
  };
}

function nextLink(requestUrl: string, cursor: string): string {
  const url = new URL(requestUrl);
  url.searchParams.set('_next', cursor);
  return `${url.pathname}${url.search}`;
}

/** The named fields of a row schema: the header of a download with no rows still says what its columns are. */
function schemaKeys(row: z.ZodType): string[] {
  return row instanceof z.ZodObject ? Object.keys(row.shape) : [];
}
