import type { Command } from 'commander';
import { selectionNotices } from '../services/tiv.js';
import { startOfDayIn } from '../api/as-of.js';
import { toCsv } from '../api/csv.js';
import { AppError } from '../model/errors.js';
import { OPERATOR } from '../model/viewer.js';
import { coverage, dossier, screenScope } from '../services/compliance.js';
import type { Settings } from '../settings.js';
import { openContext } from './context.js';
import { formatTable } from './format-table.js';
import { parseDateOption, parseYearOption } from './options.js';
import type { CliIo } from './main.js';

export function registerComplianceCommands(program: Command, io: CliIo, settings: () => Settings): void {
  program
    .command('screen')
    .description('screen transfers against the UN and EU arms embargo episodes in force on their dates (ATT Art. 6(1))')
    .option('--import <ids>', 'comma-separated import runs (default: the transfers scope of /v1/transfers)')
    .option('--outcome <outcome>', 'only flag, possible, inconclusive or clear')
    .option('--importer <id>', 'only transfers to this importer (crosswalk id)')
    .option('--csv', 'print CSV')
    .option('--json', 'print JSON')
    .action(async (options: { import?: string; outcome?: string; importer?: string; csv?: boolean; json?: boolean }) => {
      if (options.outcome && !['flag', 'possible', 'inconclusive', 'clear'].includes(options.outcome)) {
        throw new AppError('validation', `--outcome must be flag, possible, inconclusive or clear, not "${options.outcome}"`);
      }
      const runs = options.import?.split(',').map((id) => {
        if (!/^\d+$/.test(id)) throw new AppError('validation', `--import "${id}" is not an import run id`);
        return Number(id);
      });
      const context = await openContext(settings(), io.clock);
      try {
        const screening = await screenScope(context, OPERATOR, runs);
        const rows = screening.rows.filter(
          (r) => (!options.outcome || r.result.outcome === options.outcome) && (!options.importer || r.transfer.importerId === options.importer.toUpperCase()),
        );
        const flat = rows.map((r) => ({
          transferId: r.transferId,
          importRun: r.importRunId,
          exporter: r.transfer.exporterId,
          importer: r.transfer.importerId,
          years: r.result.dating.years.join(';'),
          description: r.transfer.description,
          outcome: r.result.outcome,
          episodes: [...new Set(r.result.episodes.filter((e) => e.outcome !== 'clear').map((e) => e.id))].join(';'),
          reason: r.result.reason,
        }));
        if (options.json) io.out(`${JSON.stringify({ counts: screening.counts, scope: screening.scope, rows: rows.map((r) => ({ transferId: r.transferId, ...r.result })) }, null, 2)}\n`);
        else if (options.csv) io.out(toCsv(flat));
        else {
          const c = screening.counts;
          io.out(`screened ${c.total} transfers from import runs ${screening.scope.join(', ')}: flag ${c.flag}, possible ${c.possible}, inconclusive ${c.inconclusive}, clear ${c.clear}\n`);
          for (const notice of await selectionNotices(context.imports, OPERATOR, screening.scope)) io.out(`note: ${notice}\n`);
          io.out(formatTable(['transfer', 'exporter', 'importer', 'years', 'outcome', 'episodes'], flat.slice(0, 50).map((r) => [r.transferId, r.exporter, r.importer ?? '-', r.years, r.outcome, r.episodes])) + '\n');
          if (flat.length > 50) io.out(`... ${flat.length - 50} more (--csv or --json for all, with the reasons)\n`);
        }
      } finally {
        await context.store.close();
      }
    });

  program
    .command('coverage')
    .description("share of world arms exports and imports (SIPRI TIV) from the ATT's States Parties, signatories and others on a date")
    .requiredOption('--from <year>', 'first delivery year')
    .requiredOption('--to <year>', 'last delivery year')
    .option('--as-of <date>', 'treaty status on this date (default: today)')
    .option('--top <n>', 'how many top exporters and importers', '10')
    .option('--import <id>', 'a SIPRI register import (default: the latest delivery-row register)')
    .option('--json', 'print JSON')
    .action(async (options: { from: string; to: string; asOf?: string; top: string; import?: string; json?: boolean }) => {
      const asOf = parseDateOption(options.asOf, '--as-of', io.clock);
      const [from, to] = [parseYearOption(options.from, '--from'), parseYearOption(options.to, '--to')];
      const top = Number(options.top);
      if (!Number.isInteger(top) || top < 1) throw new AppError('validation', `--top must be a whole number, not "${options.top}"`);
      const context = await openContext(settings(), io.clock);
      try {
        const result = await coverage(context, OPERATOR, { asOf, from, to, top, ...(options.import ? { importRunId: Number(options.import) } : {}) });
        if (options.json) {
          io.out(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        io.out(`Deliveries ${from}-${to}, treaty status on ${asOf}; ${result.release.citation ?? ''} (${result.release.fileName}, data generated ${result.release.dataGenerated ?? '?'})\n`);
        for (const side of ['exports', 'imports'] as const) {
          const s = result[side];
          io.out(
            `\n${side}: ${s.deposited.sharePercent}% of TIV from States that had deposited; top ${top} ${side === 'exports' ? 'exporters' : 'importers'}: ${s.topDeposited} had deposited, ${s.topInForce} had the treaty in force\n`,
          );
          io.out(
            formatTable(
              ['rank', 'State', 'TIV', 'share %', 'status on date'],
              s.top.map((p, i) => [i + 1, p.name, Number(p.tiv).toFixed(0), p.sharePercent, p.status ?? p.bucket]),
            ) + '\n',
          );
        }
        io.out(`\n${result.caveats.join('\n')}\n`);
      } finally {
        await context.store.close();
      }
    });

  program
    .command('dossier')
    .description('risk indicators for a destination (ATT Arts 6, 7, 11, 13), each with its source; indicators, not verdicts')
    .requiredOption('--state <iso3>', 'ISO3 code, e.g. SSD')
    .option('--as-of <date>', 'date (default: today)')
    .option('--json', 'print JSON')
    .action(async (options: { state: string; asOf?: string; json?: boolean }) => {
      const asOf = parseDateOption(options.asOf, '--as-of', io.clock);
      const context = await openContext(settings(), io.clock);
      try {
        const snapshot = await context.reference.snapshot(OPERATOR);
        const state = snapshot.states.find((s) => s.iso3 === options.state.toUpperCase());
        if (!state) throw new AppError('not_found', `no State with ISO3 code "${options.state}"`);
        const rules = settings().reporting;
        const result = await dossier(context, OPERATOR, { stateId: state.id, asOf, instant: options.asOf ? startOfDayIn(asOf, rules.timeZone) : io.clock.now(), rules });
        if (options.json) {
          io.out(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        io.out(`${state.name}: indicators on ${asOf} (not findings)\n`);
        for (const i of result.indicators) io.out(`  [${i.level}] Art. ${i.article} ${i.indicator}: ${i.explanation}\n     source: ${i.source}\n`);
      } finally {
        await context.store.close();
      }
    });
}
