import path from 'node:path';
import { tivByYear } from '../ingest/sipri/tiv-table.js';
import { parseSipriRegister, parseSipriTivTable } from '../ingest/sipri/index.js';
import { assertRowAccounting, countQuarantineByCode, createStateLookup, isRefused, type StateLookup } from '../ingest/framework.js';
import type { Clock } from '../model/clock.js';
import { AppError } from '../model/errors.js';
import type { IngestResult } from '../model/ingest.js';
import type { Transfer } from '../model/transfer.js';
import { ANONYMOUS } from '../model/viewer.js';
import type { ImportRepository, ImportRun, SourceRecord, TivTotal } from '../store/import-repository.js';
import type { ReferenceRepository } from '../store/reference-repository.js';

/** The sources `att import <source> <file>` knows. Each is one folder under src/ingest/. */
export const IMPORT_SOURCES = ['sipri'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

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
  | { status: 'dry_run'; run: null; summary: ImportSummary };

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
  fileIssues: IngestResult<unknown>['issues'];
  metadata: Record<string, string>;
  stats: Record<string, number>;
}

interface Parsed {
  parser: string;
  result: IngestResult<unknown>;
  transfers: Transfer[];
  sourceRecords: SourceRecord[];
  tivTotals: TivTotal[];
}

/**
 * Imports one file: parse -> map through the lookups -> validate (in the parser, pure) -> store in one transaction.
 * The same file (same source and sha256) is imported only once; the second time nothing changes.
 */
export async function importFile(deps: ImportDeps, request: ImportRequest): Promise<ImportOutcome> {
  if (!(IMPORT_SOURCES as readonly string[]).includes(request.source)) {
    throw new AppError('validation', `unknown source "${request.source}"`, {
      location: { parameter: 'source', value: request.source },
      hint: `use one of: ${IMPORT_SOURCES.join(', ')}`,
      details: { validValues: [...IMPORT_SOURCES] },
    });
  }
  const fileName = path.basename(request.fileName);
  const lookup = await stateLookup(deps.reference);
  request.onProgress?.('parsing', 0, 1);
  const parsed = parse(request.source as ImportSource, request.bytes, fileName, lookup);
  request.onProgress?.('parsing', 1, 1);
  assertRowAccounting(parsed.result);
  const summary = summarise(parsed);

  if (request.dryRun) return { status: 'dry_run', run: null, summary };

  const existing = await deps.imports.findBySha(parsed.result.source, parsed.result.fileSha256);
  if (existing) return { status: 'already_imported', run: existing, summary: null };

  const run = await deps.imports.save(
    {
      parser: parsed.parser,
      fileBytes: request.bytes.length,
      importedAt: deps.clock.now(),
      result: parsed.result,
      transfers: parsed.transfers,
      sourceRecords: parsed.sourceRecords,
      tivTotals: parsed.tivTotals,
    },
    (done, total) => request.onProgress?.('storing', done, total),
  );
  return { status: 'imported', run, summary };
}

function parse(source: ImportSource, bytes: Uint8Array, fileName: string, lookup: StateLookup): Parsed {
  switch (source) {
    case 'sipri': {
      const register = parseSipriRegister(bytes, { fileName, lookup });
      if (isRefused(register) && register.issues.some((issue) => issue.code === 'wrong_file_kind')) {
        // SIPRI's own TIV table (a year per column): kept as source records for reconciliation.
        const table = parseSipriTivTable(bytes, { fileName, lookup });
        return {
          parser: 'sipri-tiv-table',
          result: table,
          transfers: [],
          sourceRecords: table.accepted.map((row) => ({ kind: 'sipri-tiv-table-row', row: row.provenance.row, sheet: null, record: row })),
          tivTotals: [],
        };
      }
      const transfers = register.accepted;
      return {
        parser: `sipri-${register.metadata['layout'] ?? 'register'}`,
        result: register,
        transfers,
        sourceRecords: [],
        tivTotals: [...tivCells(transfers, 'exporter'), ...tivCells(transfers, 'importer')],
      };
    }
  }
}

/** TIV by State and year, kept at import so that the TIV tables are a lookup (rule: tiv-table.ts, even split). */
function tivCells(transfers: readonly Transfer[], side: 'exporter' | 'importer'): TivTotal[] {
  return tivByYear(transfers, side).rows.map((cell) => ({ side, stateId: cell.stateId, year: cell.year, tiv: cell.tiv }));
}

async function stateLookup(reference: ReferenceRepository): Promise<StateLookup> {
  const snapshot = await reference.snapshot(ANONYMOUS);
  return createStateLookup(
    snapshot.aliases.map((a) => ({ alias: a.alias, stateId: a.stateId, source: a.source })),
    snapshot.states.map((s) => ({ id: s.id, name: s.name })),
  );
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
    fileIssues: result.issues.filter((issue) => issue.row === null),
    metadata: result.metadata,
    stats: result.stats,
  };
}
