import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { diffTivCells, diffTransfers } from '../analysis/release-diff.js';
import { toCsv } from '../api/csv.js';
import { writeAttReportTemplate } from '../ingest/att-report/write-template.js';
import { AppError } from '../model/errors.js';
import { ANONYMOUS, OPERATOR } from '../model/viewer.js';
import { importFile, IMPORT_SOURCES } from '../services/import-file.js';
import { resolveRegisterImport, tivTable, tivTableFromRows, type TivTable } from '../services/tiv.js';
import type { Settings } from '../settings.js';
import { openContext } from './context.js';
import { formatTable } from './format-table.js';
import { parseYearOption } from './options.js';
import type { CliIo } from './main.js';
import { progressBar } from './progress.js';

/** Largest file `att import` reads (the parsers state their own, smaller, limits per format). */
const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export function registerImportCommands(program: Command, io: CliIo, settings: () => Settings): void {
  program
    .command('import')
    .description(`import a file: every row is accepted or quarantined with a reason (sources: ${IMPORT_SOURCES.join(', ')})`)
    .argument('<source>', `where the file comes from: ${IMPORT_SOURCES.join(', ')}`)
    .argument('<file>', 'path of the file')
    .option('--dry-run', 'parse and check only; store nothing')
    .option('--json', 'print the outcome as JSON')
    .action(async (source: string, file: string, options: { dryRun?: boolean; json?: boolean }) => {
      const bytes = await readImportFile(file);
      const context = await openContext(settings(), io.clock, { bufferCache: 'bulk-load' });
      const bar = progressBar(io.progressStream ?? { isTTY: false, write: () => undefined });
      try {
        const outcome = await importFile(
          { imports: context.imports, reference: context.reference, clock: io.clock },
          { source, fileName: file, bytes, dryRun: options.dryRun ?? false, onProgress: (stage, done, total) => bar.update(stage, done, total) },
        );
        bar.done();
        if (options.json) {
          io.out(`${JSON.stringify(outcome, null, 2)}\n`);
        } else if (outcome.status === 'already_imported') {
          io.out(`${file} was already imported as run ${outcome.run.id} on ${outcome.run.importedAt} (same sha256): nothing changed.\n`);
        } else {
          const s = outcome.summary;
          io.out(
            [
              outcome.status === 'imported'
                ? `imported ${s.fileName} as run ${outcome.run.id} (${s.parser})`
                : outcome.status === 'refused'
                  ? `refused ${s.fileName} (${s.parser}): nothing stored`
                  : `dry run of ${s.fileName} (${s.parser}): nothing stored`,
              `  rows read ${s.rowsRead} = accepted ${s.accepted} + quarantined ${s.quarantined} + blank ${s.blank}`,
              ...s.fileIssues.map((i) => `  ${i.severity}: ${i.message}. ${i.hint}`),
              ...Object.entries(s.quarantineByCode).map(([code, n]) => `  quarantined for ${code}: ${n}`),
              ...(s.quarantined > 0 && outcome.status === 'imported' ? [`  list them with: att quarantine --import ${outcome.run.id}`] : []),
            ].join('\n') + '\n',
          );
        }
        if (outcome.status !== 'already_imported' && outcome.summary.refused) {
          throw new AppError('data', `${file} was refused`, { hint: 'see the issues above' });
        }
      } finally {
        bar.done();
        await context.store.close();
      }
    });

  program
    .command('template')
    .description('write an empty ATT annual report template for a State and year (fill it in, then: att import att-report FILE)')
    .requiredOption('--state <iso3>', 'ISO3 code of the reporting State, e.g. FIN')
    .requiredOption('--year <year>', 'the calendar year the report covers', (v: string) => parseYearOption(v, '--year'))
    .option('--xlsx <file>', 'write an Excel workbook (Title, Exports, Imports sheets)')
    .option('--csv <file>', 'write a CSV file in sections ([Title], [Exports], [Imports])')
    .option('--json <file>', 'write JSON')
    .action(async (options: { state: string; year: number; xlsx?: string; csv?: string; json?: string }) => {
      const targets = (['xlsx', 'csv', 'json'] as const).filter((format) => options[format] !== undefined);
      if (targets.length !== 1) throw new AppError('validation', 'give exactly one of --xlsx FILE, --csv FILE or --json FILE');
      const format = targets[0]!;
      const file = options[format]!;
      const iso3 = options.state.toUpperCase();
      const context = await openContext(settings(), io.clock);
      try {
        const state = (await context.reference.snapshot(ANONYMOUS)).states.find((s) => s.iso3 === iso3 && s.kind === 'state');
        if (!state) throw new AppError('validation', `--state "${options.state}" is not the ISO3 code of a State`, { hint: 'e.g. --state FIN' });
        const bytes = await writeAttReportTemplate({ stateId: state.id, stateName: state.name, year: options.year, format });
        await writeFile(file, bytes);
        io.out(`wrote an empty ${format.toUpperCase()} template for ${state.name}, ${options.year}, to ${file}; fill it in and run: att import att-report ${file}\n`);
      } finally {
        await context.store.close();
      }
    });

  program
    .command('imports')
    .description('the history of imports: file, sha256, and how every row was accounted for')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const runs = await context.imports.list(OPERATOR);
        if (options.json) {
          io.out(`${JSON.stringify(runs, null, 2)}\n`);
          return;
        }
        if (runs.length === 0) {
          io.out('no imports yet: att import <source> <file>\n');
          return;
        }
        io.out(
          formatTable(
            ['run', 'imported at', 'parser', 'file', 'read', 'accepted', 'quarantined', 'blank', 'sha256'],
            runs.map((r) => [r.id, r.importedAt.slice(0, 19), r.parser, r.fileName, r.rowsRead, r.accepted, r.quarantined, r.blank, r.fileSha256.slice(0, 12)]),
          ) + '\n',
        );
      } finally {
        await context.store.close();
      }
    });

  program
    .command('quarantine')
    .description('rows that were not accepted, with the reason and what to do')
    .option('--import <id>', 'only this import run', parseId)
    .option('--json', 'print JSON')
    .action(async (options: { import?: number; json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const entries = await context.imports.quarantine(OPERATOR, options.import !== undefined ? { importRunId: options.import } : {});
        if (options.json) {
          io.out(`${JSON.stringify(entries, null, 2)}\n`);
          return;
        }
        if (entries.length === 0) {
          io.out('no quarantined rows\n');
          return;
        }
        for (const entry of entries) {
          for (const issue of entry.issues.filter((i) => i.severity === 'error')) {
            // The issue's message already names sheet, row and column.
            io.out(`run ${entry.importRunId}, ${entry.fileName}, ${issue.message}. ${issue.hint}\n`);
          }
        }
      } finally {
        await context.store.close();
      }
    });

  program
    .command('tiv')
    .description('SIPRI TIV by exporter or importer and year (TIV is a volume index in millions, not money)')
    .requiredOption('--by <side>', 'exporter or importer', parseSide)
    .option('--from <year>', 'first year', (v: string) => parseYearOption(v, '--from'))
    .option('--to <year>', 'last year', (v: string) => parseYearOption(v, '--to'))
    .option('--import <id>', 'a SIPRI register import run (default: the latest)', parseId)
    .option('--csv', 'print CSV (one row per State, a column per year)')
    .option('--json', 'print JSON')
    .action(async (options: { by: 'exporter' | 'importer'; from?: number; to?: number; import?: number; csv?: boolean; json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const table = await tivTable(context.imports, ANONYMOUS, {
          by: options.by,
          ...(options.import !== undefined ? { importRunId: options.import } : {}),
          ...(options.from !== undefined ? { from: options.from } : {}),
          ...(options.to !== undefined ? { to: options.to } : {}),
        });
        const names = new Map((await context.reference.snapshot(ANONYMOUS)).states.map((s) => [s.id, s.name]));
        io.out(renderTiv(table, names, options.csv ? 'csv' : options.json ? 'json' : 'text'));
      } finally {
        await context.store.close();
      }
    });

  program
    .command('diff')
    .description('what changed between two imports of a source: rows added/removed/changed (SIPRI ids), TIV by State and year')
    .argument('<importA>', 'the earlier import run', parseId)
    .argument('<importB>', 'the later import run', parseId)
    .option('--by <side>', 'TIV comparison by exporter or importer', parseSide, 'exporter')
    .option('--exporter <id>', 'only transfers from this exporter (crosswalk id, e.g. CHN)')
    .option('--from <year>', 'first delivery year of the TIV comparison', (v: string) => parseYearOption(v, '--from'))
    .option('--to <year>', 'last delivery year of the TIV comparison', (v: string) => parseYearOption(v, '--to'))
    .option('--json', 'print JSON')
    .action(async (a: number, b: number, options: { by: 'exporter' | 'importer'; exporter?: string; from?: number; to?: number; json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const [runA, runB] = [await resolveRegisterImport(context.imports, ANONYMOUS, a), await resolveRegisterImport(context.imports, ANONYMOUS, b)];
        // Deals with a delivery in the range (undelivered deals are kept: they have no year to test).
        const inRange = (years: readonly number[]) =>
          years.length === 0 || years.some((y) => (options.from === undefined || y >= options.from) && (options.to === undefined || y <= options.to));
        const filter = (rows: Awaited<ReturnType<typeof context.imports.transfersOf>>) =>
          rows.filter(
            (t) =>
              (!options.exporter || t.exporterId === options.exporter.toUpperCase()) &&
              inRange(t.deliveryYears.length > 0 ? t.deliveryYears : t.year !== null ? [t.year] : []),
          );
        const rows = diffTransfers(filter(await context.imports.transfersOf(ANONYMOUS, a)), filter(await context.imports.transfersOf(ANONYMOUS, b)));
        const tivOptions = {
          by: options.by,
          ...(options.exporter ? { exporterId: options.exporter.toUpperCase() } : {}),
          ...(options.from !== undefined ? { from: options.from } : {}),
          ...(options.to !== undefined ? { to: options.to } : {}),
        };
        const [tivA, tivB] = [
          await tivTableFromRows(context.imports, ANONYMOUS, { ...tivOptions, importRunId: a }),
          await tivTableFromRows(context.imports, ANONYMOUS, { ...tivOptions, importRunId: b }),
        ];
        const cells = (t: TivTable) => t.rows.flatMap((r) => Object.entries(r.years).map(([year, tiv]) => ({ stateId: r.stateId, year: Number(year), tiv })));
        const tivChanges = diffTivCells(cells(tivA), cells(tivB));
        if (options.json) {
          io.out(`${JSON.stringify({ before: runA, after: runB, rows: { ...rows, added: rows.added.length, removed: rows.removed.length }, tivChanges }, null, 2)}\n`);
          return;
        }
        const lines = [
          `run ${runA.id} (${runA.fileName}, data generated ${runA.metadata['dataGenerated'] ?? '?'}) -> run ${runB.id} (${runB.fileName}, data generated ${runB.metadata['dataGenerated'] ?? '?'})`,
          rows.comparable
            ? `rows: ${rows.added.length} added, ${rows.removed.length} removed, ${rows.changed.length} changed, ${rows.unchanged} unchanged (matched on ${rows.matchedOn === 'deal-key' ? 'exporter, importer, order year and designation' : 'SIPRI id and delivery year'})`
            : `rows: not compared row by row: ${rows.reason}`,
          `TIV by ${options.by} and year${options.exporter ? ` (exporter ${options.exporter.toUpperCase()})` : ''}${options.from || options.to ? `, ${options.from ?? '...'}-${options.to ?? '...'}` : ''}: ${tivChanges.length} cells differ; totals ${fixed(tivA.grandTotal)} -> ${fixed(tivB.grandTotal)}`,
        ];
        if (rows.changed.length > 0) {
          const byField = new Map<string, number>();
          for (const change of rows.changed) for (const f of change.fields) byField.set(f.field, (byField.get(f.field) ?? 0) + 1);
          lines.push(`changed fields: ${[...byField].sort((x, y) => y[1] - x[1]).map(([f, n]) => `${f} ${n}`).join(', ')}`);
        }
        const shown = tivChanges.slice(0, 40);
        io.out(lines.join('\n') + '\n');
        if (shown.length > 0) {
          io.out(formatTable(['State', 'year', 'before', 'after', 'change'], shown.map((c) => [c.stateId, c.year, c.before === null ? '-' : fixed(c.before), c.after === null ? '-' : fixed(c.after), fixed(c.change)])) + '\n');
          if (tivChanges.length > shown.length) io.out(`... ${tivChanges.length - shown.length} more (use --json for all)\n`);
        }
      } finally {
        await context.store.close();
      }
    });
}

/** Two decimals for reading; stored and exported values stay exact. */
function fixed(value: string): string {
  return Number(value).toFixed(2);
}

function renderTiv(table: TivTable, names: Map<string, string>, format: 'csv' | 'json' | 'text'): string {
  if (format === 'json') return `${JSON.stringify(table, null, 2)}\n`;
  const header = [table.by, 'name', ...table.years.map(String), 'total'];
  const rows = table.rows.map((r) => [r.stateId, names.get(r.stateId) ?? r.stateId, ...table.years.map((y) => r.years[String(y)] ?? ''), r.total]);
  if (format === 'csv') {
    const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    return (
      `# SIPRI TIV (millions; a volume index, not money) by ${table.by} and year, import run ${table.importRun.id} (${table.importRun.fileName}). ${table.yearRule}. Information from the SIPRI Arms Transfers Database.\r\n` +
      toCsv(records, header)
    );
  }
  const round = (v: string) => (v === '' ? '' : Number(v).toFixed(0));
  return (
    `SIPRI TIV by ${table.by} and year (millions; a volume index, not money); import run ${table.importRun.id}, ${table.importRun.fileName}\n${table.yearRule}\n` +
    formatTable(header.slice(0, 2).concat(header.slice(2).map(String)), rows.map((r) => [r[0]!, r[1]!, ...r.slice(2).map((v) => round(String(v)))])) +
    `\ntotal ${round(table.grandTotal)}; information from the SIPRI Arms Transfers Database\n`
  );
}

async function readImportFile(file: string): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new AppError('validation', `cannot read ${file}`, { location: { file }, hint: 'check the path', cause: error });
  }
  if (size > MAX_IMPORT_BYTES) {
    throw new AppError('validation', `${file} has ${size} bytes, more than the ${MAX_IMPORT_BYTES} att import reads`, { location: { file } });
  }
  return new Uint8Array(await readFile(file));
}

function parseId(value: string): number {
  if (!/^\d+$/.test(value)) throw new AppError('validation', `"${value}" is not an import run id (a whole number; see att imports)`);
  return Number(value);
}


function parseSide(value: string): 'exporter' | 'importer' {
  if (value !== 'exporter' && value !== 'importer') throw new AppError('validation', `--by must be exporter or importer, not "${value}"`);
  return value;
}
