import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { tivByYear } from '../ingest/sipri/tiv-table.js';
import { fixedClock } from '../model/clock.js';
import { ANONYMOUS, OPERATOR } from '../model/viewer.js';
import { PROJECT_ROOT } from '../settings.js';
import { createImportRepository } from '../store/import-repository.js';
import { createReferenceRepository } from '../store/reference-repository.js';
import { syncReference } from '../store/reference-sync.js';
import { importFile, storedWarnings, WARNING_EXAMPLES_PER_CODE } from './import-file.js';
import { frenchExportsReportCsv } from '../ingest/att-report/test-support.js';
import { tivTable } from './tiv.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures', 'sipri');
const sharedSipri = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'sipri');
const utf8 = (text: string) => new TextEncoder().encode(text);

const attReportCsv = (rows: string[]) => utf8(frenchExportsReportCsv(rows));

for (const engine of storageEngines()) {
  describe(`importing files on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, {
      async setup(store) {
        await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
      },
    });
    const deps = () => ({ imports: createImportRepository(handle.store), reference: createReferenceRepository(handle.store), clock });
    const bytesOf = async (file: string) => new Uint8Array(await readFile(file));

    it('stores a register once: the second import of the same file changes nothing', async () => {
      const bytes = await bytesOf(path.join(fixtures, 'delivery-rows.csv'));
      const first = await importFile(deps(), { source: 'sipri', fileName: 'delivery-rows.csv', bytes });
      expect(first.status).toBe('imported');
      const count = async () =>
        (await handle.store.db.selectFrom('transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const before = await count();
      expect(before).toBe(first.summary!.accepted);
      const second = await importFile(deps(), { source: 'sipri', fileName: 'copy-with-another-name.csv', bytes });
      expect(second.status).toBe('already_imported');
      expect(second.run!.id).toBe(first.run!.id);
      expect(await count()).toBe(before);
    });

    it('stores nothing on a dry run', async () => {
      const bytes = await bytesOf(path.join(fixtures, 'deal-rows-latin1.csv'));
      const runsBefore = (await deps().imports.list(ANONYMOUS)).length;
      const outcome = await importFile(deps(), { source: 'sipri', fileName: 'deal-rows-latin1.csv', bytes, dryRun: true });
      expect(outcome.status).toBe('dry_run');
      expect(outcome.summary!.accepted).toBeGreaterThan(0);
      expect((await deps().imports.list(ANONYMOUS)).length).toBe(runsBefore);
    });

    it('keeps every quarantined row with file, row, column and what to do', async () => {
      const bytes = await bytesOf(path.join(fixtures, 'bad-values.csv'));
      const outcome = await importFile(deps(), { source: 'sipri', fileName: 'bad-values.csv', bytes });
      expect(outcome.status).toBe('imported');
      const run = outcome.run!;
      expect(run.rowsRead).toBe(run.accepted + run.quarantined + run.blank);
      const entries = await deps().imports.quarantine(ANONYMOUS, { importRunId: run.id });
      expect(entries).toHaveLength(run.quarantined);
      const unknown = entries.find((e) => e.codes.includes('unknown_state'));
      expect(unknown?.issues[0]).toMatchObject({ file: 'bad-values.csv', column: 'Recipient', value: 'Atlantis' });
      expect(unknown?.issues[0]?.hint).toContain('state-aliases.csv');
    });

    it('keeps the private form of an ATT report away from anonymous viewers, run, rows and quarantine alike', async () => {
      // The fixture's exports form is public and its imports form private (ATT Art. 13(3)).
      const bytes = await bytesOf(path.join(PROJECT_ROOT, 'test', 'fixtures', 'att-report', 'report.csv'));
      const outcome = await importFile(deps(), { source: 'att-report', fileName: 'report.csv', bytes });
      expect(outcome.status).toBe('imported');
      const runId = outcome.run!.id;
      expect((await deps().imports.list(ANONYMOUS)).map((r) => r.id)).not.toContain(runId);
      expect(await deps().imports.get(ANONYMOUS, runId)).toBeUndefined();
      expect((await deps().imports.quarantine(ANONYMOUS, { importRunId: runId }))).toHaveLength(0);
      // The public exports form stays public; none of the private imports form's rows is visible.
      const visible = await deps().imports.transfersOf(ANONYMOUS, runId);
      expect(visible.length).toBeGreaterThan(0);
      expect(visible.every((t) => t.exporterId === 'FRA')).toBe(true);
      const all = await deps().imports.transfersOf(OPERATOR, runId);
      const stored = await handle.store.db
        .selectFrom('transfers')
        .select(['visibility', 'exporter_id', 'importer_id'])
        .where('import_run_id', '=', runId)
        .execute();
      expect(stored.length).toBe(all.length);
      expect(stored.filter((r) => r.exporter_id === 'FRA').every((r) => r.visibility === 'public')).toBe(true);
      expect(stored.filter((r) => r.importer_id === 'FRA').every((r) => r.visibility === 'private')).toBe(true);
      expect(stored.some((r) => r.visibility === 'private')).toBe(true);
    });

    it('refuses a file that is not what the source expects and stores nothing', async () => {
      const runsBefore = (await deps().imports.list(OPERATOR)).length;
      const outcome = await importFile(deps(), { source: 'sipri', fileName: 'empty.csv', bytes: new Uint8Array() });
      expect(outcome.status).toBe('refused');
      expect(outcome.summary!.fileIssues[0]?.code).toBeTruthy();
      expect((await deps().imports.list(OPERATOR)).length).toBe(runsBefore);
    });

    it('gives every reason for refusing an ATT report in fileIssues, also those that name a line', async () => {
      const noTitle = await importFile(deps(), { source: 'att-report', fileName: 'no-title.csv', bytes: utf8('Category,Partner\nII,CHL\n') });
      expect(noTitle.status).toBe('refused');
      expect(noTitle.summary!.fileIssues).toEqual([expect.objectContaining({ code: 'missing_section', row: 1, severity: 'error', file: 'no-title.csv' })]);
      const unclosed = await importFile(deps(), { source: 'att-report', fileName: 'unclosed.csv', bytes: utf8('[Title]\nQuestion,Answer,Key\n"Reporting State,FRA,x\n') });
      expect(unclosed.summary!.fileIssues).toEqual([expect.objectContaining({ code: 'broken_csv', row: 3 })]);
      const register = await importFile(deps(), { source: 'att-report', fileName: 'delivery-rows.csv', bytes: await bytesOf(path.join(fixtures, 'delivery-rows.csv')) });
      expect(register.summary!.fileIssues.map((i) => i.code)).toEqual(['missing_section']);
    });

    it('lists the warnings of accepted rows and keeps their counts and the first examples of each code with the run', async () => {
      const rows = [
        'II,,CHL,4,1000,XYZ,Armoured vehicles',
        'II,,PER,2,500,EUR,=CMD()',
        ...Array.from({ length: WARNING_EXAMPLES_PER_CODE + 5 }, (_, i) => `II,,BRA,${i + 1},10,XYZ,Trucks`),
        'II,,Atlantis,1,10,EUR,Jeeps',
      ];
      const outcome = await importFile(deps(), { source: 'att-report', fileName: 'warnings.csv', bytes: attReportCsv(rows) });
      expect(outcome.status).toBe('imported');
      const summary = outcome.summary!;
      expect(summary.rowsRead).toBe(summary.accepted + summary.quarantined + summary.blank);
      expect(summary.warningsByCode).toEqual({ unknown_currency: WARNING_EXAMPLES_PER_CODE + 6, formula_kept_as_text: 1 });
      expect(summary.rowWarnings).toHaveLength(WARNING_EXAMPLES_PER_CODE + 7);
      expect(summary.rowWarnings[0]).toMatchObject({ file: 'warnings.csv', sheet: 'Exports', row: 11, column: 'Currency', value: 'XYZ', code: 'unknown_currency' });
      // The quarantined row's issue stays with that row, not among the warnings.
      expect(summary.rowWarnings.some((i) => i.code === 'unknown_state')).toBe(false);

      const stored = storedWarnings((await deps().imports.get(OPERATOR, outcome.run!.id))!);
      expect(stored).toMatchObject({ recorded: true, total: WARNING_EXAMPLES_PER_CODE + 7, byCode: summary.warningsByCode });
      expect(stored.examples.filter((i) => i.code === 'unknown_currency')).toHaveLength(WARNING_EXAMPLES_PER_CODE);
      expect(stored.examples.find((i) => i.code === 'formula_kept_as_text')).toMatchObject({ row: 12, column: 'Description of items', value: '=CMD()' });
    });

    it('refuses an empty or binary national file as a problem of the file, not of the source chosen', async () => {
      const empty = await importFile(deps(), { source: 'national', fileName: 'empty.csv', bytes: new Uint8Array() });
      expect(empty.status).toBe('refused');
      expect(empty.summary!.fileIssues.map((i) => i.code)).toEqual(['empty_file']);
      const binary = await importFile(deps(), { source: 'national', fileName: 'noise.csv', bytes: new Uint8Array([0, 159, 146, 150, 0, 1, 2]) });
      expect(binary.summary!.fileIssues.map((i) => i.code)).toEqual(['binary_file']);
    });

    it('refuses an unknown source and lists the known ones', async () => {
      await expect(importFile(deps(), { source: 'unroca', fileName: 'x.csv', bytes: new Uint8Array() })).rejects.toMatchObject({
        code: 'validation',
        hint: expect.stringContaining('sipri'),
      });
    });

    it.runIf(existsSync(sharedSipri))('keeps exporter x year TIV at import equal to the sum over the stored rows', async () => {
      const bytes = await bytesOf(path.join(sharedSipri, '2025-release-delivery-rows', 'trade_register.csv'));
      const outcome = await importFile(deps(), { source: 'sipri', fileName: 'trade_register.csv', bytes });
      expect(outcome.status).toBe('imported');
      expect(outcome.run!.rowsRead).toBe(25_024);
      const table = await tivTable(deps().imports, ANONYMOUS, { by: 'exporter', importRunId: outcome.run!.id });
      const fromRows = tivByYear(await deps().imports.transfersOf(ANONYMOUS, outcome.run!.id), 'exporter');
      const cells = table.rows.flatMap((r) => Object.entries(r.years).map(([year, tiv]) => ({ stateId: r.stateId, year: Number(year), tiv })));
      expect(cells).toEqual(fromRows.rows);
      expect(table.grandTotal).toBe(fromRows.grandTotal);
    });
  });
}
