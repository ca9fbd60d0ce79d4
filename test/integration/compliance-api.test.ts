import { existsSync } from 'node:fs';
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
import { createTransferRepository } from '../../src/store/transfer-repository.js';
import { pgliteEngine, useStorageEngine } from '../support/engines.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const sipri = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'sipri');

describe.runIf(existsSync(sipri))('compliance through the API, on the shared SIPRI registers', () => {
  const handle = useStorageEngine(pgliteEngine(), {
    async setup(store) {
      await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
      const deps = { imports: createImportRepository(store), reference: createReferenceRepository(store), clock };
      for (const file of ['2025-release-deal-rows/trade-register.csv', '2025-release-delivery-rows/trade_register.csv']) {
        const outcome = await importFile(deps, { source: 'sipri', fileName: file, bytes: new Uint8Array(await readFile(path.join(sipri, file))) });
        expect(outcome.status).toBe('imported');
      }
    },
  });
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

  it('finds five depositaries among the top 10 exporters of 2009-2013 on 24 August 2015, and six for 2010-2014', async () => {
    const first = (await get('/v1/coverage?asOf=2015-08-24&from=2009&to=2013')).data;
    expect(first.release.dataGenerated).toBeTruthy();
    expect(first.period).toMatchObject({ from: 2009, to: 2013 });
    const deposited = (side: { top: { name: string; deposited: boolean }[] }) => side.top.filter((p) => p.deposited).map((p) => p.name).sort();
    expect(deposited(first.exports)).toEqual(['France', 'Germany', 'Italy', 'Spain', 'United Kingdom']);
    const second = (await get('/v1/coverage?asOf=2015-08-24&from=2010&to=2014')).data;
    expect(deposited(second.exports)).toEqual(['France', 'Germany', 'Italy', 'Netherlands', 'Spain', 'United Kingdom']);
  });

  it('flags deliveries to South Africa during res. 418 in the classic register', async () => {
    const runs = (await get('/v1/imports')).rows;
    const classic = runs.find((r: { parser: string }) => r.parser === 'sipri-deal-rows').id;
    const body = await get(`/v1/screening?importRunId=${classic}&importerId=ZAF&outcome=flag&_size=max`);
    expect(body.count).toBeGreaterThan(0);
    // The summary counts the filtered rows: all of them flagged.
    expect(body.summary.counts).toMatchObject({ flag: body.count, total: body.count, clear: 0 });
    expect(body.rows.every((r: { episodeIds: string[] }) => r.episodeIds.includes('ZAF-1977'))).toBe(true);
    // A deal delivered over several years is flagged when one of its delivery years lies wholly inside the episode.
    expect(body.rows.every((r: { years: number[] }) => r.years.some((y) => y >= 1978 && y <= 1993))).toBe(true);
  });

  it('gives a dossier of indicators with sources for South Sudan, never a verdict', async () => {
    const body = (await get('/v1/states/SSD/dossier?asOf=2020-01-01')).data;
    const embargo = body.indicators.find((i: { indicator: string }) => i.indicator === 'un_arms_embargo_in_force');
    expect(embargo).toMatchObject({ article: '6(1)', value: 'SSD-2018', level: 'concern' });
    for (const indicator of body.indicators) {
      expect(indicator.source).toBeTruthy();
      expect(indicator.explanation).not.toMatch(/\b(violat(ed|es)|breach(ed|es))\b/i);
    }
  });
});
