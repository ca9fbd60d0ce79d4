import type { IngestIssue, IngestResult, QuarantinedRow } from '../model/ingest.js';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import type { Transfer } from '../model/transfer.js';
import { saveRegistryEntry } from './registry-repository.js';
import type { Viewer } from '../model/viewer.js';
import { rowsVisibleTo, runsVisibleTo } from './visibility.js';
import { copyLine } from './copy-from.js';
import { jsonb } from './jsonb.js';
import type { Store } from './open-store.js';

/** A record that is not a transfer (licence refusal criteria, dual-use licences ...), stored as it was parsed. */
export interface SourceRecord {
  kind: string;
  row: number;
  sheet: string | null;
  record: unknown;
}

export interface TivTotal {
  side: 'exporter' | 'importer';
  stateId: string;
  year: number;
  tiv: string;
}

export interface ImportToSave {
  parser: string;
  /** Whether each transfer is public (SIPRI, national data) or private (a private ATT report form). */
  visibilityOf?: (transfer: Transfer) => 'public' | 'private';
  fileBytes: number;
  importedAt: Date;
  result: IngestResult<unknown>;
  transfers: readonly Transfer[];
  sourceRecords: readonly SourceRecord[];
  tivTotals: readonly TivTotal[];
  /** Registry entries the file brings (an ATT report's title page), made once the run's id is known. */
  registryEntriesFor?: (importRunId: number) => readonly ReportRegistryEntry[];
}

export interface ImportRun {
  id: number;
  source: string;
  parser: string;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  importedAt: string;
  rowsRead: number;
  accepted: number;
  quarantined: number;
  blank: number;
  refused: boolean;
  metadata: Record<string, string>;
  stats: Record<string, number>;
  fileIssues: IngestIssue[];
}

export interface QuarantineEntry {
  importRunId: number;
  fileName: string;
  row: number;
  sheet: string | null;
  codes: string[];
  raw: QuarantinedRow['raw'];
  issues: IngestIssue[];
}

/** Rows per chunk of COPY text: small enough to stream (and, on PGlite, to gather into bounded blobs). */
const COPY_CHUNK_ROWS = 500;

const TRANSFER_COLUMNS = [
  'import_run_id',
  'row_number',
  'source',
  'source_record_id',
  'exporter_id',
  'importer_id',
  'partner_aggregated',
  'year',
  'order_year',
  'category_scheme',
  'category_code',
  'basis',
  'number_of_items',
  'value',
  'currency',
  'tiv_delivered',
  'visibility',
  'record',
] as const;

/**
 * One transfer as a COPY line. The typed columns are copies of fields of `record` (the transfer with the run's id in
 * its provenance), which is stored as JSON text and parsed by the database into jsonb.
 */
function transferLine(transfer: Transfer, importRunId: number, visibility: 'public' | 'private'): string {
  const record = { ...transfer, provenance: { ...transfer.provenance, importRunId: String(importRunId) } };
  return copyLine([
    importRunId,
    transfer.provenance.row,
    transfer.source,
    transfer.sourceRecordId,
    transfer.exporterId,
    transfer.importerId,
    transfer.partnerAggregated,
    transfer.year,
    transfer.orderYear,
    transfer.categoryScheme,
    transfer.categoryCode,
    transfer.basis,
    transfer.numberOfItems,
    transfer.value,
    transfer.currency,
    transfer.tivDelivered,
    visibility,
    JSON.stringify(record),
  ]);
}

/**
 * The rows of a table as COPY text, COPY_CHUNK_ROWS lines per chunk, made lazily: only the chunk being sent is held as
 * text, never the whole table. `onChunk` reports progress as each chunk is handed over.
 */
function* copyChunks<T>(
  items: readonly T[],
  line: (item: T) => string,
  onChunk?: (rows: number) => void,
): Generator<string> {
  for (let i = 0; i < items.length; i += COPY_CHUNK_ROWS) {
    const end = Math.min(items.length, i + COPY_CHUNK_ROWS);
    let text = '';
    for (let k = i; k < end; k++) text += line(items[k]!);
    yield text;
    onChunk?.(end - i);
  }
}

/** Imports, transfers and quarantine in the store. Every read takes a Viewer (visibility is decided here). */
export function createImportRepository(store: Store) {
  const visibleRuns = (viewer: Viewer) =>
    store.db.selectFrom('import_runs').selectAll().where(runsVisibleTo(viewer, 'import_runs'));

  return {
    /** The run that already holds this exact file for this source, if any (importing it again changes nothing). */
    async findBySha(source: string, fileSha256: string): Promise<ImportRun | undefined> {
      const row = await store.db
        .selectFrom('import_runs')
        .selectAll()
        .where('source', '=', source)
        .where('file_sha256', '=', fileSha256)
        .executeTakeFirst();
      return row ? toImportRun(row) : undefined;
    },

    /**
     * Stores one import in one transaction: the run, its transfers, other records, quarantined rows and TIV totals.
     * A crash or error leaves nothing of it behind.
     */
    async save(
      input: ImportToSave,
      onProgress?: (stored: number, total: number) => void,
    ): Promise<ImportRun> {
      const { result } = input;
      const total = input.transfers.length + input.sourceRecords.length + result.quarantined.length;
      let stored = 0;
      const progress = (n: number) => {
        stored += n;
        onProgress?.(stored, total);
      };
      return store.transaction(async (trx, session) => {
        const run = await trx
          .insertInto('import_runs')
          .values({
            source: result.source,
            parser: input.parser,
            file_name: result.fileName,
            file_sha256: result.fileSha256,
            file_bytes: input.fileBytes,
            imported_at: input.importedAt,
            rows_read: result.rowsRead,
            accepted: result.accepted.length,
            quarantined: result.quarantined.length,
            blank: result.blank,
            refused: result.stats['refused'] === 1,
            metadata: jsonb(result.metadata),
            stats: jsonb(result.stats),
            file_issues: jsonb(result.issues.filter((issue) => issue.row === null)),
            visibility: input.transfers.some((t) => input.visibilityOf?.(t) === 'private')
              ? 'restricted'
              : 'public',
          })
          .returningAll()
          .executeTakeFirstOrThrow();

        // Bulk loads by COPY on the transaction's own connection: part of the same transaction, so a failure or a
        // killed process leaves nothing of the import.
        const visibilityOf = input.visibilityOf ?? (() => 'public' as const);
        if (input.transfers.length > 0)
          await session.copyFrom(
            'transfers',
            TRANSFER_COLUMNS,
            copyChunks(input.transfers, (t) => transferLine(t, run.id, visibilityOf(t)), progress),
          );
        if (input.sourceRecords.length > 0)
          await session.copyFrom(
            'source_records',
            ['import_run_id', 'row_number', 'sheet', 'kind', 'record'],
            copyChunks(
              input.sourceRecords,
              (r) => copyLine([run.id, r.row, r.sheet, r.kind, JSON.stringify(r.record)]),
              progress,
            ),
          );
        if (result.quarantined.length > 0)
          await session.copyFrom(
            'quarantined_rows',
            ['import_run_id', 'row_number', 'sheet', 'codes', 'raw', 'issues'],
            copyChunks(
              result.quarantined,
              (q) =>
                copyLine([
                  run.id,
                  q.row,
                  q.sheet,
                  [...new Set(q.issues.map((issue) => issue.code))].join(';'),
                  JSON.stringify(q.raw),
                  JSON.stringify(q.issues),
                ]),
              progress,
            ),
          );
        if (input.tivTotals.length > 0)
          await session.copyFrom(
            'tiv_totals',
            ['import_run_id', 'side', 'state_id', 'year', 'tiv'],
            copyChunks(input.tivTotals, (t) => copyLine([run.id, t.side, t.stateId, t.year, t.tiv])),
          );
        for (const entry of input.registryEntriesFor?.(run.id) ?? []) await saveRegistryEntry(trx, entry);
        return toImportRun(run);
      });
    },

    async list(viewer: Viewer): Promise<ImportRun[]> {
      const rows = await visibleRuns(viewer).orderBy('id').execute();
      return rows.map(toImportRun);
    },

    async get(viewer: Viewer, id: number): Promise<ImportRun | undefined> {
      const row = await visibleRuns(viewer).where('id', '=', id).executeTakeFirst();
      return row ? toImportRun(row) : undefined;
    },

    async quarantine(viewer: Viewer, filter: { importRunId?: number } = {}): Promise<QuarantineEntry[]> {
      let query = store.db
        .selectFrom('quarantined_rows as q')
        .innerJoin('import_runs as r', 'r.id', 'q.import_run_id')
        .where(runsVisibleTo(viewer, 'r'))
        .select(['q.import_run_id', 'r.file_name', 'q.row_number', 'q.sheet', 'q.codes', 'q.raw', 'q.issues'])
        .orderBy('q.import_run_id')
        .orderBy('q.row_number');
      if (filter.importRunId !== undefined) query = query.where('q.import_run_id', '=', filter.importRunId);
      const rows = await query.execute();
      return rows.map((r) => ({
        importRunId: r.import_run_id,
        fileName: r.file_name,
        row: r.row_number,
        sheet: r.sheet,
        codes: r.codes.split(';').filter(Boolean),
        raw: r.raw as QuarantinedRow['raw'],
        issues: r.issues as IngestIssue[],
      }));
    },

    /** Transfers of one import, in file order (public rows only until accounts arrive). */
    async transfersOf(viewer: Viewer, importRunId: number): Promise<Transfer[]> {
      const rows = await store.db
        .selectFrom('transfers')
        .select('record')
        .where('import_run_id', '=', importRunId)
        .where(rowsVisibleTo(viewer))
        .orderBy('row_number')
        .execute();
      return rows.map((r) => r.record as Transfer);
    },

    /** Transfers of one import with their stored ids (for results that point back at rows). */
    async transfersWithIds(viewer: Viewer, importRunId: number): Promise<{ id: number; record: Transfer }[]> {
      const rows = await store.db
        .selectFrom('transfers')
        .select(['id', 'record'])
        .where('import_run_id', '=', importRunId)
        .where(rowsVisibleTo(viewer))
        .orderBy('row_number')
        .execute();
      return rows.map((r) => ({ id: Number(r.id), record: r.record as Transfer }));
    },

    /** TIV totals kept at import time for a run and a side. */
    async tivTotals(viewer: Viewer, importRunId: number, side: 'exporter' | 'importer'): Promise<TivTotal[]> {
      const rows = await store.db
        .selectFrom('tiv_totals')
        .select(['side', 'state_id', 'year', 'tiv'])
        .where('import_run_id', '=', importRunId)
        .where('side', '=', side)
        .orderBy('state_id')
        .orderBy('year')
        .execute();
      return rows.map((r) => ({ side: r.side, stateId: r.state_id, year: r.year, tiv: r.tiv }));
    },
  };
}

export type ImportRepository = ReturnType<typeof createImportRepository>;

function toImportRun(row: {
  id: number;
  source: string;
  parser: string;
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  imported_at: Date;
  rows_read: number;
  accepted: number;
  quarantined: number;
  blank: number;
  refused: boolean;
  metadata: unknown;
  stats: unknown;
  file_issues: unknown;
}): ImportRun {
  return {
    id: row.id,
    source: row.source,
    parser: row.parser,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    fileBytes: row.file_bytes,
    importedAt: row.imported_at.toISOString(),
    rowsRead: row.rows_read,
    accepted: row.accepted,
    quarantined: row.quarantined,
    blank: row.blank,
    refused: row.refused,
    metadata: row.metadata as Record<string, string>,
    stats: row.stats as Record<string, number>,
    fileIssues: row.file_issues as IngestIssue[],
  };
}
