import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createAttReportStateLookup } from '../ingest/att-report/state-lookup.js';
import { AppError } from '../model/errors.js';
import { parseSubmissionLog, recordedRegistryEntry, type ReportRegistryEntry } from '../model/report-registry.js';
import { stateId as toStateId } from '../model/state.js';
import { OPERATOR } from '../model/viewer.js';
import { mirror, reportDetail, reportingRates, stateCompliance } from '../services/reports.js';
import type { Settings } from '../settings.js';
import { startOfDayIn } from '../api/as-of.js';
import { openContext, type Context } from './context.js';
import { formatTable } from './format-table.js';
import { parseDateOption } from './options.js';
import type { CliIo } from './main.js';

export function registerReportCommands(program: Command, io: CliIo, settings: () => Settings): void {
  const serviceOf = (context: Context) => ({ ...context, rules: settings().reporting });
  const instant = (asOf: string | undefined) => {
    if (asOf === undefined) return io.clock.now();
    return startOfDayIn(parseDateOption(asOf, '--as-of', io.clock), settings().reporting.timeZone);
  };

  const registry = program.command('registry').description('the report registry: reports States submitted, public or private');
  registry
    .command('import')
    .description('record reports from a CSV submission log (columns: see docs/methods/compliance.md)')
    .argument('<file>', 'the CSV log')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        throw new AppError('validation', `cannot read ${file}`, { location: { file }, cause: error });
      });
      const context = await openContext(settings(), io.clock);
      try {
        const snapshot = await context.reference.snapshot(OPERATOR);
        const lookup = createAttReportStateLookup(
          snapshot.aliases.map((a) => ({ alias: a.alias, stateId: a.stateId, source: a.source })),
          snapshot.states.map((s) => ({ id: s.id, name: s.name })),
        );
        const result = parseSubmissionLog(text, {
          fileName: file,
          recordedAt: io.clock.now(),
          resolveState: (name) => {
            const hit = lookup.resolve(name, 'submission-log');
            return hit ? toStateId(hit.stateId) : null;
          },
        });
        for (const entry of result.entries) await context.registry.save(entry);
        if (options.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
        else {
          io.out(`rows read ${result.rowsRead} = recorded ${result.entries.length} + quarantined ${result.quarantined} + blank ${result.blank}\n`);
          for (const issue of result.issues) io.out(`  ${issue.severity}: ${issue.message}. ${issue.hint}\n`);
        }
        if (result.quarantined > 0 && result.entries.length === 0) throw new AppError('data', `no report could be recorded from ${file}`);
      } finally {
        await context.store.close();
      }
    });

  registry
    .command('add')
    .description('record one report received outside this system (origin: recorded)')
    .requiredOption('--state <iso3>', 'ISO3 code of the reporting State')
    .requiredOption('--kind <kind>', 'initial, annual or update')
    .option('--year <year>', 'covered year (annual reports and updates)')
    .option('--submitted <date>', 'date received, YYYY-MM-DD')
    .option('--exports <status>', 'public, private, nil-public, nil-private or none')
    .option('--imports <status>', 'public, private, nil-public, nil-private or none')
    .option('--visibility <v>', 'initial reports: public or private')
    .option('--source-url <url>', 'where the report or the record of it is published')
    .action(async (o: { state: string; kind: string; year?: string; submitted?: string; exports?: string; imports?: string; visibility?: string; sourceUrl?: string }) => {
      const form = (value: string | undefined) => {
        if (value === undefined || value === 'none') return null;
        const match = /^(nil-)?(public|private)$/.exec(value);
        if (!match) throw new AppError('validation', `form status "${value}" must be public, private, nil-public, nil-private or none`);
        return { visibility: match[2] as 'public' | 'private', nil: Boolean(match[1]), withheldCommerciallySensitive: null, withheldNationalSecurity: null };
      };
      const iso3 = o.state.toUpperCase();
      let entry: ReportRegistryEntry;
      try {
        entry = recordedRegistryEntry(
          {
            stateId: iso3,
            kind: o.kind as 'initial' | 'annual' | 'update',
            coveredYear: o.year === undefined ? null : Number(o.year),
            submittedOn: (o.submitted ?? null) as never,
            ...(o.exports !== undefined ? { exports: form(o.exports) } : {}),
            ...(o.imports !== undefined ? { imports: form(o.imports) } : {}),
            reportVisibility: (o.visibility ?? null) as 'public' | 'private' | null,
            sourceUrl: o.sourceUrl ?? null,
          },
          io.clock.now(),
        );
      } catch (error) {
        const issue = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
        if (!issue) throw error;
        throw new AppError('validation', `${issue.path.join('.') || 'entry'}: ${issue.message}`, { hint: 'run att registry add --help' });
      }
      const context = await openContext(settings(), io.clock);
      try {
        if (!(await context.reference.snapshot(OPERATOR)).states.some((s) => s.id === iso3 && s.kind === 'state')) {
          throw new AppError('validation', `--state "${o.state}" is not the ISO3 code of a State`);
        }
        await context.registry.record(entry, 'operator', io.clock.now());
        io.out(`recorded ${entry.id}\n`);
      } finally {
        await context.store.close();
      }
    });

  program
    .command('compliance')
    .description('reporting compliance: rates for a covered year (--year), or one State\'s record (--state)')
    .option('--year <year>', 'covered year, e.g. 2022')
    .option('--state <iso3>', 'one State')
    .option('--as-of <date>', 'as of this date (default: now)')
    .option('--json', 'print JSON')
    .action(async (o: { year?: string; state?: string; asOf?: string; json?: boolean }) => {
      if (!o.year && !o.state) throw new AppError('validation', 'give --year YEAR for rates or --state ISO3 for a record');
      const context = await openContext(settings(), io.clock);
      try {
        if (o.state) {
          const history = await stateCompliance(serviceOf(context), OPERATOR, { stateId: o.state.toUpperCase(), asOf: instant(o.asOf) });
          if (o.json) return void io.out(`${JSON.stringify(history, null, 2)}\n`);
          io.out(
            formatTable(
              ['report', 'covers', 'due', 'status', 'submitted', 'forms'],
              history.obligations.map((ob) => [ob.kind, ob.coveredYear ?? '-', ob.dueDate, ob.status.replaceAll('_', ' '), ob.submission?.submittedOn ?? '-', (ob.submission?.forms ?? []).map((f) => `${f.form} ${f.visibility}`).join(', ')]),
            ) + '\n',
          );
          return;
        }
        const result = await reportingRates(serviceOf(context), OPERATOR, { coveredYear: Number(o.year), asOf: instant(o.asOf) });
        if (o.json) return void io.out(`${JSON.stringify(result, null, 2)}\n`);
        for (const rate of result.rates.slice(0, 1)) io.out(`${rate.summary}\n`);
        io.out(
          formatTable(
            ['group', 'obliged', 'reported', 'on time', 'late', 'missing', 'private'],
            result.rates.map((r) => [r.group, r.counts.obliged, r.counts.reported, r.counts.onTime, r.counts.late, r.counts.missing, r.counts.private]),
          ) + '\n',
        );
      } finally {
        await context.store.close();
      }
    });

  program
    .command('score')
    .description("a report's transparency score, with the reason for every point lost")
    .argument('<reportId>', 'registry id (att get /v1/reports lists them)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const { score } = await reportDetail(serviceOf(context), OPERATOR, id);
        if (!score) throw new AppError('validation', `${id} is an initial report: the rubric scores annual reports`);
        if (o.json) return void io.out(`${JSON.stringify(score, null, 2)}\n`);
        io.out(`${id}: ${score.score} of ${score.maxScore} (rubric ${score.rubricVersion})\n`);
        for (const c of score.criteria) io.out(`  ${String(c.points).padStart(3)}/${c.maxPoints}  ${c.label}: ${c.reason}\n`);
      } finally {
        await context.store.close();
      }
    });

  program
    .command('mirror')
    .description("compare exporters' and importers' ATT reports with each other and with SIPRI deliveries")
    .option('--exporter <id>', 'exporter crosswalk id')
    .option('--importer <id>', 'importer crosswalk id')
    .option('--year <year>', 'year')
    .option('--json', 'print JSON')
    .action(async (o: { exporter?: string; importer?: string; year?: string; json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const analysis = await mirror(serviceOf(context), OPERATOR, {
          ...(o.exporter ? { exporterId: o.exporter.toUpperCase() } : {}),
          ...(o.importer ? { importerId: o.importer.toUpperCase() } : {}),
          ...(o.year ? { year: Number(o.year) } : {}),
        });
        if (o.json) return void io.out(`${JSON.stringify(analysis, null, 2)}\n`);
        io.out(`${JSON.stringify(analysis.counts)}\n`);
        io.out(formatTable(['exporter', 'importer', 'year', 'result', 'reason'], analysis.results.slice(0, 40).map((r) => [r.exporterId, r.importerId, r.year, r.kind, r.reason.slice(0, 100)])) + '\n');
      } finally {
        await context.store.close();
      }
    });
}
