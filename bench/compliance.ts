/**
 * Issue 5 benchmarks: screening every transfer of the 2025 delivery register, and the mirror analysis over 100,000
 * generated ATT report rows, each against a plain SQL join doing the same matching, in the same run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createScreener } from '../src/analysis/embargo-screening.js';
import { exchangeRateTable, parseExchangeRates } from '../src/analysis/exchange-rates.js';
import { mirrorAnalysis, type MirrorRow } from '../src/analysis/mirror.js';
import { openContext } from '../src/cli/context.js';
import { systemClock } from '../src/model/clock.js';
import type { Transfer } from '../src/model/transfer.js';
import { ANONYMOUS } from '../src/model/viewer.js';
import { importFile } from '../src/services/import-file.js';
import { loadSettings, PROJECT_ROOT } from '../src/settings.js';
import { jsonb } from '../src/store/jsonb.js';
import { measure, printRatio, printTiming } from './harness.js';

const REGISTER = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'sipri', '2025-release-delivery-rows', 'trade_register.csv');

/** A deterministic pseudo-random sequence (mulberry32), so every run generates the same rows. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES = ['FRA', 'DEU', 'ITA', 'ESP', 'GBR', 'NLD', 'SWE', 'FIN', 'NOR', 'BEL', 'AUT', 'CHE', 'POL', 'CZE', 'ROU', 'BGR', 'HRV', 'SVN', 'PRT', 'GRC', 'AUS', 'NZL', 'JPN', 'KOR', 'CAN', 'MEX', 'BRA', 'ARG', 'CHL', 'PER', 'ZAF', 'NGA', 'GHA', 'SEN', 'CIV', 'KEN', 'TZA', 'ZMB', 'BWA', 'NAM', 'MNG', 'PHL', 'KAZ', 'GEO', 'MDA', 'SRB', 'MKD', 'ALB', 'MNE', 'BIH'];
const CATEGORIES = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

/** 100,000 ATT report rows: exporters' rows and, for most, the importer's mirror row (some altered, some missing). */
function generateReportRows(count: number): MirrorRow[] {
  const next = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const rows: MirrorRow[] = [];
  const base = (exporter: string, importer: string, form: 'Exports' | 'Imports', year: number, category: string, items: number, value: string | null, i: number): Transfer =>
    ({
      source: 'att-report', sourceRecordId: null, exporterId: exporter, importerId: importer, partnerAggregated: false, year, yearMissingReason: null,
      deliveryYears: [], orderYear: null, categoryScheme: 'unroca', categoryCode: category, subcategoryCode: null, description: 'generated', designation: null,
      comments: null, basis: 'actual', numberOfItems: items, numberOfItemsMissingReason: null, numberOrdered: null, value, currency: value === null ? null : 'EUR',
      valueMissingReason: value === null ? 'not_reported' : null, tivDelivered: null, tivPerUnit: null, tivTotalOrder: null, endUser: null, endUse: null, status: null,
      localProduction: null, uncertain: [],
      provenance: { source: 'att-report', fileName: `${form === 'Exports' ? exporter : importer}-${year}.xlsx`, fileSha256: '0'.repeat(64), row: i, sheet: form, importRunId: null },
    }) as unknown as Transfer;
  for (let i = 0; rows.length < count; i++) {
    const exporter = pick(STATES);
    let importer = pick(STATES);
    if (importer === exporter) importer = STATES[(STATES.indexOf(exporter) + 1) % STATES.length]!;
    const year = 2015 + Math.floor(next() * 10);
    const category = pick(CATEGORIES);
    const items = 1 + Math.floor(next() * 200);
    const value = next() < 0.7 ? String(Math.floor(next() * 5e7)) : null;
    rows.push({ id: `e${i}`, transfer: base(exporter, importer, 'Exports', year, category, items, value, i) });
    const r = next();
    if (rows.length < count && r < 0.8) {
      const shift = r < 0.05 ? 1 : 0;
      const mirrorItems = r < 0.15 ? items + 1 + Math.floor(next() * 20) : items;
      rows.push({ id: `i${i}`, transfer: base(exporter, importer, 'Imports', year + shift, category, mirrorItems, value, i) });
    }
  }
  return rows;
}

export async function benchCompliance(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'att-bench-compliance-'));
  const settings = loadSettings({ ...process.env, ATT_DATA_DIR: dataDir, ATT_DATABASE_URL: '' });
  const context = await openContext(settings, systemClock);
  try {
    const snapshot = await context.reference.snapshot(ANONYMOUS);
    if (existsSync(REGISTER)) {
      const outcome = await importFile(
        { imports: context.imports, reference: context.reference, clock: systemClock },
        { source: 'sipri', fileName: 'trade_register.csv', bytes: new Uint8Array(await readFile(REGISTER)) },
      );
      const runId = outcome.run!.id;
      const transfers = await context.imports.transfersOf(ANONYMOUS, runId);
      const screening = await measure(`screen ${transfers.length} transfers (all episodes, scope rules)`, () => {
        const screen = createScreener(snapshot.embargoes, snapshot.states);
        let flagged = 0;
        for (const t of transfers) if (screen(t).outcome !== 'clear') flagged++;
        return flagged;
      }, 5, 1);
      // The plain SQL join: each transfer against the episodes whose target is its importer and whose dates overlap
      // its year (no scope, direction or non-State actor rules: those are what the analysis adds).
      const join = await measure('SQL join: transfers x embargo episodes by importer and year', () =>
        sql`select t.id, e.id from transfers t join embargo_episodes e
              on position(';' || t.importer_id || ';' in ';' || e.target_ids || ';') > 0
             and make_date(t.year, 1, 1) < coalesce(e.end_date, date '9999-12-31') and make_date(t.year, 12, 31) >= e.start_date
             where t.import_run_id = ${runId}`.execute(context.store.db), 5, 1);
      printTiming(screening);
      printTiming(join);
      console.log(`  screening of the delivery register: ${screening.meanMs.toFixed(0)} ms (goal <= 1,000 ms)`);
      printRatio('screening / SQL join', screening.meanMs, join.meanMs);
    } else {
      console.log(`  screening skipped: ${REGISTER} is not there`);
    }

    const rows = generateReportRows(100_000);
    const rates = exchangeRateTable(parseExchangeRates(await readFile(path.join(settings.referenceDir, 'exchange-rates.csv'), 'utf8')));
    const analysis = await measure('mirror over 100,000 generated report rows', () => mirrorAnalysis({ rows, rates }), 3, 1);
    await sql`create table bench_report_rows (id text, side text, exporter_id text, importer_id text, year int, category text, items int)`.execute(context.store.db);
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000).map((r) => ({ id: r.id, side: r.transfer.provenance.sheet, e: r.transfer.exporterId, i: r.transfer.importerId, y: r.transfer.year, c: r.transfer.categoryCode, n: r.transfer.numberOfItems }));
      await sql`insert into bench_report_rows select x->>'id', x->>'side', x->>'e', x->>'i', (x->>'y')::int, x->>'c', (x->>'n')::int
                from jsonb_array_elements(${jsonb(chunk)}) x`.execute(context.store.db);
    }
    // The plain SQL equivalent of the cell matching: sum each side by exporter, importer, year, category; full outer join.
    const join = await measure('SQL full outer join of exporter and importer cells', () =>
      sql`with e as (select exporter_id, importer_id, year, category, sum(items) n from bench_report_rows where side = 'Exports' group by 1, 2, 3, 4),
               i as (select exporter_id, importer_id, year, category, sum(items) n from bench_report_rows where side = 'Imports' group by 1, 2, 3, 4)
          select coalesce(e.exporter_id, i.exporter_id), coalesce(e.importer_id, i.importer_id), coalesce(e.year, i.year),
                 case when e.n is null or i.n is null then 'one_sided' when abs(e.n - i.n) <= greatest(e.n, i.n) * 5 / 100 then 'match' else 'mismatch' end
            from e full outer join i using (exporter_id, importer_id, year, category)`.execute(context.store.db), 3, 1);
    printTiming(analysis);
    printTiming(join);
    console.log(`  mirror over 100,000 rows: ${analysis.meanMs.toFixed(0)} ms (goal <= 1,000 ms)`);
    printRatio('mirror / SQL join', analysis.meanMs, join.meanMs);
  } finally {
    await context.store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
