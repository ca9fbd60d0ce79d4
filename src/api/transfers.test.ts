import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../model/reporting.js';
import { importFile } from '../services/import-file.js';
import { PROJECT_ROOT } from '../settings.js';
import { createImportRepository } from '../store/import-repository.js';
import { createReferenceRepository } from '../store/reference-repository.js';
import { syncReference } from '../store/reference-sync.js';
import { createTransferRepository } from '../store/transfer-repository.js';
import { createApp } from './app.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures');

for (const engine of storageEngines()) {
  describe(`/v1/transfers on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, {
      async setup(store) {
        await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
        const deps = { imports: createImportRepository(store), reference: createReferenceRepository(store), clock };
        for (const [source, file] of [
          ['sipri', 'sipri/delivery-rows.csv'],
          ['att-report', 'att-report/report.csv'],
        ] as const) {
          await importFile(deps, { source, fileName: file, bytes: new Uint8Array(await readFile(path.join(fixtures, file))) });
        }
      },
    });
    const app = (sipriDownloads = true) =>
      createApp({
        downloads: { sipriDownloads },
        reference: createReferenceRepository(handle.store),
        imports: createImportRepository(handle.store),
        transfers: createTransferRepository(handle.store),
        clock,
        reporting: DEFAULT_REPORTING_RULES,
      });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const get = async (url: string): Promise<{ status: number; body: any }> => {
      const response = await app().request(url);
      return { status: response.status, body: await response.json() };
    };

    it('filters, facets and pages in the store, with every row once', async () => {
      const all = await get('/v1/transfers?source=sipri&_size=max');
      expect(all.body.count).toBeGreaterThan(2);
      const seen: number[] = [];
      let url: string | null = '/v1/transfers?source=sipri&_size=2&_facet=exporterId';
      while (url) {
        const { body } = await get(url);
        seen.push(...body.rows.map((r: { id: number }) => r.id));
        expect(body.facets.exporterId.reduce((n: number, f: { count: number }) => n + f.count, 0)).toBe(all.body.count);
        url = body.nextUrl;
      }
      expect(seen).toHaveLength(all.body.count);
      expect(new Set(seen).size).toBe(all.body.count);
    });

    it('counts a facet over the other filters only, so the alternatives stay visible', async () => {
      const { body } = await get('/v1/transfers?source=sipri&exporterId=FRA&_facet=exporterId&_size=1');
      const unfiltered = await get('/v1/transfers?source=sipri&_size=1');
      const total = body.facets.exporterId.reduce((n: number, f: { count: number }) => n + f.count, 0);
      expect(total).toBe(unfiltered.body.count);
      expect(body.rows.every((r: { exporterId: string }) => r.exporterId === 'FRA')).toBe(true);
    });

    it('never shows the rows of a private ATT report form, in rows, counts or facets', async () => {
      const { body } = await get('/v1/transfers?source=att-report&_size=max&_facet=importerId,exporterId');
      // The fixture's imports form (rows with FRA as importer) is private; its exports form is public.
      expect(body.rows.length).toBeGreaterThan(0);
      expect(body.rows.every((r: { exporterId: string }) => r.exporterId === 'FRA')).toBe(true);
      expect(body.facets.importerId.map((f: { value: string }) => f.value)).not.toContain('FRA');
      expect(body.count).toBe(body.rows.length);
    });

    it('answers an unknown facet or a bad year with 400 naming the parameter', async () => {
      const facet = await get('/v1/transfers?_facet=colour');
      expect(facet.status).toBe(400);
      expect(facet.body.error.parameter).toBe('_facet');
      const year = await get('/v1/transfers?from=20x4');
      expect(year.status).toBe(400);
      expect(year.body.error.parameter).toBe('from');
    });

    it('gives SIPRI rows their credit line in downloads, and leaves them out where SIPRI downloads are off', async () => {
      const on = await (await app().request('/v1/transfers.csv?_size=max')).text();
      const header = on.split('\r\n')[0]!.split(',');
      expect(header.at(-1)).toBe('credit');
      expect(on).toContain('Information from the SIPRI Arms Transfers Database');
      const offResponse = await app(false).request('/v1/transfers.csv?_size=max');
      const off = await offResponse.text();
      expect(off).not.toContain('Information from the SIPRI Arms Transfers Database');
      expect(off.split('\r\n').slice(1).some((line) => line.includes(',sipri,'))).toBe(false);
      expect(decodeURIComponent(offResponse.headers.get('x-att-notice') ?? '')).toContain('not downloadable');
    });

    it('serves an Excel twin with the rows and a sheet naming sources and licences', async () => {
      const response = await app().request('/v1/transfers.xlsx?source=sipri&_size=max');
      expect(response.headers.get('content-type')).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const data = workbook.getWorksheet('data')!;
      const json = await get('/v1/transfers?source=sipri&_size=max');
      expect(data.rowCount).toBe(json.body.rows.length + 1);
      const about = workbook.getWorksheet('about')!;
      const text = about.getSheetValues().flat().join(' ');
      expect(text).toContain('licence');
    });

    it('offers every dataset in bulk with a metadata document and a citation, without private rows', async () => {
      const list = await get('/v1/bulk');
      expect(list.body.datasets.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['states', 'treaty-status', 'transfers', 'embargoes']));
      const metadata = await get('/v1/bulk/transfers.metadata.json');
      expect(metadata.body.citation).toContain('ATT Observatory');
      const csv = await (await app().request('/v1/bulk/transfers.csv')).text();
      expect(csv.trim().split('\r\n')).toHaveLength(metadata.body.rows + 1);
      // The fixture's private imports form has FRA as importer: none of its rows is in the bulk file.
      const json = await get('/v1/bulk/transfers.json');
      expect(json.body.rows.some((r: { source: string; importerId: string }) => r.source === 'att-report' && r.importerId === 'FRA')).toBe(false);
      const off = await (await app(false).request('/v1/bulk/transfers.csv')).text();
      expect(off).not.toContain(',sipri,');
    });

    it('serves the CSV twin with the same filters', async () => {
      const json = await get('/v1/transfers?source=sipri&_size=max');
      const response = await app().request('/v1/transfers.csv?source=sipri&_size=max');
      const lines = (await response.text()).trim().split('\r\n');
      expect(lines).toHaveLength(json.body.rows.length + 1);
    });
  });
}
