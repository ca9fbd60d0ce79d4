import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { registerNotice } from '../../analysis/default-register.js';
import { AppError } from '../../model/errors.js';
import { checkTivTable, tivTable, type TivTable } from '../../services/tiv.js';
import type { ReferenceSnapshot } from '../../store/reference-repository.js';
import type { AppDeps } from '../app.js';
import { registerList } from './list-route.js';

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
      const notice = registerNotice(table.importRun.metadata);
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
          notices: notice ? [notice] : [],
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

const TivCheckRowSchema = z
  .object({
    stateId: z.string(),
    name: z.string(),
    label: z.string().openapi({ description: "the line's label in SIPRI's table" }),
    sipriTotal: z.number().nullable().openapi({ description: "SIPRI's total over the table's years (whole number)" }),
    ourTotal: z.number().openapi({ description: 'the total computed from the register over the same years' }),
    difference: z.number().nullable().openapi({ description: 'ours - SIPRI\'s' }),
    totalWithinRounding: z.boolean().openapi({ description: 'within 1 (SIPRI rounds each figure)' }),
    cells: z.number().int(),
    cellsWithinRounding: z.number().int().openapi({ description: 'year cells both empty or within 1' }),
  })
  .openapi('TivCheckRow');

/** SIPRI's own TIV table against the table computed from a register: one row per party of SIPRI's table. */
export function registerTivCheckRoute(app: OpenAPIHono, deps: AppDeps): void {
  const imports = deps.imports;
  if (!imports) return;
  registerList(app, {
    path: '/v1/tiv/check',
    tag: 'Transfers',
    summary: "Checks SIPRI's own TIV table (an imported 'Volume of transfers' CSV) against the table computed from a trade register",
    description:
      'Each party of SIPRI\'s table with SIPRI\'s total and ours over the same years; a figure is reproduced within 1 ' +
      '(SIPRI rounds each figure to a whole number). Without `import`, the register of the same SIPRI release is used. ' +
      'Classic-layout registers give no per-year split, so their year cells are approximations (`summary.yearRule`).',
    row: TivCheckRowSchema,
    sipriRows: () => true,
    rowName: 'TivCheckRow',
    spec: { filterable: ['stateId', 'totalWithinRounding'], sortable: ['stateId', 'name', 'difference', 'sipriTotal'], defaultSort: 'stateId', parameters: ['table', 'import'] },
    parameters: {
      table: z.string().regex(/^\d+$/).openapi({ description: "import run id of SIPRI's TIV table (parser sipri-tiv-table)" }),
      import: z.string().regex(/^\d+$/).optional().openapi({ description: 'import run id of the register (default: the same release)' }),
    },
    extra: {
      summary: z.object({
        tableRunId: z.number().int(),
        registerRunId: z.number().int(),
        role: z.enum(['recipient', 'supplier']),
        counterpart: z.object({ name: z.string(), stateId: z.string().nullable() }).nullable(),
        years: z.array(z.number().int()),
        parties: z.number().int(),
        partiesWithinRounding: z.number().int(),
        cells: z.number().int(),
        cellsWithinRounding: z.number().int(),
        sipriGrandTotal: z.number().nullable(),
        ourGrandTotal: z.number(),
        missingFromSipriTable: z.array(z.object({ stateId: z.string(), ourTotal: z.number() })),
        yearRule: z.string(),
      }),
    },
    async load(c, query) {
      const tableRunId = Number(query.parameters.get('table'));
      if (!query.parameters.has('table') || !Number.isSafeInteger(tableRunId)) {
        throw new AppError('validation', 'parameter "table" (the import run of SIPRI\'s TIV table) is required', { location: { parameter: 'table' } });
      }
      const check = await checkTivTable({ imports, reference: deps.reference }, c.get('viewer'), {
        tableRunId,
        ...(query.parameters.has('import') ? { registerRunId: Number(query.parameters.get('import')) } : {}),
      });
      const names = new Map<string, string>((await deps.reference.snapshot(c.get('viewer'))).states.map((s) => [s.id, s.name]));
      const generated = (metadata: Record<string, string>) => metadata['dataGenerated'] ?? 'unknown';
      return {
        rows: check.parties.map((p) => ({ ...p, name: names.get(p.stateId) ?? p.stateId })),
        meta: {
          sources: [
            {
              dataset: `import-${check.table.id}`,
              source: `Information from the SIPRI Arms Transfers Database (${check.table.fileName}, data generated ${generated(check.table.metadata)})`,
              licence: SIPRI_TERMS,
              asAt: check.table.metadata['dataGenerated'] ?? null,
            },
            {
              dataset: `import-${check.register.id}`,
              source: `Information from the SIPRI Arms Transfers Database (${check.register.fileName}, data generated ${generated(check.register.metadata)})`,
              licence: SIPRI_TERMS,
              asAt: check.register.metadata['dataGenerated'] ?? null,
            },
          ],
          retrievedAt: new Date(0).toISOString(),
          notices: check.notices,
        },
        extra: {
          summary: {
            tableRunId: check.table.id,
            registerRunId: check.register.id,
            role: check.role,
            counterpart: check.counterpart,
            years: check.years,
            parties: check.parties.length,
            partiesWithinRounding: check.partiesWithinRounding,
            cells: check.cells,
            cellsWithinRounding: check.cellsWithinRounding,
            sipriGrandTotal: check.sipriGrandTotal,
            ourGrandTotal: check.ourGrandTotal,
            missingFromSipriTable: check.missingFromSipriTable,
            yearRule: check.yearRule,
          },
        },
      };
    },
  }, deps.downloads);
}

