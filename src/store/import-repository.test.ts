import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import type { IngestResult } from '../model/ingest.js';
import { stateId } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';
import { OPERATOR } from '../model/viewer.js';
import { createImportRepository, type ImportToSave } from './import-repository.js';
import type { Store } from './open-store.js';

const SHA = 'c'.repeat(64);

function transfer(row: number, patch: Partial<Transfer> = {}): Transfer {
  return {
    source: 'sipri',
    sourceRecordId: String(50_000 + row),
    exporterId: stateId('FRA'),
    importerId: stateId('IND'),
    partnerAggregated: false,
    year: 2020,
    yearMissingReason: null,
    deliveryYears: [2020],
    orderYear: 2018,
    categoryScheme: 'sipri',
    categoryCode: 'Aircraft',
    subcategoryCode: null,
    description: 'fighter aircraft',
    designation: 'Rafale\tF3 "R"\\',
    comments: 'a comment\nover two lines',
    basis: 'delivered',
    numberOfItems: 3,
    numberOfItemsMissingReason: null,
    numberOrdered: null,
    value: '12.50',
    currency: 'EUR',
    valueMissingReason: null,
    tivDelivered: '0',
    tivPerUnit: '85.5',
    tivTotalOrder: null,
    endUser: null,
    endUse: null,
    status: 'New',
    localProduction: false,
    uncertain: ['year'],
    provenance: {
      source: 'sipri',
      fileName: 'register.csv',
      fileSha256: SHA,
      row,
      sheet: null,
      importRunId: null,
    },
    ...patch,
  };
}

function importOf(transfers: Transfer[], sha = SHA): ImportToSave {
  const result: IngestResult<Transfer> = {
    source: 'sipri',
    fileName: 'register.csv',
    fileSha256: sha,
    rowsRead: transfers.length + 1,
    accepted: transfers,
    quarantined: [
      {
        row: 99,
        sheet: null,
        raw: { Supplier: 'Atlantis\\', Recipient: 'tab\there' },
        issues: [
          {
            file: 'register.csv',
            sheet: null,
            row: 99,
            column: 'Supplier',
            value: 'Atlantis\\',
            code: 'unknown_state',
            severity: 'error',
            message: 'row 99, column "Supplier": "Atlantis\\" is not a known State or party',
            hint: 'add it to data/reference/state-aliases.csv (source sipri) or correct the file',
          },
        ],
      },
    ],
    blank: 0,
    issues: [],
    metadata: {},
    stats: {},
  };
  return {
    parser: 'sipri-delivery-rows',
    source: 'sipri',
    fileName: 'register.csv',
    fileSha256: sha,
    fileBytes: 1234,
    importedAt: new Date('2026-11-24T09:00:00Z'),
    transfers,
    expectedTransfers: transfers.length,
    complete: () => ({
      result,
      sourceRecords: [{ kind: 'note', row: 100, sheet: 'Notes', record: { text: 'line\nbreak', n: 1 } }],
      tivTotals: [{ side: 'exporter', stateId: 'FRA', year: 2020, tiv: '0.5' }],
    }),
  };
}

async function countsOf(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'import_runs',
    'transfers',
    'quarantined_rows',
    'source_records',
    'tiv_totals',
  ] as const) {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const NOTHING = { import_runs: 0, transfers: 0, quarantined_rows: 0, source_records: 0, tiv_totals: 0 };

for (const engine of storageEngines()) {
  describe(`import repository on ${engine.name}`, () => {
    const handle = useStorageEngine(engine);

    it('stores each transfer with its provenance, the typed columns equal to the fields of its record', async () => {
      const imports = createImportRepository(handle.store);
      const transfers = [
        transfer(13),
        transfer(14, { importerId: null, year: null, value: null, currency: null, numberOfItems: null }),
      ];
      const progress: [number, number][] = [];
      const run = await imports.save(importOf(transfers), (stored, total) => progress.push([stored, total]));
      expect(run).toMatchObject({ rowsRead: 3, accepted: 2, quarantined: 1, blank: 0, fileSha256: SHA });
      expect(progress.at(-1)).toEqual([4, 4]); // two transfers, one source record, one quarantined row

      const stored = await imports.transfersOf(OPERATOR, run.id);
      expect(stored).toEqual(
        transfers.map((t) => ({ ...t, provenance: { ...t.provenance, importRunId: String(run.id) } })),
      );
      const columns = (
        await sql<Record<string, unknown>>`
          select import_run_id, row_number, source, source_record_id, exporter_id, importer_id, partner_aggregated, year,
                 order_year, category_scheme, category_code, basis, number_of_items, value, currency, tiv_delivered,
                 visibility
          from transfers where import_run_id = ${run.id} order by row_number`.execute(handle.store.db)
      ).rows;
      expect(columns).toEqual(
        transfers.map((t) => ({
          import_run_id: run.id,
          row_number: t.provenance.row,
          source: t.source,
          source_record_id: t.sourceRecordId,
          exporter_id: t.exporterId,
          importer_id: t.importerId,
          partner_aggregated: t.partnerAggregated,
          year: t.year,
          order_year: t.orderYear,
          category_scheme: t.categoryScheme,
          category_code: t.categoryCode,
          basis: t.basis,
          number_of_items: t.numberOfItems,
          value: t.value,
          currency: t.currency,
          tiv_delivered: t.tivDelivered,
          visibility: 'public',
        })),
      );
      const quarantine = await imports.quarantine(OPERATOR, { importRunId: run.id });
      expect(quarantine).toEqual([
        expect.objectContaining({
          row: 99,
          codes: ['unknown_state'],
          raw: { Supplier: 'Atlantis\\', Recipient: 'tab\there' },
        }),
      ]);
      const records = await handle.store.db
        .selectFrom('source_records')
        .select(['row_number', 'sheet', 'kind', 'record'])
        .execute();
      expect(records).toEqual([
        { row_number: 100, sheet: 'Notes', kind: 'note', record: { text: 'line\nbreak', n: 1 } },
      ]);
      expect(await imports.tivTotals(OPERATOR, run.id, 'exporter')).toEqual([
        { side: 'exporter', stateId: 'FRA', year: 2020, tiv: '0.5' },
      ]);
      await handle.store.db.deleteFrom('import_runs').execute();
      expect(await countsOf(handle.store)).toEqual(NOTHING);
    });

    it('stores nothing of an import, not even its run, when the database refuses one of its transfers', async () => {
      const imports = createImportRepository(handle.store);
      // 1,200 good rows, then one whose TIV the numeric column refuses: the failure comes after rows were copied.
      const transfers = Array.from({ length: 1200 }, (_, i) => transfer(20 + i));
      transfers.push(transfer(5000, { tivDelivered: 'not a number' }));
      await expect(imports.save(importOf(transfers, 'd'.repeat(64)))).rejects.toMatchObject({
        code: '22P02',
      });
      expect(await countsOf(handle.store)).toEqual(NOTHING);
    });

    it('stores nothing when reading the rows fails part way, after some were already sent', async () => {
      const imports = createImportRepository(handle.store);
      function* rowsThenFailure(): Generator<Transfer> {
        for (let i = 0; i < 1200; i++) yield transfer(20 + i);
        throw new Error('the parser broke on row 1220');
      }
      const input = { ...importOf([], 'e'.repeat(64)), transfers: rowsThenFailure() };
      await expect(imports.save(input)).rejects.toThrow('the parser broke on row 1220');
      expect(await countsOf(handle.store)).toEqual(NOTHING);
    });

    it('stores nothing when the import fails its last check, once every row was stored', async () => {
      const imports = createImportRepository(handle.store);
      const input: ImportToSave = {
        ...importOf([transfer(13)], 'f'.repeat(64)),
        complete: () => {
          throw new Error('row accounting broken');
        },
      };
      await expect(imports.save(input)).rejects.toThrow('row accounting broken');
      expect(await countsOf(handle.store)).toEqual(NOTHING);
    });
  });
}
