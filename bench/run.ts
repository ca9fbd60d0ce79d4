/**
 * `npm run bench`: figures measured side by side in one run, printed as ratios against a baseline measured in the
 * same process. Not part of the test suite (no timed tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/api/app.js';
import { treatyStatusAsOf } from '../src/analysis/treaty-status.js';
import { openContext } from '../src/cli/context.js';
import { systemClock } from '../src/model/clock.js';
import { addDays, dateInTimeZone, type IsoDate } from '../src/model/dates.js';
import { ANONYMOUS } from '../src/model/viewer.js';
import { loadSettings } from '../src/settings.js';
import { measure, printRatio, printTiming } from './harness.js';
import { benchIngest } from './ingest.js';
import { benchApi } from './api.js';
import { benchCompliance } from './compliance.js';
import { benchSoak } from './soak.js';

async function main(): Promise<void> {
  // `npm run bench -- api` runs one section (ingest, api, compliance, soak); no argument runs them all.
  const only = process.argv[2];
  if (only === 'ingest') return benchIngest();
  if (only === 'api') return benchApi();
  if (only === 'compliance') return benchCompliance();
  if (only === 'soak') return benchSoak();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'att-bench-'));
  const settings = loadSettings({ ...process.env, ATT_DATA_DIR: dataDir, ATT_DATABASE_URL: '' });
  console.log(
    `ATT Observatory bench (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores)`,
  );
  const context = await openContext(settings, systemClock);
  try {
    const snapshot = await context.reference.snapshot(ANONYMOUS);

    console.log('\n1. Treaty status as of every day from 2013-06-03 to today');
    const today = dateInTimeZone(new Date(), 'UTC');
    const days: IsoDate[] = [];
    for (let d = '2013-06-03' as IsoDate; d <= today; d = addDays(d, 1)) days.push(d);
    const everyDay = await measure(
      `treatyStatusAsOf x ${days.length} days`,
      () => {
        for (const day of days) treatyStatusAsOf(snapshot.states, snapshot.treatyRecords, day);
      },
      5,
      1,
    );
    printTiming(everyDay);
    console.log(`  per day: ${((everyDay.meanMs / days.length) * 1000).toFixed(1)} µs`);

    console.log('\n2. GET /v1/treaty/status in-process vs the same query called directly');
    const app = createApp({
      reference: context.reference,
      clock: systemClock,
      reporting: settings.reporting,
    });
    const direct = await measure('direct: snapshot + treatyStatusAsOf', async () => {
      const s = await context.reference.snapshot(ANONYMOUS);
      return treatyStatusAsOf(s.states, s.treatyRecords, '2015-08-24' as IsoDate);
    });
    const viaApi = await measure('API: app.request(/v1/treaty/status?asOf=2015-08-24)', async () => {
      const response = await app.request('/v1/treaty/status?asOf=2015-08-24&_size=max');
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      return response.text();
    });
    printTiming(direct);
    printTiming(viaApi);
    printRatio('API p50 / direct p50', viaApi.p50Ms, direct.p50Ms);
    printRatio('API p99 / direct p99', viaApi.p99Ms, direct.p99Ms);
  } finally {
    await context.store.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  console.log('\n3. Import of the 2025 delivery-row register, and the exporter x year TIV table');
  await benchIngest();

  console.log('\n4. Transfers API, cached GETs under load, web app size and first render');
  await benchApi();

  console.log('\n5. Embargo screening and mirror analysis');
  await benchCompliance();

  console.log('\n6. Soak: mixed reads and writes over loopback, the server memory curve (ATT_SOAK_SECONDS, default 600)');
  await benchSoak();
}

await main();
