import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../model/reporting.js';
import { OPERATOR } from '../model/viewer.js';
import { importFile } from '../services/import-file.js';
import { PROJECT_ROOT } from '../settings.js';
import { createAuditLog } from '../store/audit-log.js';
import { createImportRepository } from '../store/import-repository.js';
import { createReferenceRepository } from '../store/reference-repository.js';
import { syncReference } from '../store/reference-sync.js';
import { createTransferRepository } from '../store/transfer-repository.js';
import { createApp } from './app.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures');

/** The world fixture cut down to France's exports, as SIPRI's site exports one supplier, in a newer release. */
async function franceSelection(): Promise<Uint8Array> {
  const text = await readFile(path.join(fixtures, 'sipri', 'delivery-rows.csv'), 'utf8');
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((line) => line.startsWith('SIPRI AT Database ID'));
  const kept = [
    ...lines
      .slice(0, header)
      .map((line, index) =>
        index === 0
          ? "Transfers of major conventional arms from France to All countries . Deals with deliveries made for the year range '2015' to '2025';"
          : line.replace(/^Data generated: .*;$/, 'Data generated: 10 Jul 2026 10:00:00 AM;'),
      ),
    lines[header]!,
    ...lines.slice(header + 1).filter((line) => /^\d+,France,/.test(line)),
  ];
  return new TextEncoder().encode(`${kept.join('\r\n')}\r\n`);
}

/** The fixture's report with its first export row corrected (another value): a second file for France, 2024. */
async function correctedReport(): Promise<Uint8Array> {
  const text = await readFile(path.join(fixtures, 'att-report', 'report.csv'), 'utf8');
  const corrected = text.replace('II,,CHL,4,"12,500,000.00"', 'II,,CHL,5,"15,600,000.00"');
  expect(corrected).not.toBe(text);
  return new TextEncoder().encode(corrected);
}

for (const engine of storageEngines()) {
  describe(`the default scope of answers on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, {
      async setup(store) {
        await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
      },
    });
    const deps = () => ({
      imports: createImportRepository(handle.store),
      reference: createReferenceRepository(handle.store),
      clock,
    });
    const load = async (source: string, fileName: string, bytes: Uint8Array) => {
      const outcome = await importFile(deps(), { source, fileName, bytes });
      expect(outcome.status).toBe('imported');
      return outcome.status === 'imported' ? outcome.run.id : -1;
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const get = async (url: string): Promise<any> => {
      const app = createApp({
        reference: createReferenceRepository(handle.store),
        imports: createImportRepository(handle.store),
        transfers: createTransferRepository(handle.store),
        clock,
        reporting: DEFAULT_REPORTING_RULES,
      });
      const response = await app.request(url);
      expect(response.status).toBe(200);
      return response.json();
    };
    const runs: Record<string, number> = {};

    it('uses a one-country selection when it is all there is, and says so in every answer', async () => {
      runs['france'] = await load('sipri', 'france-2026.csv', await franceSelection());
      const tiv = await get('/v1/tiv?by=importer');
      expect(tiv.summary.importRunId).toBe(runs['france']);
      expect(tiv.meta.notices.join(' ')).toContain('from France to All countries');
      const transfers = await get('/v1/transfers?source=sipri&_size=1');
      expect(transfers.summary.scope).toEqual([runs['france']]);
      expect(transfers.meta.notices.join(' ')).toContain('from France to All countries');
    });

    it('answers from the whole database once it is imported, though the selection is a newer release', async () => {
      runs['world'] = await load(
        'sipri',
        'delivery-rows.csv',
        new Uint8Array(await readFile(path.join(fixtures, 'sipri', 'delivery-rows.csv'))),
      );
      const tiv = await get('/v1/tiv?by=importer');
      expect(tiv.summary.importRunId).toBe(runs['world']);
      expect(tiv.meta.notices).toEqual([]);
      const transfers = await get('/v1/transfers?source=sipri&_size=max');
      expect(transfers.summary.scope).toEqual([runs['world']]);
      expect(transfers.meta.notices).toEqual([]);
      expect(new Set(transfers.rows.map((r: { exporterId: string }) => r.exporterId)).size).toBeGreaterThan(
        1,
      );
      // The selection stays one parameter away.
      const selection = await get(`/v1/tiv?by=importer&import=${runs['france']}`);
      expect(selection.summary.importRunId).toBe(runs['france']);
      expect(selection.meta.notices.join(' ')).toContain('from France to All countries');
    });

    it('counts only the latest file of a report for a State and year, and keeps the earlier one for private readers only', async () => {
      runs['report'] = await load(
        'att-report',
        'report.csv',
        new Uint8Array(await readFile(path.join(fixtures, 'att-report', 'report.csv'))),
      );
      const first = await get('/v1/transfers?source=att-report&exporterId=FRA&importerId=CHL&_size=max');
      expect(first.rows.map((r: { numberOfItems: number }) => r.numberOfItems)).toEqual([4]);
      runs['corrected'] = await load('att-report', 'report-corrected.csv', await correctedReport());
      const after = await get('/v1/transfers?source=att-report&exporterId=FRA&importerId=CHL&_size=max');
      expect(
        after.rows.map((r: { numberOfItems: number; importRunId: number }) => [
          r.numberOfItems,
          r.importRunId,
        ]),
      ).toEqual([[5, runs['corrected']]]);
      expect(after.summary.scope).not.toContain(runs['report']);
      expect(after.summary.scope).toContain(runs['corrected']);
      // The replaced file is withdrawn from the public, as a replaced version is (ATT Art. 13(3)): its rows stay for
      // those entitled to private forms.
      const history = await get(`/v1/transfers?importRunId=${runs['report']}&exporterId=FRA&importerId=CHL`);
      expect(history.rows).toEqual([]);
      const kept = await createImportRepository(handle.store).transfersOf(OPERATOR, runs['report']!);
      expect(kept.filter((t) => t.importerId === 'CHL').map((t) => t.numberOfItems)).toEqual([4]);
      const audit = await createAuditLog(handle.store).list(OPERATOR, { action: 'import_run.supersede' });
      expect(audit.map((a) => a.target)).toEqual([`import_run:${runs['report']}`]);
    });
  });
}
