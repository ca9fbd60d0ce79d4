import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { fixedClock } from '../../src/model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../../src/model/reporting.js';
import { importFile } from '../../src/services/import-file.js';
import { PROJECT_ROOT } from '../../src/settings.js';
import { createImportRepository } from '../../src/store/import-repository.js';
import { createReferenceRepository } from '../../src/store/reference-repository.js';
import { syncReference } from '../../src/store/reference-sync.js';
import { createRegistryRepository } from '../../src/store/registry-repository.js';
import { createTransferRepository } from '../../src/store/transfer-repository.js';
import { storageEngines, useStorageEngine } from '../support/engines.js';

const clock = fixedClock('2025-09-01T09:00:00Z');
const referenceDir = path.join(PROJECT_ROOT, 'data', 'reference');

for (const engine of storageEngines()) {
  describe(`reports, compliance and scores through the API on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, {
      async setup(store) {
        await syncReference(store, referenceDir, clock);
        // France 2024: exports form public, imports form private (hand-written fixture).
        const bytes = new Uint8Array(await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'att-report', 'report.csv')));
        await importFile({ imports: createImportRepository(store), reference: createReferenceRepository(store), clock }, { source: 'att-report', fileName: 'report.csv', bytes });
      },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const get = async (url: string): Promise<{ status: number; body: any; text: string }> => {
      const app = createApp({
        reference: createReferenceRepository(handle.store),
        imports: createImportRepository(handle.store),
        transfers: createTransferRepository(handle.store),
        registry: createRegistryRepository(handle.store),
        referenceDir,
        clock,
        reporting: DEFAULT_REPORTING_RULES,
      });
      const response = await app.request(url);
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text), text };
    };

    it('lists the imported report in the registry, its private form only as "submitted, private"', async () => {
      const { body } = await get('/v1/reports?stateId=FRA');
      expect(body.rows).toHaveLength(1);
      const entry = body.rows[0];
      expect(entry).toMatchObject({ stateId: 'FRA', kind: 'annual', coveredYear: 2024, submittedOn: '2025-05-28', origin: 'att-report-import' });
      expect(entry.exports.visibility).toBe('public');
      expect(entry.exports.withheldCommerciallySensitive).toBe(true);
      expect(entry.imports).toEqual({ visibility: 'private', nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null });
    });

    it('shows a report with its public rows only and its score with a reason for every criterion', async () => {
      const id = (await get('/v1/reports?stateId=FRA')).body.rows[0].id;
      const { status, body, text } = await get(`/v1/reports/${encodeURIComponent(id)}`);
      expect(status).toBe(200);
      expect(body.data.rows.length).toBeGreaterThan(0);
      expect(body.data.rows.every((r: { exporterId: string }) => r.exporterId === 'FRA')).toBe(true);
      // Nothing of the private imports form leaks: its partner in the fixture is Germany.
      expect(text).not.toContain('"importerId":"FRA"');
      const score = body.data.score;
      expect(score.score).toBeLessThanOrEqual(score.maxScore);
      for (const criterion of score.criteria) expect(criterion.reason).toBeTruthy();
      expect(score.criteria.find((c: { id: string }) => c.id === 'timeliness').points).toBe(criterion('timeliness', score).maxPoints);
    });

    it('counts France among the States Parties that reported for 2024, on time', async () => {
      const { body } = await get('/v1/compliance/rates?year=2024&asOf=2025-09-01');
      const all = body.data.rates.find((r: { groupBy: string }) => r.groupBy === 'all');
      expect(all.counts.reported).toBe(1);
      expect(all.counts.onTime).toBe(1);
      expect(all.counts.obliged).toBeGreaterThan(100);
      const record = await get('/v1/compliance/states/FRA?asOf=2025-09-01');
      const annual2024 = record.body.data.obligations.find((o: { coveredYear: number | null }) => o.coveredYear === 2024);
      expect(annual2024.status).toBe('on_time');
    });

    it("gives the dossier's reporting record from the registry: the 2024 report arrived on time", async () => {
      const { body } = await get('/v1/states/FRA/dossier?asOf=2025-09-01');
      const record = body.data.indicators.find((i: { indicator: string }) => i.indicator === 'reporting_record');
      expect(record.article).toBe('13(3)');
      expect(record.explanation).toContain('on_time');
    });

    it('answers an unknown report with 404', async () => {
      const { status, body } = await get('/v1/reports/nothing-here');
      expect(status).toBe(404);
      expect(body.error.code).toBe('not_found');
    });
  });
}

function criterion(id: string, score: { criteria: { id: string; maxPoints: number }[] }) {
  return score.criteria.find((c) => c.id === id)!;
}
