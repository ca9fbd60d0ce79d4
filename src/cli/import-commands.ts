import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { registerNotice } from '../analysis/default-register.js';
import { compareSelections, diffTivCells, diffTransfers, quarantinedRowRef, sipriSelection } from '../analysis/release-diff.js';
import { toCsv } from '../api/csv.js';
import { writeAttReportTemplate } from '../ingest/att-report/write-template.js';
import { AppError } from '../model/errors.js';
import { ANONYMOUS, OPERATOR } from '../model/viewer.js';
import type { IngestIssue } from '../model/ingest.js';
import {
  importFile,
  IMPORT_SOURCES,
  isImportSource,
  storedWarnings,
  unknownSourceError,
  WARNING_EXAMPLES_PER_CODE,
  type ImportSummary,
} from '../services/import-file.js';
import { checkTivTable, resolveRegisterImport, tivTable, tivTableFromRows, type TivTable } from '../services/tiv.js';
import type { Settings } from '../settings.js';
import { openContext } from './context.js';
import { formatTable } from './format-table.js';
import { groupByCode, issueText } from '../analysis/issue-text.js';
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
      // The source first: `att import foo x.csv` is a usage mistake whatever x.csv is.
      if (!isImportSource(source)) throw unknownSourceError(source);
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
          io.out(renderImportSummary(outcome.summary, outcome.status === 'imported' ? outcome.run.id : null, outcome.status));
        }
        if (outcome.status !== 'already_imported' && outcome.summary.refused) {
          const reasons = outcome.summary.fileIssues.filter((i) => i.severity === 'error').length;
          throw new AppError('data', `${file} was refused`, {
            hint:
              reasons === 0
                ? 'the parser gave no reason: this is a bug, report it with the file'
                : options.json
                  ? 'the reasons are in summary.fileIssues above'
                  : `the ${reasons === 1 ? 'reason is' : `${reasons} reasons are`} listed above`,
          });
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
        // SIPRI runs say what was selected from the database and when SIPRI generated it: releases and selections are
        // told apart here before anyone compares two runs.
        io.out(
          formatTable(
            ['run', 'imported at', 'parser', 'file', 'read', 'accepted', 'quarantined', 'blank', 'warnings', 'sha256', 'data generated', 'selection'],
            runs.map((r) => {
              const warnings = storedWarnings(r);
              return [
                r.id,
                r.importedAt.slice(0, 19),
                r.parser,
                r.fileName,
                r.rowsRead,
                r.accepted,
                r.quarantined,
                r.blank,
                warnings.recorded ? warnings.total : '-',
                r.fileSha256.slice(0, 12),
                r.metadata['dataGenerated'] ?? '',
                sipriSelection(r.metadata).short ?? '',
              ];
            }),
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
            io.out(`run ${entry.importRunId}, ${issueText({ ...issue, file: entry.fileName })}\n`);
          }
        }
      } finally {
        await context.store.close();
      }
    });

  program
    .command('warnings')
    .description('warnings of accepted rows and of the files, as kept with each run: counts per code and the first examples')
    .option('--import <id>', 'only this import run', parseId)
    .option('--json', 'print JSON')
    .action(async (options: { import?: number; json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const runs = (await context.imports.list(OPERATOR)).filter((r) => options.import === undefined || r.id === options.import);
        if (options.import !== undefined && runs.length === 0)
          throw new AppError('not_found', `there is no import run ${options.import}`, { hint: 'list the runs with: att imports' });
        const listed = runs.map((r) => ({ importRunId: r.id, fileName: r.fileName, ...storedWarnings(r) }));
        if (options.json) {
          io.out(`${JSON.stringify(listed, null, 2)}\n`);
          return;
        }
        const lines: string[] = [];
        for (const run of listed) {
          if (!run.recorded) {
            if (options.import !== undefined) lines.push(`run ${run.importRunId}, ${run.fileName}: imported before warnings were kept with a run; see them with: att import SOURCE FILE --dry-run --json`);
            continue;
          }
          if (run.total === 0) {
            if (options.import !== undefined) lines.push(`run ${run.importRunId}, ${run.fileName}: no warnings`);
            continue;
          }
          lines.push(`run ${run.importRunId}, ${run.fileName}: ${run.total} warning${run.total === 1 ? '' : 's'} (the first ${WARNING_EXAMPLES_PER_CODE} of each code are kept)`);
          for (const [code, count] of Object.entries(run.byCode)) {
            lines.push(`  ${code}: ${count}`);
            for (const example of run.examples.filter((e) => e.code === code)) lines.push(`    ${issueText(example)}`);
          }
        }
        io.out(lines.length > 0 ? `${lines.join('\n')}\n` : 'no warnings kept with any run\n');
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
    .option('--import <id>', 'a SIPRI register import run (default: the whole database of the newest release; docs/data-model.md)', parseId)
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
    .command('tiv-check')
    .description("check SIPRI's own TIV table (an imported 'Volume of transfers' CSV) against the table computed from a register")
    .argument('<table>', "the import run of SIPRI's TIV table (att imports: parser sipri-tiv-table)", parseId)
    .option('--import <id>', 'the register import run (default: the register of the same SIPRI release)', parseId)
    .option('--all', 'list every party, not only those off by more than rounding')
    .option('--json', 'print JSON')
    .action(async (tableRunId: number, options: { import?: number; all?: boolean; json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const check = await checkTivTable({ imports: context.imports, reference: context.reference }, ANONYMOUS, {
          tableRunId,
          ...(options.import !== undefined ? { registerRunId: options.import } : {}),
        });
        if (options.json) {
          io.out(`${JSON.stringify(check, null, 2)}\n`);
          return;
        }
        const shown = options.all ? check.parties : check.parties.filter((p) => !p.totalWithinRounding);
        const figure = (n: number | null) => (n === null ? '' : String(Math.round(n * 100) / 100));
        io.out(
          [
            `SIPRI's TIV table (run ${check.table.id}, ${check.table.fileName}) against register run ${check.register.id} (${check.register.fileName}, ${check.register.parser})`,
            ...check.notices.map((n) => `  note: ${n}`),
            `  ${check.role === 'recipient' ? 'recipients' : 'suppliers'}${check.counterpart ? ` of ${check.counterpart.name}` : ''}, ${check.years[0] ?? ''}-${check.years.at(-1) ?? ''}; ${check.yearRule}`,
            `  party totals within 1 (SIPRI's rounding): ${check.partiesWithinRounding} of ${check.parties.length}`,
            `  year cells within 1: ${check.cellsWithinRounding} of ${check.cells}`,
            `  grand total: SIPRI ${figure(check.sipriGrandTotal)}, computed ${figure(check.ourGrandTotal)}`,
            ...(check.missingFromSipriTable.length > 0
              ? [`  in the register but not in SIPRI's table: ${check.missingFromSipriTable.map((m) => `${m.stateId} ${figure(m.ourTotal)}`).join(', ')}`]
              : []),
            '',
          ].join('\n'),
        );
        if (shown.length > 0) {
          io.out(
            formatTable(
              ['party', 'label', 'SIPRI', 'computed', 'difference', 'cells within 1'],
              shown.map((p) => [p.stateId, p.label, figure(p.sipriTotal), figure(p.ourTotal), figure(p.difference), `${p.cellsWithinRounding}/${p.cells}`]),
            ) + '\n',
          );
        } else if (!options.all) {
          io.out('  every party within rounding (--all lists them)\n');
        }
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
        // Rows a release quarantined are still in that release: they are matched apart, never counted as removed or added.
        const quarantinedOf = async (id: number) => (await context.imports.quarantine(ANONYMOUS, { importRunId: id })).map(quarantinedRowRef);
        const rows = diffTransfers(filter(await context.imports.transfersOf(ANONYMOUS, a)), filter(await context.imports.transfersOf(ANONYMOUS, b)), {
          before: await quarantinedOf(a),
          after: await quarantinedOf(b),
        });
        const selections = compareSelections(runA.metadata, runB.metadata);
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
        const q = rows.quarantine;
        if (options.json) {
          const ref = (t: (typeof q.acceptedBeforeQuarantinedAfter)[number]) => ({ sourceRecordId: t.sourceRecordId, year: t.year, row: t.provenance.row });
          const json = {
            before: runA,
            after: runB,
            selections,
            rows: {
              ...rows,
              added: rows.added.length,
              removed: rows.removed.length,
              quarantine: {
                ...q,
                acceptedBeforeQuarantinedAfter: q.acceptedBeforeQuarantinedAfter.map(ref),
                quarantinedBeforeAcceptedAfter: q.quarantinedBeforeAcceptedAfter.map(ref),
              },
            },
            tivChanges,
          };
          io.out(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        const lines = [
          // Before any figure: two different selections of the database differ by far more than SIPRI's revisions.
          ...(selections.warning
            ? [
                `WARNING: ${selections.warning}` +
                  (options.exporter || options.from !== undefined || options.to !== undefined
                    ? ` (this comparison is narrowed to${options.exporter ? ` exporter ${options.exporter.toUpperCase()}` : ''}${options.from !== undefined || options.to !== undefined ? ` ${options.from ?? '...'}-${options.to ?? '...'}` : ''}: it is fair only where that lies inside both selections)`
                    : ''),
                '',
              ]
            : []),
          `run ${runA.id} (${runA.fileName}, data generated ${runA.metadata['dataGenerated'] ?? '?'}${selections.before.short ? `, ${selections.before.short}` : ''}) -> run ${runB.id} (${runB.fileName}, data generated ${runB.metadata['dataGenerated'] ?? '?'}${selections.after.short ? `, ${selections.after.short}` : ''})`,
          rows.comparable
            ? `rows: ${rows.added.length} added, ${rows.removed.length} removed, ${rows.changed.length} changed, ${rows.unchanged} unchanged (matched on ${rows.matchedOn === 'deal-key' ? 'exporter, importer, order year and designation' : 'SIPRI id and delivery year'})`
            : `rows: not compared row by row: ${rows.reason}`,
          ...(q.before + q.after > 0
            ? [
                `quarantined rows (not read: neither added nor removed, and their TIV is missing from that run's totals): ${q.before} in run ${runA.id}, ${q.after} in run ${runB.id}`,
                ...(rows.comparable
                  ? [
                      `  ${plural(q.acceptedBeforeQuarantinedAfter.length, 'row')} of run ${runA.id} quarantined in run ${runB.id} (not removed), ${plural(q.quarantinedBeforeAcceptedAfter.length, 'row')} of run ${runB.id} quarantined in run ${runA.id} (not added); matched on ${q.matchedOn === 'source-id-and-year' ? 'SIPRI id and delivery year' : 'designation and order year'}; list them with att quarantine --import ${q.after > 0 ? runB.id : runA.id}`,
                    ]
                  : []),
              ]
            : []),
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

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Two decimals for reading; stored and exported values stay exact. */
function fixed(value: string): string {
  return Number(value).toFixed(2);
}

function renderTiv(table: TivTable, names: Map<string, string>, format: 'csv' | 'json' | 'text'): string {
  if (format === 'json') return `${JSON.stringify(table, null, 2)}\n`;
  const notice = registerNotice(table.importRun.metadata);
  const header = [table.by, 'name', ...table.years.map(String), 'total'];
  const rows = table.rows.map((r) => [r.stateId, names.get(r.stateId) ?? r.stateId, ...table.years.map((y) => r.years[String(y)] ?? ''), r.total]);
  if (format === 'csv') {
    const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    return (
      `# SIPRI TIV (millions; a volume index, not money) by ${table.by} and year, import run ${table.importRun.id} (${table.importRun.fileName}). ${table.yearRule}. Information from the SIPRI Arms Transfers Database.\r\n` +
      (notice ? `# ${notice}\r\n` : '') +
      toCsv(records, header)
    );
  }
  const round = (v: string) => (v === '' ? '' : Number(v).toFixed(0));
  const note = notice ? `note: ${notice}\n` : '';
  return (
    `SIPRI TIV by ${table.by} and year (millions; a volume index, not money); import run ${table.importRun.id}, ${table.importRun.fileName}\n${table.yearRule}\n${note}` +
    formatTable(header.slice(0, 2).concat(header.slice(2).map(String)), rows.map((r) => [r[0]!, r[1]!, ...r.slice(2).map((v) => round(String(v)))])) +
    `\ntotal ${round(table.grandTotal)}; information from the SIPRI Arms Transfers Database\n`
  );
}

/** Lines printed for an import, refused import or dry run: the accounting, every reason, and what to look at. */
function renderImportSummary(s: ImportSummary, runId: number | null, status: 'imported' | 'refused' | 'dry_run'): string {
  const lines = [
    status === 'imported'
      ? `imported ${s.fileName} as run ${runId} (${s.parser})`
      : status === 'refused'
        ? `refused ${s.fileName} (${s.parser}): nothing stored`
        : `dry run of ${s.fileName} (${s.parser}): nothing stored`,
    `  rows read ${s.rowsRead} = accepted ${s.accepted} + quarantined ${s.quarantined} + blank ${s.blank}`,
  ];
  // Every error (the reasons for a refusal) in full; warnings about the file too, unless there are very many.
  const errors = s.fileIssues.filter((i) => i.severity === 'error');
  const fileWarnings = s.fileIssues.filter((i) => i.severity === 'warning');
  lines.push(...errors.map((i) => `  error: ${issueText(i)}`));
  lines.push(...warningLines(fileWarnings, 'warnings about the file', 10));
  lines.push(...Object.entries(s.quarantineByCode).map(([code, n]) => `  quarantined for ${code}: ${n}`));
  lines.push(...warningLines(s.rowWarnings, 'warnings of accepted rows (stored as read; check them)', 0));
  const next = [
    ...(s.quarantined > 0 ? [`att quarantine --import ${runId}`] : []),
    ...(s.rowWarnings.length + fileWarnings.length > 0 ? [`att warnings --import ${runId}`] : []),
  ];
  if (status === 'imported' && next.length > 0) lines.push(`  list them with: ${next.join(' and ')}`);
  if (status !== 'imported' && s.rowWarnings.length > 0) lines.push('  every warning: --json');
  return `${lines.join('\n')}\n`;
}

/** Warnings listed one by one when there are at most `each`, else counted per code with the first of each code. */
function warningLines(issues: readonly IngestIssue[], title: string, each: number): string[] {
  if (issues.length === 0) return [];
  if (issues.length <= each) return issues.map((i) => `  warning: ${issueText(i)}`);
  return [
    `  ${title}: ${issues.length}, per code with the first of each:`,
    ...groupByCode(issues).map((g) => `    ${g.code} ${g.count}: ${issueText(g.first)}`),
  ];
}

/** The file's bytes. A path that does not exist is a usage mistake (exit 2); a directory or an unreadable file is not (exit 1). */
async function readImportFile(file: string): Promise<Uint8Array> {
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(file);
  } catch (error) {
    throw new AppError('validation', `cannot read ${file}`, { location: { file }, hint: 'check the path', cause: error });
  }
  if (stats.isDirectory()) {
    throw new AppError('data', `${file} is a directory, not a file`, { location: { file }, hint: 'give the path of one file in it, e.g. att import sipri DIR/trade-register.csv' });
  }
  if (stats.size > MAX_IMPORT_BYTES) {
    throw new AppError('validation', `${file} has ${stats.size} bytes, more than the ${MAX_IMPORT_BYTES} att import reads`, { location: { file } });
  }
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('data', `cannot read ${file}${code ? ` (${code})` : ''}`, { location: { file }, hint: 'check that it is a regular file you may read', cause: error });
  }
}

function parseId(value: string): number {
  if (!/^\d+$/.test(value)) throw new AppError('validation', `"${value}" is not an import run id (a whole number; see att imports)`);
  return Number(value);
}


function parseSide(value: string): 'exporter' | 'importer' {
  if (value !== 'exporter' && value !== 'importer') throw new AppError('validation', `--by must be exporter or importer, not "${value}"`);
  return value;
}
