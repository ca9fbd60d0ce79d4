import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { describeSelection, sipriSelectionOf } from '../../analysis/default-register.js';
import { AppError } from '../../model/errors.js';
import { tivTable, type TivTable } from '../../services/tiv.js';
import type { ReferenceSnapshot } from '../../store/reference-repository.js';
import type { AppDeps } from '../app.js';
import { registerList } from './list-route.js';
import { selectionNotice } from './transfers.js';

const TivRowSchema = z
  .object({
    stateId: z.string(),
    name: z.string(),
    total: z.string().openapi({ description: 'exact decimal, millions of TIV' }),
  })
  .catchall(z.string().openapi({ description: 'TIV for the year named by the key (absent: no deliveries)' }))
  .openapi('TivRow');

type TivRow = z.infer<typeof TivRowSchema>;

/**
 * The table's rows with each State's name, kept per table (tables are kept by the TIV service and never change) and
 * made again only when the reference data change: building ~100 rows with a key per year costs more than the rest of
 * the request.
 */
const rowsByTable = new WeakMap<TivTable, { referenceVersion: string; rows: TivRow[] }>();

function namedRows(table: TivTable, reference: ReferenceSnapshot): TivRow[] {
  const kept = rowsByTable.get(table);
  if (kept?.referenceVersion === reference.version) return kept.rows;
  const names = new Map<string, string>(reference.states.map((s) => [s.id, s.name]));
  const rows = table.rows.map((r) => ({ stateId: r.stateId, name: names.get(r.stateId) ?? r.stateId, total: r.total, ...r.years }));
  rowsByTable.set(table, { referenceVersion: reference.version, rows });
  return rows;
}

const SIPRI_TERMS =
  'SIPRI Arms Transfers Database: non-commercial use; cite "Information from the SIPRI Arms Transfers Database"';

export function registerTivRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const imports = deps.imports;
  if (!imports) return;
  registerList(app, {
    path: '/v1/tiv',
    tag: 'Transfers',
    summary: 'SIPRI TIV by exporter or importer and year, from a SIPRI trade register import',
    description:
      'TIV (trend-indicator value, millions) is a volume index, never money. One row per State with a column per year; ' +
      'a year without deliveries is absent, not zero. Classic deal-row registers give no per-year split: a deal ' +
      'delivered over several years is split evenly over them (the rule is in `summary.yearRule`).',
    row: TivRowSchema,
    sipriRows: () => true,
    rowName: 'TivRow',
    spec: { filterable: ['stateId'], sortable: ['stateId', 'name', 'total'], defaultSort: 'stateId', parameters: ['by', 'from', 'to', 'import'] },
    parameters: {
      by: z.enum(['exporter', 'importer']).openapi({ description: 'exporter or importer' }),
      from: z.string().regex(/^\d{4}$/).optional().openapi({ description: 'first year' }),
      to: z.string().regex(/^\d{4}$/).optional().openapi({ description: 'last year' }),
      import: z.string().regex(/^\d+$/).optional().openapi({ description: 'import run id (default: the latest SIPRI register)' }),
    },
    extra: {
      summary: z.object({
        by: z.enum(['exporter', 'importer']),
        importRunId: z.number().int(),
        years: z.array(z.number().int()),
        yearTotals: z.record(z.string(), z.string()),
        grandTotal: z.string(),
        yearRule: z.string(),
      }),
    },
    async load(c, query) {
      const by = query.parameters.get('by');
      if (by !== 'exporter' && by !== 'importer') {
        throw new AppError('validation', 'parameter "by" must be exporter or importer', { location: { parameter: 'by' } });
      }
      const number = (name: string) => (query.parameters.has(name) ? Number(query.parameters.get(name)) : undefined);
      const from = number('from');
      const to = number('to');
      const importRunId = number('import');
      const table = await tivTable(imports, c.get('viewer'), {
        by,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(importRunId !== undefined ? { importRunId } : {}),
      });
      const rows = namedRows(table, await deps.reference.snapshot(c.get('viewer')));
      const selection = sipriSelectionOf(table.importRun.metadata);
      return {
        rows,
        columns: ['stateId', 'name', ...table.years.map(String), 'total'],
        meta: {
          sources: [
            {
              dataset: `import-${table.importRun.id}`,
              source: `Information from the SIPRI Arms Transfers Database (${table.importRun.fileName}, data generated ${table.importRun.metadata['dataGenerated'] ?? 'unknown'})`,
              licence: SIPRI_TERMS,
              asAt: table.importRun.metadata['dataGenerated'] ?? null,
            },
          ],
          retrievedAt: table.importRun.importedAt,
          notices: selection.wholeDatabase === false ? [selectionNotice(describeSelection(selection)!)] : [],
        },
        extra: {
          summary: {
            by,
            importRunId: table.importRun.id,
            years: table.years,
            yearTotals: table.yearTotals,
            grandTotal: table.grandTotal,
            yearRule: table.yearRule,
          },
        },
      };
    },
  }, deps.downloads);
}
