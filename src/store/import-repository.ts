import type { IngestIssue, IngestResult, QuarantinedRow } from '../model/ingest.js';
import { registryKindsOfSameReport, type ReportRegistryEntry } from '../model/report-registry.js';
import type { Transfer } from '../model/transfer.js';
import { saveRegistryEntry } from './registry-repository.js';
import { appendAudit } from './audit-log.js';
import type { Viewer } from '../model/viewer.js';
import { rowsVisibleTo, runsVisibleTo } from './visibility.js';
import { copyLine, type TransactionSession } from './copy-from.js';
import { jsonb } from './jsonb.js';
import type { Transaction } from 'kysely';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';

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

/** What an import stores once all its transfers have been read: the complete result and what follows from the rows. */
export interface ImportCompletion {
  result: IngestResult<unknown>;
  sourceRecords: readonly SourceRecord[];
  tivTotals: readonly TivTotal[];
}

export interface ImportToSave {
  parser: string;
  /** Whether each transfer is public (SIPRI, national data) or private (a private ATT report form). */
  visibilityOf?: (transfer: Transfer) => 'public' | 'private';
  /** The file's identity (source and sha256) and name: known before any of its rows is read. */
  source: string;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  importedAt: Date;
  /**
   * The accepted transfers, iterated once, inside the transaction. A parser may produce them as they are stored (a
   * register read row by row): each chunk goes to the database while the next rows are read.
   */
  transfers: Iterable<Transfer>;
  /** How many transfers to expect at most, for progress. */
  expectedTransfers: number;
  /**
   * Called once `transfers` is exhausted, still inside the transaction. It may throw (broken row accounting, say):
   * the transaction is rolled back and nothing of the import is stored.
   */
  complete(): ImportCompletion;
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
 * Rows as COPY text, COPY_CHUNK_ROWS lines per chunk, made as they are pulled: only the chunk being sent is held as
 * text, never the whole table, and rows that a parser produces lazily are read only as the database takes them.
 * `onChunk` reports progress as each chunk is handed over.
 */
function* copyChunks<T>(
  items: Iterable<T>,
  line: (item: T) => string,
  onChunk?: (rows: number) => void,
): Generator<string, void, undefined> {
  let lines: string[] = [];
  for (const item of items) {
    lines.push(line(item));
    if (lines.length === COPY_CHUNK_ROWS) {
      yield lines.join('');
      onChunk?.(COPY_CHUNK_ROWS);
      lines = [];
    }
  }
  if (lines.length > 0) {
    yield lines.join('');
    onChunk?.(lines.length);
  }
}

/** COPY the chunks, unless there are none: an empty COPY would still cost the server a round trip. */
async function copyIfAny(
  session: TransactionSession,
  table: string,
  columns: readonly string[],
  chunks: Generator<string, void, undefined>,
): Promise<void> {
  const first = chunks.next();
  if (first.done) return;
  await session.copyFrom(
    table,
    columns,
    (function* () {
      yield first.value;
      yield* chunks;
    })(),
  );
}

/**
 * Stores one import inside the caller's transaction: the run, its transfers (COPY on the transaction's own
 * connection), other records, quarantined rows, TIV totals and registry entries. `save` wraps it in a transaction of
 * its own; the reporting workflow calls it inside the transaction that records a submitted version, so that a version
 * and its rows commit or vanish together.
 */
export async function saveImportIn(
  trx: Transaction<Database>,
  session: TransactionSession,
  input: ImportToSave,
  onProgress?: (stored: number, total: number) => void,
): Promise<ImportRun> {
  let total = input.expectedTransfers;
  let stored = 0;
  const progress = (n: number) => {
    stored += n;
    onProgress?.(stored, Math.max(stored, total));
  };
  // The run first, so that the rows can name it; its counts are not known until every row has been read.
  const { id } = await trx
    .insertInto('import_runs')
    .values({
      source: input.source,
      parser: input.parser,
      file_name: input.fileName,
      file_sha256: input.fileSha256,
      file_bytes: input.fileBytes,
      imported_at: input.importedAt,
      rows_read: 0,
      accepted: 0,
      quarantined: 0,
      blank: 0,
      refused: false,
      metadata: jsonb({}),
      stats: jsonb({}),
      file_issues: jsonb([]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const visibilityOf = input.visibilityOf ?? (() => 'public' as const);
  let restricted = false;
  let completion: ImportCompletion | undefined;
  const transferChunks = copyChunks(
    input.transfers,
    (t) => {
      const visibility = visibilityOf(t);
      if (visibility === 'private') restricted = true;
      return transferLine(t, id, visibility);
    },
    progress,
  );
  await copyIfAny(
    session,
    'transfers',
    TRANSFER_COLUMNS,
    (function* () {
      yield* transferChunks;
      // Once the last chunk is on its way, and while the server still stores it: what follows from the rows.
      completion = input.complete();
    })(),
  );

  const { result, sourceRecords, tivTotals } = completion ?? input.complete();
  total = stored + sourceRecords.length + result.quarantined.length;
  await copyIfAny(
    session,
    'source_records',
    ['import_run_id', 'row_number', 'sheet', 'kind', 'record'],
    copyChunks(
      sourceRecords,
      (r) => copyLine([id, r.row, r.sheet, r.kind, JSON.stringify(r.record)]),
      progress,
    ),
  );
  await copyIfAny(
    session,
    'quarantined_rows',
    ['import_run_id', 'row_number', 'sheet', 'codes', 'raw', 'issues'],
    copyChunks(
      result.quarantined,
      (q) =>
        copyLine([
          id,
          q.row,
          q.sheet,
          [...new Set(q.issues.map((issue) => issue.code))].join(';'),
          JSON.stringify(q.raw),
          JSON.stringify(q.issues),
        ]),
      progress,
    ),
  );
  await copyIfAny(
    session,
    'tiv_totals',
    ['import_run_id', 'side', 'state_id', 'year', 'tiv'],
    copyChunks(tivTotals, (t) => copyLine([id, t.side, t.stateId, t.year, t.tiv])),
  );
  const run = await trx
    .updateTable('import_runs')
    .set({
      rows_read: result.rowsRead,
      accepted: result.accepted.length,
      quarantined: result.quarantined.length,
      blank: result.blank,
      refused: result.stats['refused'] === 1,
      metadata: jsonb(result.metadata),
      stats: jsonb(result.stats),
      file_issues: jsonb(result.issues.filter((issue) => issue.row === null)),
      visibility: restricted ? 'restricted' : 'public',
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const entry of input.registryEntriesFor?.(id) ?? []) {
    await saveRegistryEntry(trx, entry);
    await supersedeEarlierImports(trx, id, entry, input.importedAt);
  }
  return toImportRun(run);
}

/**
 * A later import of a report (a corrected file) replaces the earlier imports of the same State, kind and covered year,
 * as a submitted version replaces the one before it (docs/data-model.md, "the current version decides"): their rows
 * stay for those entitled to private forms (ATT Art. 13(3)), never for the public, even where they were public, and
 * the default scope leaves them out. Audited.
 */
export async function supersedeEarlierImports(
  trx: Transaction<Database>,
  runId: number,
  entry: Pick<ReportRegistryEntry, 'stateId' | 'kind' | 'coveredYear'>,
  at: Date,
  actor = 'operator',
): Promise<void> {
  const earlier = await trx
    .selectFrom('report_registry as g')
    .innerJoin('import_runs as r', 'r.id', 'g.import_run_id')
    .select('r.id')
    .where('g.state_id', '=', entry.stateId)
    .where('g.kind', 'in', registryKindsOfSameReport(entry.kind))
    .where('g.covered_year', entry.coveredYear === null ? 'is' : '=', entry.coveredYear)
    .where('r.id', '<', runId)
    .execute();
  for (const { id } of earlier) {
    // Only what is still public changes (a replaced version, or a wholly private file, has nothing left to withdraw).
    const rows = await trx.updateTable('transfers').set({ visibility: 'private' }).where('import_run_id', '=', id).where('visibility', '=', 'public').executeTakeFirst();
    const run = await trx.updateTable('import_runs').set({ visibility: 'restricted' }).where('id', '=', id).where('visibility', '=', 'public').executeTakeFirst();
    if (Number(rows.numUpdatedRows) === 0 && Number(run.numUpdatedRows) === 0) continue;
    await appendAudit(trx, {
      at,
      actor,
      action: 'import_run.supersede',
      target: `import_run:${id}`,
      before: { visibility: 'as imported' },
      after: { visibility: 'restricted', supersededBy: `import_run:${runId}` },
    });
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
     * The transfers are bulk-loaded by COPY on the transaction's own connection as they are read, and the run's counts
     * are filled in once they all are. A crash or error, in the database or in reading the rows, leaves nothing of it.
     */
    async save(input: ImportToSave, onProgress?: (stored: number, total: number) => void): Promise<ImportRun> {
      return store.transaction((trx, session) => saveImportIn(trx, session, input, onProgress));
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

    /**
     * The records of one import that are not transfers (SIPRI's TIV table lines, licence refusal criteria, dual-use
     * licences ...), in file order, optionally of one kind; none when the run is not visible to the viewer.
     */
    async sourceRecords(viewer: Viewer, importRunId: number, kind?: string): Promise<SourceRecord[]> {
      let query = store.db
        .selectFrom('source_records as s')
        .innerJoin('import_runs as r', 'r.id', 's.import_run_id')
        .where(runsVisibleTo(viewer, 'r'))
        .where('s.import_run_id', '=', importRunId)
        .select(['s.kind', 's.row_number', 's.sheet', 's.record'])
        .orderBy('s.id');
      if (kind !== undefined) query = query.where('s.kind', '=', kind);
      const rows = await query.execute();
      return rows.map((r) => ({ kind: r.kind, row: r.row_number, sheet: r.sheet, record: r.record }));
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
