/**
 * Issue 4 benchmarks: the import of the 2025 delivery-row register (25,024 rows) against native COPY of the same
 * cleaned rows timed inside psql, and the exporter x year TIV table as the API serves it against DuckDB grouping the
 * same rows already loaded.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { createApp } from '../src/api/app.js';
import { appDepsFor } from '../src/cli/app-deps.js';
import { openContext } from '../src/cli/context.js';
import { systemClock } from '../src/model/clock.js';
import { ANONYMOUS } from '../src/model/viewer.js';
import { loadSettings, PROJECT_ROOT } from '../src/settings.js';
import { openStore } from '../src/store/open-store.js';
import { syncReference } from '../src/store/reference-sync.js';
import { measureSideBySide, printRatio, printTiming } from './harness.js';

const REGISTER = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'sipri', '2025-release-delivery-rows', 'trade_register.csv');
const SERVER = process.env['ATT_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = 3;
const TRANSFER_COLUMNS =
  'import_run_id,row_number,source,source_record_id,exporter_id,importer_id,partner_aggregated,year,order_year,category_scheme,category_code,basis,number_of_items,value,currency,tiv_delivered,visibility,record';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function runChild(target: string): { ms: number; maxRssMb: number; status: string; runId: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'import-child.ts'), target, REGISTER], {
    encoding: 'utf8',
    cwd: PROJECT_ROOT,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function psql(script: string): string {
  const result = spawnSync('psql', [SERVER, '-v', 'ON_ERROR_STOP=1', '-q'], { input: script, encoding: 'utf8', env: { ...process.env, PGUSER: process.env['PGUSER'] ?? 'postgres' } });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout;
}

export async function benchIngest(): Promise<void> {
  if (!existsSync(REGISTER)) {
    console.log(`  skipped: ${REGISTER} is not there (../shared/data beside the checkout)`);
    return;
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'att-bench-ingest-'));
  const schema = `bench_${process.pid}`;
  const pgliteDir = path.join(work, 'pglite');
  try {
    // Prepare both databases (migrated, reference data loaded) so the timed imports open existing databases.
    for (const options of [{ kind: 'pglite' as const, dataDir: pgliteDir }, { kind: 'postgres' as const, url: SERVER, schema }]) {
      const store = await openStore(options);
      await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), systemClock);
      await store.close();
    }
    const clear = async (options: Parameters<typeof openStore>[0]) => {
      const store = await openStore(options);
      await store.db.deleteFrom('import_runs').execute();
      await store.checkpoint();
      await store.close();
    };

    const pglite: { ms: number; maxRssMb: number }[] = [];
    const server: { ms: number; maxRssMb: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      await clear({ kind: 'pglite', dataDir: pgliteDir });
      pglite.push(runChild(pgliteDir));
      await clear({ kind: 'postgres', url: SERVER, schema });
      server.push(runChild(`${SERVER}#${schema}`));
    }

    // The baseline: the same cleaned rows (as stored by the last server import) loaded by COPY, timed by psql.
    const csv = path.join(work, 'transfers-clean.csv');
    psql(`\\copy (select ${TRANSFER_COLUMNS} from ${schema}.transfers) to '${csv}' csv`);
    const copyMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = psql(
        `create table ${schema}.copy_target (like ${schema}.transfers including all);\n\\timing on\n\\copy ${schema}.copy_target (${TRANSFER_COLUMNS}) from '${csv}' csv\n\\timing off\ndrop table ${schema}.copy_target;`,
      );
      copyMs.push(Number(/Time: ([\d.]+) ms/.exec(out)?.[1] ?? NaN));
    }

    const copy = median(copyMs);
    const p = median(pglite.map((r) => r.ms));
    const s = median(server.map((r) => r.ms));
    console.log(`  rows: 25,024; medians of ${RUNS} runs, each import in a fresh process on an existing database`);
    console.log(`  psql \\copy of the cleaned rows into the server      ${copy.toFixed(0)} ms`);
    console.log(`  att import into the PostgreSQL server               ${s.toFixed(0)} ms`);
    console.log(`  att import into PGlite                              ${p.toFixed(0)} ms`);
    printRatio('import into server / psql COPY', s, copy, '<= 2x');
    printRatio('import into PGlite / psql COPY', p, copy, '<= 4x');
    console.log(`  peak RSS of the PGlite import process: ${Math.max(...pglite.map((r) => r.maxRssMb)).toFixed(0)} MB (goal < 500 MB)`);
    console.log(`  peak RSS of the server import process: ${Math.max(...server.map((r) => r.maxRssMb)).toFixed(0)} MB`);

    // TIV table: API (in-process, PGlite) vs DuckDB over the same rows already loaded.
    const settings = loadSettings({ ...process.env, ATT_DATA_DIR: work, ATT_DATABASE_URL: '' });
    const context = await openContext(settings, systemClock);
    try {
      const run = (await context.imports.list(ANONYMOUS)).at(-1)!;
      const app = createApp({ reference: context.reference, imports: context.imports, clock: systemClock, reporting: settings.reporting });
      const rows = await sql<{ exporter_id: string; year: number; tiv: string | null }>`
        select exporter_id, year, tiv_delivered as tiv from transfers where import_run_id = ${run.id}`.execute(context.store.db);
      const duck = await DuckDBInstance.create(':memory:');
      const connection = await duck.connect();
      await connection.run('create table transfers (exporter_id varchar, year integer, tiv decimal(18,6))');
      const appender = await connection.createAppender('transfers');
      for (const r of rows.rows) {
        appender.appendVarchar(r.exporter_id);
        if (r.year === null) appender.appendNull();
        else appender.appendInteger(r.year);
        if (r.tiv === null) appender.appendNull();
        else appender.appendVarchar(r.tiv);
        appender.endRow();
      }
      appender.closeSync();
      // The app as `att serve` builds it: an anonymous reader's answer comes from the response cache, keyed by the
      // data version (read from the database at most once a second).
      const served = createApp(appDepsFor(context, settings, systemClock));
      const url = `/v1/tiv?by=exporter&import=${run.id}&_size=max`;
      const get = (target: typeof app) => async () => {
        const response = await target.request(url);
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        return response.text();
      };
      const [viaApi, viaServed, viaDuck] = await measureSideBySide([
        { name: 'API, no response cache: GET /v1/tiv?by=exporter', fn: get(app) },
        { name: 'API as served (response cache): the same GET', fn: get(served) },
        {
          name: 'DuckDB: group by exporter, year (rows loaded)',
          fn: async () => {
            const reader = await connection.runAndReadAll(
              'select exporter_id, year, sum(tiv) as tiv from transfers where tiv is not null group by exporter_id, year order by exporter_id, year',
            );
            return reader.getRows().length;
          },
        },
      ], 300, 30);
      printTiming(viaApi!);
      printTiming(viaServed!);
      printTiming(viaDuck!);
      printRatio('TIV table API p50 / DuckDB p50', viaApi!.p50Ms, viaDuck!.p50Ms, '<= 1x');
      printRatio('TIV table API as served p50 / DuckDB p50', viaServed!.p50Ms, viaDuck!.p50Ms);
      connection.closeSync();
    } finally {
      await context.store.close();
    }
  } finally {
    const store = await openStore({ kind: 'postgres', url: SERVER, schema, migrate: false });
    await sql.raw(`drop schema if exists ${schema} cascade`).execute(store.db);
    await store.close();
    await rm(work, { recursive: true, force: true });
  }
}
