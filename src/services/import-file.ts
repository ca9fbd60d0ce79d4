import path from 'node:path';
import { parseAttReport } from '../ingest/att-report/parse-att-report.js';
import { createAttReportStateLookup } from '../ingest/att-report/state-lookup.js';
import {
  createNationalLookups,
  detectNationalKind,
  NATIONAL_KINDS,
  parseNationalFile,
  refuseUnrecognisedNationalFile,
} from '../ingest/national/index.js';
import { tivByYear } from '../ingest/sipri/tiv-table.js';
import { parseSipriTivTable, readSipriRegister } from '../ingest/sipri/index.js';
import { assertRowAccounting, countQuarantineByCode, createStateLookup, isRefused, type StateLookup } from '../ingest/framework.js';
import type { Clock } from '../model/clock.js';
import type { AttReport } from '../model/att-report.js';
import { registryEntryFromAttReport } from '../model/report-registry.js';
import { AppError } from '../model/errors.js';
import type { IngestIssue, IngestResult } from '../model/ingest.js';
import type { Transfer } from '../model/transfer.js';
import { ANONYMOUS } from '../model/viewer.js';
import type { ImportRepository, ImportRun, SourceRecord, TivTotal } from '../store/import-repository.js';
import type { ReferenceRepository } from '../store/reference-repository.js';

/** The sources `att import <source> <file>` knows. Each is one folder under src/ingest/. */
export const IMPORT_SOURCES = ['sipri', 'att-report', 'national'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** True for a source `att import` knows (check it before reading the file: a wrong source is a usage mistake). */
export function isImportSource(source: string): source is ImportSource {
  return (IMPORT_SOURCES as readonly string[]).includes(source);
}

/** The AppError for a source `att import` does not know, listing the ones it does. */
export function unknownSourceError(source: string): AppError {
  return new AppError('validation', `unknown source "${source}"`, {
    location: { parameter: 'source', value: source },
    hint: `use one of: ${IMPORT_SOURCES.join(', ')}`,
    details: { validValues: [...IMPORT_SOURCES] },
  });
}

/** How many examples of each warning code a stored run keeps (its counts are complete). */
export const WARNING_EXAMPLES_PER_CODE = 20;

export interface ImportDeps {
  imports: ImportRepository;
  reference: ReferenceRepository;
  clock: Clock;
}

export interface ImportRequest {
  source: string;
  fileName: string;
  bytes: Uint8Array;
  dryRun?: boolean;
  onProgress?: (stage: 'parsing' | 'storing', done: number, total: number) => void;
}

export type ImportOutcome =
  | { status: 'imported'; run: ImportRun; summary: ImportSummary }
  | { status: 'already_imported'; run: ImportRun; summary: null }
  | { status: 'dry_run'; run: null; summary: ImportSummary }
  /** The whole file was refused (empty, binary, wrong layout ...): nothing is stored; `summary.fileIssues` say why. */
  | { status: 'refused'; run: null; summary: ImportSummary };

export interface ImportSummary {
  source: string;
  parser: string;
  fileName: string;
  fileSha256: string;
  rowsRead: number;
  accepted: number;
  quarantined: number;
  blank: number;
  refused: boolean;
  quarantineByCode: Record<string, number>;
  /**
   * Issues about the file rather than one of its rows: every reason for a refusal (a refused file has no rows, so
   * all its issues are here, whether or not they name a line), and warnings about a header or a title page.
   */
  fileIssues: IngestIssue[];
  /** Every warning of an accepted row (the row is stored as read; the warning says what to check). */
  rowWarnings: IngestIssue[];
  /** Warnings per code, of the file and of accepted rows (issues of quarantined rows are in quarantineByCode). */
  warningsByCode: Record<string, number>;
  metadata: Record<string, string>;
  stats: Record<string, number>;
}

interface Parsed {
  parser: string;
  visibilityOf?: (transfer: Transfer) => 'public' | 'private';
  /** The title page of an ATT annual report (kept in the import's metadata and the report registry). */
  attReport?: AttReport | null;
  /** Complete once `transfers` has been iterated (at once for most parsers; row by row for a SIPRI register). */
  result: IngestResult<unknown>;
  /** The accepted transfers; iterate once. */
  transfers: Iterable<Transfer>;
  /** How many transfers there may be, for progress. */
  expectedTransfers: number;
  /** Known once `transfers` has been iterated. */
  sourceRecords(): SourceRecord[];
  tivTotals(): TivTotal[];
}

/** Reads every row that is still to be read, so that the result is complete. */
function readAll(parsed: Parsed): void {
  for (const _transfer of parsed.transfers) {
    // Reading fills in parsed.result.
  }
}

/**
 * Imports one file: parse -> map through the lookups -> validate (in the parser, pure) -> store in one transaction.
 * The same file (same source and sha256) is imported only once; the second time nothing changes.
 */
export async function importFile(deps: ImportDeps, request: ImportRequest): Promise<ImportOutcome> {
  if (!isImportSource(request.source)) throw unknownSourceError(request.source);
  const fileName = path.basename(request.fileName);
  const lookups = await stateLookups(deps.reference);
  request.onProgress?.('parsing', 0, 1);
  const parsed = await parse(request.source as ImportSource, request.bytes, fileName, lookups, deps.clock.now().getUTCFullYear());
  request.onProgress?.('parsing', 1, 1);

  if (request.dryRun || isRefused(parsed.result)) {
    readAll(parsed);
    assertRowAccounting(parsed.result);
    const summary = summarise(parsed);
    return request.dryRun ? { status: 'dry_run', run: null, summary } : { status: 'refused', run: null, summary };
  }

  // A file is identified by its bytes, known before any row is read: a file imported before is not read again.
  const existing = await deps.imports.findBySha(parsed.result.source, parsed.result.fileSha256);
  if (existing) return { status: 'already_imported', run: existing, summary: null };

  // The rows of a SIPRI register are read while they are stored: each chunk goes to the database while the next rows
  // are read. Row accounting is checked once they all are, before the transaction commits.
  const run = await deps.imports.save(
    {
      parser: parsed.parser,
      source: parsed.result.source,
      fileName: parsed.result.fileName,
      fileSha256: parsed.result.fileSha256,
      fileBytes: request.bytes.length,
      importedAt: deps.clock.now(),
      transfers: parsed.transfers,
      expectedTransfers: parsed.expectedTransfers,
      complete: () => {
        assertRowAccounting(parsed.result);
        return { result: withStoredWarnings(parsed.result), sourceRecords: parsed.sourceRecords(), tivTotals: parsed.tivTotals() };
      },
      ...(parsed.visibilityOf ? { visibilityOf: parsed.visibilityOf } : {}),
      ...(parsed.attReport
        ? { registryEntriesFor: (runId: number) => [registryEntryFromAttReport(parsed.attReport!, runId, { recordedAt: deps.clock.now().toISOString() })] }
        : {}),
    },
    (done, total) => request.onProgress?.('storing', done, total),
  );
  return { status: 'imported', run, summary: summarise(parsed) };
}

async function parse(
  source: ImportSource,
  bytes: Uint8Array,
  fileName: string,
  lookups: Lookups,
  currentYear: number,
): Promise<Parsed> {
  switch (source) {
    case 'att-report': {
      const { report, rows, result } = await parseAttReport(bytes, { fileName, lookup: lookups.codesAndNames, currentYear });
      // ATT Art. 13(3): each form (exports, imports) is public or private as the State chose; unstated means private.
      const formOf = new Map(result.accepted.map((transfer, i) => [transfer, rows[i]?.form]));
      const visibilityOf = (transfer: Transfer): 'public' | 'private' => {
        const form = formOf.get(transfer);
        return form && report?.[form]?.visibility === 'public' ? 'public' : 'private';
      };
      if (report) {
        result.metadata['reportingStateId'] = report.reportingStateId;
        result.metadata['coveredYear'] = String(report.coveredYear);
      }
      return { parser: 'att-report', result, ...eager(result.accepted, [], []), visibilityOf, attReport: report };
    }
    case 'national': {
      const kind = detectNationalKind(fileName, bytes);
      if (!kind) {
        // Empty or binary: a problem of the file (exit 1), not of the source chosen (exit 2).
        const refused = refuseUnrecognisedNationalFile(bytes, fileName);
        if (refused) return { parser: 'national', result: refused, ...eager([], [], []) };
        throw new AppError('validation', `${fileName} is not a national file kind this version reads`, {
          location: { file: fileName },
          hint: `the kinds read are ${NATIONAL_KINDS.join(', ')} (see docs/national-sources.md)`,
        });
      }
      const result = await parseNationalFile(bytes, { fileName, kind, lookup: lookups.national.lookup, iso2: lookups.national.iso2 });
      // Transfers go to the transfers table (their extra fields stay in the record); totals, licences, ratings and
      // the like are source records of their own kind, never added to transfers.
      const transfers: Transfer[] = [];
      const sourceRecords: SourceRecord[] = [];
      for (const record of result.accepted) {
        if (record.kind === 'transfer') transfers.push({ ...record.transfer, ...({ details: record.details } as object) } as Transfer);
        else sourceRecords.push({ kind: record.kind, row: record.provenance.row, sheet: record.provenance.sheet, record });
      }
      return { parser: `national-${kind}`, result, ...eager(transfers, sourceRecords, []) };
    }
    case 'sipri': {
      const lookup = lookups.names;
      const register = readSipriRegister(bytes, { fileName, lookup });
      if (isRefused(register.result) && register.result.issues.some((issue) => issue.code === 'wrong_file_kind')) {
        // SIPRI's own TIV table (a year per column): kept as source records for reconciliation.
        const table = parseSipriTivTable(bytes, { fileName, lookup });
        const rows = table.accepted.map((row) => ({ kind: 'sipri-tiv-table-row', row: row.provenance.row, sheet: null, record: row }));
        return { parser: 'sipri-tiv-table', result: table, ...eager([], rows, []) };
      }
      // Rows are read as the import stores them (see importFile); the TIV totals follow from all of them.
      const { result } = register;
      return {
        parser: `sipri-${result.metadata['layout'] ?? 'register'}`,
        result,
        transfers: register.transfers,
        expectedTransfers: register.rowsToRead,
        sourceRecords: () => [],
        tivTotals: () => [...tivCells(result.accepted, 'exporter'), ...tivCells(result.accepted, 'importer')],
      };
    }
  }
}

/** What a parser that reads the whole file at once hands over. */
function eager(transfers: Transfer[], sourceRecords: SourceRecord[], tivTotals: TivTotal[]): Pick<Parsed, 'transfers' | 'expectedTransfers' | 'sourceRecords' | 'tivTotals'> {
  return { transfers, expectedTransfers: transfers.length, sourceRecords: () => sourceRecords, tivTotals: () => tivTotals };
}

/** TIV by State and year, kept at import so that the TIV tables are a lookup (rule: tiv-table.ts, even split). */
function tivCells(transfers: readonly Transfer[], side: 'exporter' | 'importer'): TivTotal[] {
  return tivByYear(transfers, side).rows.map((cell) => ({ side, stateId: cell.stateId, year: cell.year, tiv: cell.tiv }));
}

interface Lookups {
  names: StateLookup;
  codesAndNames: StateLookup;
  national: ReturnType<typeof createNationalLookups>;
}

/** The lookup ATT report files are read with (ISO3 codes first, then names and aliases): the reporting workflow's too. */
export async function attReportLookup(reference: ReferenceRepository): Promise<StateLookup> {
  return (await stateLookups(reference)).codesAndNames;
}

/** Name lookups over the crosswalk: by names and aliases, by ISO3 code (forms States fill in), by ISO2 (EU tables). */
async function stateLookups(reference: ReferenceRepository): Promise<Lookups> {
  const snapshot = await reference.snapshot(ANONYMOUS);
  const aliases = snapshot.aliases.map((a) => ({ alias: a.alias, stateId: a.stateId, source: a.source }));
  const states = snapshot.states.map((s) => ({ id: s.id, name: s.name }));
  return {
    names: createStateLookup(aliases, states),
    codesAndNames: createAttReportStateLookup(aliases, states),
    national: createNationalLookups(
      snapshot.states.map((s) => ({ id: s.id, name: s.name, iso2: s.iso2 })),
      aliases,
    ),
  };
}

function summarise(parsed: Parsed): ImportSummary {
  const { result } = parsed;
  return {
    source: result.source,
    parser: parsed.parser,
    fileName: result.fileName,
    fileSha256: result.fileSha256,
    rowsRead: result.rowsRead,
    accepted: result.accepted.length,
    quarantined: result.quarantined.length,
    blank: result.blank,
    refused: isRefused(result),
    quarantineByCode: countQuarantineByCode(result),
    ...classifyIssues(result),
    metadata: result.metadata,
    stats: result.stats,
  };
}

/**
 * Sorts a result's issues into those about the file and the warnings of accepted rows; issues of quarantined rows
 * are kept with those rows. A refused file has no rows: every issue is about the file, even one that names a line
 * (`broken_csv` at line 3, a `missing_section`, an error on a title page).
 */
function classifyIssues(result: IngestResult<unknown>): Pick<ImportSummary, 'fileIssues' | 'rowWarnings' | 'warningsByCode'> {
  const fileIssues: IngestIssue[] = [];
  const rowWarnings: IngestIssue[] = [];
  if (isRefused(result)) {
    fileIssues.push(...result.issues);
  } else {
    const key = (sheet: string | null, row: number) => `${sheet ?? ''}\u0000${row}`;
    const ofQuarantined = new Set(result.quarantined.flatMap((q) => q.issues));
    const quarantinedRows = new Set(result.quarantined.map((q) => key(q.sheet, q.row)));
    const acceptedRows = new Set<string>();
    for (const record of result.accepted) {
      const where = provenanceOf(record);
      if (where) acceptedRows.add(key(where.sheet, where.row));
    }
    for (const issue of result.issues) {
      if (ofQuarantined.has(issue)) continue;
      if (issue.row === null) fileIssues.push(issue);
      else if (acceptedRows.has(key(issue.sheet, issue.row))) {
        if (issue.severity === 'warning') rowWarnings.push(issue);
        else fileIssues.push(issue); // an error on an accepted row would be a parser bug: show it rather than lose it
      } else if (!quarantinedRows.has(key(issue.sheet, issue.row))) fileIssues.push(issue);
    }
  }
  const warningsByCode: Record<string, number> = {};
  for (const issue of [...fileIssues, ...rowWarnings])
    if (issue.severity === 'warning') warningsByCode[issue.code] = (warningsByCode[issue.code] ?? 0) + 1;
  return { fileIssues, rowWarnings, warningsByCode };
}

/** Sheet and row of an accepted record: a Transfer, a national record, a TIV table row (all carry provenance). */
function provenanceOf(record: unknown): { sheet: string | null; row: number } | undefined {
  const r = record as { provenance?: { sheet?: string | null; row?: number }; transfer?: { provenance?: { sheet?: string | null; row?: number } } };
  const p = r?.provenance ?? r?.transfer?.provenance;
  return p && typeof p.row === 'number' ? { sheet: p.sheet ?? null, row: p.row } : undefined;
}

/**
 * The result as the run stores it: the store keeps file-level issues (row null) and quarantined rows with theirs, but
 * not the warnings of accepted rows, nor warnings that name a line of a header or title page. Those are kept with the
 * run, bounded: every count in `stats` (`warnings.<code>`), and the first WARNING_EXAMPLES_PER_CODE of each code as
 * JSON in `metadata.warningExamples`. Read them back with `storedWarnings(run)`.
 */
function withStoredWarnings(result: IngestResult<unknown>): IngestResult<unknown> {
  const { fileIssues, rowWarnings, warningsByCode } = classifyIssues(result);
  const examples: IngestIssue[] = [];
  const taken: Record<string, number> = {};
  for (const issue of [...fileIssues, ...rowWarnings]) {
    if (issue.severity !== 'warning' || (taken[issue.code] ?? 0) >= WARNING_EXAMPLES_PER_CODE) continue;
    taken[issue.code] = (taken[issue.code] ?? 0) + 1;
    examples.push(issue);
  }
  // `warnings` (the total) is written even when 0, so that a run stored before warnings were kept is told apart.
  const stats: Record<string, number> = { ...result.stats, warnings: Object.values(warningsByCode).reduce((a, b) => a + b, 0) };
  for (const [code, n] of Object.entries(warningsByCode)) stats[`warnings.${code}`] = n;
  const metadata = examples.length > 0 ? { ...result.metadata, warningExamples: JSON.stringify(examples) } : result.metadata;
  return { ...result, stats, metadata };
}

/**
 * The warnings a run keeps (see withStoredWarnings): counts per code and the first examples of each code; `recorded`
 * is false for a run stored before warnings were kept.
 */
export function storedWarnings(run: Pick<ImportRun, 'stats' | 'metadata'>): {
  recorded: boolean;
  total: number;
  byCode: Record<string, number>;
  examples: IngestIssue[];
} {
  const recorded = typeof run.stats?.['warnings'] === 'number';
  const byCode: Record<string, number> = {};
  for (const [key, n] of Object.entries(run.stats ?? {})) if (key.startsWith('warnings.')) byCode[key.slice('warnings.'.length)] = n;
  let examples: IngestIssue[] = [];
  const text = run.metadata?.['warningExamples'];
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) examples = parsed as IngestIssue[];
    } catch {
      // A run stored by hand with a damaged value: no examples, but the counts still say what there was.
      examples = [];
    }
  }
  return { recorded, total: run.stats?.['warnings'] ?? 0, byCode, examples };
}
