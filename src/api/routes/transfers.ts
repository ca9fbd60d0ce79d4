import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../model/errors.js';
import { TransferSchema } from '../../model/transfer.js';
import { TRANSFER_COLUMNS, type TransferField, type TransferRepository } from '../../store/transfer-repository.js';
import type { AppDeps } from '../app.js';
import { nextCursor } from '../list-conventions.js';
import { registerList } from './list-route.js';

const FILTERABLE: TransferField[] = ['source', 'exporterId', 'importerId', 'year', 'categoryScheme', 'categoryCode', 'basis', 'importRunId', 'currency'];
const SORTABLE: TransferField[] = ['id', 'year', 'exporterId', 'importerId', 'tivDelivered', 'numberOfItems', 'value', 'orderYear'];
const FACETABLE: TransferField[] = ['source', 'exporterId', 'importerId', 'year', 'categoryScheme', 'categoryCode', 'basis', 'importRunId'];

const TransferRowSchema = TransferSchema.extend({ id: z.number().int(), importRunId: z.number().int() }).openapi('TransferRow');

const SIPRI_TERMS = 'SIPRI rows: non-commercial use; cite "Information from the SIPRI Arms Transfers Database"';

export function registerTransferRoutes(app: OpenAPIHono, deps: AppDeps & { transfers?: TransferRepository }): void {
  const transfers = deps.transfers;
  if (!transfers) return;
  registerList(app, {
    path: '/v1/transfers',
    tag: 'Transfers',
    summary: 'Transfers from every imported source, each with its provenance (file, row, import run)',
    description:
      'Without `importRunId`, the rows come from one SIPRI trade register import (the widest selection) and every import of other ' +
      'sources, so that two SIPRI releases are never added up (`summary.scope` lists the runs). Missing values are ' +
      'null with a reason, never zero. TIV is a volume index, not money.',
    row: TransferRowSchema,
    sipriRows: (row) => row.source === 'sipri',
    rowName: 'TransferRow',
    spec: { filterable: FILTERABLE, sortable: SORTABLE, defaultSort: 'id', facetable: FACETABLE, parameters: ['from', 'to'] },
    parameters: {
      from: z.string().optional().openapi({ description: 'first year (inclusive)', example: '2014' }),
      to: z.string().optional().openapi({ description: 'last year (inclusive)', example: '2024' }),
    },
    extra: { summary: z.object({ scope: z.array(z.number().int()) }) },
    async loadPage(c, query) {
      const year = (name: 'from' | 'to') => {
        const value = query.parameters.get(name);
        if (value === undefined) return undefined;
        if (!/^\d{4}$/.test(value)) throw new AppError('validation', `parameter "${name}" must be a year such as 2014`, { location: { parameter: name, value } });
        return Number(value);
      };
      for (const field of ['year', 'importRunId'] as const) {
        for (const value of query.filters.get(field) ?? []) {
          if (!/^\d+$/.test(value)) throw new AppError('validation', `parameter "${field}" must be a whole number`, { location: { parameter: field, value } });
        }
      }
      const yearFrom = year('from');
      const yearTo = year('to');
      const result = await transfers.query(c.get('viewer'), {
        filters: query.filters as Map<TransferField, string[]>,
        ...(yearFrom !== undefined ? { yearFrom } : {}),
        ...(yearTo !== undefined ? { yearTo } : {}),
        sort: { field: query.sort.field as keyof typeof TRANSFER_COLUMNS, descending: query.sort.descending },
        limit: query.size,
        offset: query.offset,
        facets: query.facets as TransferField[],
      });
      return {
        page: { rows: result.rows, count: result.count, next: nextCursor(query, result.count) },
        facets: result.facets,
        meta: {
          sources: [{ dataset: 'transfers', source: 'imported files; each row names its source, file sha256 and row', licence: SIPRI_TERMS, asAt: null }],
          retrievedAt: new Date(0).toISOString(),
          notices: result.registerNotice ? [result.registerNotice] : [],
        },
        extra: { summary: { scope: result.scope } },
      };
    },
  }, deps.downloads);
}
