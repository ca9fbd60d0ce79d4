import {
  defaultSipriRegister,
  describeSelection,
  registerNotice,
  selectionCovers,
  SIPRI_REGISTER_PARSERS,
  sipriReleaseYear,
  sipriSelectionOf,
} from '../analysis/default-register.js';
import { counterpartOfTable, reconcileTivTable, type TivReconciliation } from '../analysis/tiv-reconciliation.js';
import type { SipriTivTableRow } from '../ingest/sipri/index.js';
import { createStateResolver } from '../reference/state-resolver.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import { tivByYear } from '../ingest/sipri/tiv-table.js';
import { decimalToString, sumDecimals } from '../model/decimal.js';
import { AppError } from '../model/errors.js';
import type { Viewer } from '../model/viewer.js';
import type { ImportRepository, ImportRun } from '../store/import-repository.js';

export interface TivTableRow {
  stateId: string;
  /** TIV per year as exact decimal text; a year with no deliveries is absent (never 0). */
  years: Record<string, string>;
  total: string;
}

export interface TivTable {
  by: 'exporter' | 'importer';
  importRun: Pick<ImportRun, 'id' | 'fileName' | 'importedAt' | 'metadata'>;
  from: number | null;
  to: number | null;
  years: number[];
  rows: TivTableRow[];
  yearTotals: Record<string, string>;
  grandTotal: string;
  /** How a deal delivered over several years is placed (classic layout only). */
  yearRule: string;
}

/** The SIPRI register import to use: the one named, or the default register (src/analysis/default-register.ts). */
export async function resolveRegisterImport(imports: ImportRepository, viewer: Viewer, id?: number): Promise<ImportRun> {
  if (id !== undefined) {
    const run = await imports.get(viewer, id);
    if (!run) throw new AppError('not_found', `no import run ${id}`, { location: { parameter: 'import' }, hint: 'list the runs with att imports' });
    if (!(SIPRI_REGISTER_PARSERS as readonly string[]).includes(run.parser)) {
      throw new AppError('validation', `import run ${id} is ${run.parser}, not a SIPRI trade register`, {
        location: { parameter: 'import' },
        hint: 'choose a run whose parser is sipri-delivery-rows or sipri-deal-rows (att imports)',
      });
    }
    return run;
  }
  // The default register: one rule for every view (src/analysis/default-register.ts): the whole database before a
  // selection, the newer release, and for TIV by year the delivery rows (exact years) within one release.
  const chosen = defaultSipriRegister(await imports.list(viewer), 'tiv');
  if (!chosen) {
    throw new AppError('not_found', 'no SIPRI trade register has been imported yet', {
      hint: 'import one with: att import sipri <trade-register.csv>',
    });
  }
  return chosen;
}

/**
 * Exporter x year or importer x year TIV table of one import, from the totals kept at import time (TIV is a volume
 * index in millions, never money).
 */
export async function tivTable(
  imports: ImportRepository,
  viewer: Viewer,
  options: { by: 'exporter' | 'importer'; importRunId?: number; from?: number; to?: number },
): Promise<TivTable> {
  const run = await resolveRegisterImport(imports, viewer, options.importRunId);
  // An import run never changes once stored, so its tables can be kept: the API then answers from memory.
  const cache = tableCache.get(imports) ?? new Map<string, TivTable>();
  tableCache.set(imports, cache);
  const key = `${run.id}|${run.importedAt}|${options.by}|${options.from ?? ''}|${options.to ?? ''}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const cells = (await imports.tivTotals(viewer, run.id, options.by)).filter(
    (c) => (options.from === undefined || c.year >= options.from) && (options.to === undefined || c.year <= options.to),
  );
  const table = assemble(options.by, run, cells, options.from ?? null, options.to ?? null);
  if (cache.size >= MAX_CACHED_TABLES) cache.delete(cache.keys().next().value!);
  cache.set(key, table);
  return table;
}

/** Assembled tables per repository (bounded; oldest dropped first). TIV tables are public, whatever the viewer. */
const tableCache = new WeakMap<ImportRepository, Map<string, TivTable>>();
const MAX_CACHED_TABLES = 64;

/** The same table computed from the rows (for a subset, e.g. one exporter's deals), with the same year rule. */
export async function tivTableFromRows(
  imports: ImportRepository,
  viewer: Viewer,
  options: { by: 'exporter' | 'importer'; importRunId: number; exporterId?: string; importerId?: string; from?: number; to?: number },
): Promise<TivTable> {
  const run = await resolveRegisterImport(imports, viewer, options.importRunId);
  const rows = (await imports.transfersOf(viewer, run.id)).filter(
    (t) =>
      (options.exporterId === undefined || t.exporterId === options.exporterId) &&
      (options.importerId === undefined || t.importerId === options.importerId),
  );
  const result = tivByYear(rows, options.by, { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) });
  return assemble(options.by, run, result.rows, options.from ?? null, options.to ?? null);
}

function assemble(
  by: 'exporter' | 'importer',
  run: ImportRun,
  cells: readonly { stateId: string; year: number; tiv: string }[],
  from: number | null,
  to: number | null,
): TivTable {
  const years = [...new Set(cells.map((c) => c.year))].sort((a, b) => a - b);
  const byState = new Map<string, Record<string, string>>();
  for (const cell of cells) {
    const row = byState.get(cell.stateId) ?? {};
    row[String(cell.year)] = cell.tiv;
    byState.set(cell.stateId, row);
  }
  const rows = [...byState.entries()]
    .map(([stateId, yearsOf]) => ({ stateId, years: yearsOf, total: decimalToString(sumDecimals(Object.values(yearsOf))) }))
    .sort((a, b) => (a.stateId < b.stateId ? -1 : 1));
  const yearTotals = Object.fromEntries(
    years.map((y) => [String(y), decimalToString(sumDecimals(cells.filter((c) => c.year === y).map((c) => c.tiv)))]),
  );
  return {
    by,
    importRun: { id: run.id, fileName: run.fileName, importedAt: run.importedAt, metadata: run.metadata },
    from,
    to,
    years,
    rows,
    yearTotals,
    grandTotal: decimalToString(sumDecimals(rows.map((r) => r.total))),
    yearRule:
      run.parser === 'sipri-deal-rows'
        ? 'classic layout: a deal delivered over several years is split evenly over its delivery years (SIPRI gives no per-year split)'
        : 'delivery rows: each row carries its delivery year',
  };
}

export interface TivTableCheck extends TivReconciliation {
  table: Pick<ImportRun, 'id' | 'fileName' | 'metadata'>;
  register: Pick<ImportRun, 'id' | 'fileName' | 'parser' | 'metadata'>;
  /** What the table's first column names, and the party on the other side ("China" in "Total imports from China"). */
  role: 'recipient' | 'supplier';
  counterpart: { name: string; stateId: string | null } | null;
  yearRule: string;
  /** Things to know before reading the figures (another release, a selection that may not cover the table ...). */
  notices: string[];
}

/**
 * Checks the TIV table computed from a register against SIPRI's own TIV table imported as `tableRunId`
 * (src/analysis/tiv-reconciliation.ts). Without a register named, the register of the same SIPRI release is used
 * (the default rule among them), else the default register with a notice: another release revises the figures.
 */
export async function checkTivTable(
  deps: { imports: ImportRepository; reference: ReferenceRepository },
  viewer: Viewer,
  options: { tableRunId: number; registerRunId?: number },
): Promise<TivTableCheck> {
  const table = await deps.imports.get(viewer, options.tableRunId);
  if (!table) {
    throw new AppError('not_found', `no import run ${options.tableRunId}`, { location: { parameter: 'table' }, hint: 'list the runs with att imports' });
  }
  if (table.parser !== 'sipri-tiv-table') {
    throw new AppError('validation', `import run ${table.id} is ${table.parser}, not SIPRI's TIV table`, {
      location: { parameter: 'table' },
      hint: 'choose a run whose parser is sipri-tiv-table (import SIPRI\'s "Volume of transfers" CSV with att import sipri)',
    });
  }
  const notices: string[] = [];
  const records = await deps.imports.sourceRecords(viewer, table.id, 'sipri-tiv-table-row');
  const lines = records.map((r) => r.record as SipriTivTableRow);
  const role = lines[0]?.role ?? 'recipient';
  const total = lines.find((line) => line.kind === 'total');
  const other = total ? counterpartOfTable(total.label) : null;
  let counterpart: TivTableCheck['counterpart'] = null;
  if (other) {
    const snapshot = await deps.reference.snapshot(viewer);
    const stateId = createStateResolver(snapshot.states, snapshot.aliases).resolve(other.name)?.id ?? null;
    counterpart = { name: other.name, stateId };
    if (stateId === null) notices.push(`"${other.name}" (the table's totals line) is not a known State or actor: the whole register was compared`);
  }
  const covers = (run: ImportRun) => selectionCovers(sipriSelectionOf(run.metadata), role, counterpart?.name ?? null);
  let register: ImportRun;
  if (options.registerRunId !== undefined) {
    register = await resolveRegisterImport(deps.imports, viewer, options.registerRunId);
  } else {
    // The register of the table's release that covers it; else one of another release that covers it (with a notice).
    const release = sipriReleaseYear(table.metadata);
    const covering = (await deps.imports.list(viewer)).filter(covers);
    const chosen =
      defaultSipriRegister(covering.filter((run) => release !== undefined && sipriReleaseYear(run.metadata) === release), 'tiv') ??
      defaultSipriRegister(covering, 'tiv');
    if (!chosen) {
      throw new AppError('not_found', `no imported SIPRI trade register covers this table (${role === 'recipient' ? 'recipients' : 'suppliers'}${counterpart ? ` of ${counterpart.name}` : ''})`, {
        location: { parameter: 'import' },
        hint: `import SIPRI's trade register of the whole database${counterpart ? `, or of ${counterpart.name}'s ${role === 'recipient' ? 'exports' : 'imports'},` : ''} from the same release (att import sipri), or name a register with import=`,
      });
    }
    register = chosen;
  }
  if (sipriReleaseYear(register.metadata) !== sipriReleaseYear(table.metadata)) {
    notices.push(
      `the register (data generated ${register.metadata['dataGenerated'] ?? 'unknown'}) and the table (data generated ${table.metadata['dataGenerated'] ?? 'unknown'}) are not the same SIPRI release: SIPRI revises every year, so differences are expected`,
    );
  }
  if (!covers(register)) {
    const selection = sipriSelectionOf(register.metadata);
    notices.push(`the register is a selection (${describeSelection(selection)}) that does not cover the table: what it leaves out counts as nothing`);
  }
  const by = role === 'recipient' ? 'importer' : 'exporter';
  const filter =
    counterpart?.stateId === undefined || counterpart.stateId === null
      ? {}
      : role === 'recipient'
        ? { exporterId: counterpart.stateId }
        : { importerId: counterpart.stateId };
  const ours = await tivTableFromRows(deps.imports, viewer, { by, importRunId: register.id, ...filter });
  const cells = ours.rows.flatMap((row) => Object.entries(row.years).map(([year, tiv]) => ({ stateId: row.stateId, year: Number(year), tiv })));
  const parties = lines.filter((line) => line.kind === 'party' && line.stateId !== null);
  const result = reconcileTivTable(
    parties.map((line) => ({ stateId: line.stateId!, label: line.label, years: line.years, rangeTotal: line.rangeTotal })),
    cells,
    total?.rangeTotal ?? null,
  );
  return {
    ...result,
    table: { id: table.id, fileName: table.fileName, metadata: table.metadata },
    register: { id: register.id, fileName: register.fileName, parser: register.parser, metadata: register.metadata },
    role,
    counterpart,
    yearRule: ours.yearRule,
    notices,
  };
}

/**
 * The notices an answer built from these import runs must carry: one per SIPRI register that is a selection of SIPRI's
 * database (a one-country export standing in for the world when nothing wider was imported).
 */
export async function selectionNotices(imports: ImportRepository, viewer: Viewer, runIds: readonly number[]): Promise<string[]> {
  const wanted = new Set(runIds);
  return (await imports.list(viewer))
    .filter((run) => wanted.has(run.id) && (SIPRI_REGISTER_PARSERS as readonly string[]).includes(run.parser))
    .map((run) => registerNotice(run.metadata))
    .filter((notice): notice is string => notice !== null);
}
