import { Command, CommanderError, Option } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../api/app.js';
import { treatyStatusAsOf } from '../analysis/treaty-status.js';
import { reportingObligations } from '../analysis/reporting-calendar.js';
import { startOfDayIn } from '../api/as-of.js';
import { systemClock, type Clock } from '../model/clock.js';
import { dateInTimeZone } from '../model/dates.js';
import { AppError, isAppError } from '../model/errors.js';
import { ANONYMOUS } from '../model/viewer.js';
import { loadSettings, PROJECT_ROOT, type Settings } from '../settings.js';
import { installShutdownHandlers, openStore, storeOptionsFromSettings } from '../store/open-store.js';
import { migrateToLatest } from '../store/migrate.js';
import { openContext, repositoriesOf } from './context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatTable } from './format-table.js';
import { parseDateOption, usage } from './options.js';
import { registerImportCommands } from './import-commands.js';
import { registerComplianceCommands } from './compliance-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerAccountCommands } from './account-commands.js';
import { appDepsFor } from './app-deps.js';
import { alertDepsFor, appAlertDepsFor, registerAlertCommands, startAlertInterval } from './alert-commands.js';
import { alertsTick, deliverDue } from '../services/alerts.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** Where a progress bar may be drawn (a terminal); absent or not a TTY: no bar. */
  progressStream?: { isTTY?: boolean; write(text: string): unknown };
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  clock: systemClock,
  progressStream: process.stderr,
};

/** Runs the `att` command and returns its exit code: 0 ok, 1 data problem, 2 usage. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let settings: Settings;
  const program = buildProgram(io, () => settings);
  try {
    settings = loadSettings(io.env);
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isAppError(error)) {
      io.err(`att: ${error.describe()}\n`);
      return exitCodeFor(error);
    }
    io.err(`att: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.data;
  }
}

function buildProgram(io: CliIo, settings: () => Settings): Command {
  const program = new Command('att')
    .description('ATT Observatory: Arms Trade Treaty status, reporting obligations and embargoes')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run att --help for usage)');

  program
    .command('serve')
    .description(
      'serve the web app and the API (default http://localhost:8080; settings ATT_PORT, ATT_DATA_DIR)',
    )
    .addOption(new Option('--port <port>', 'port to listen on (overrides ATT_PORT)').argParser(parsePort))
    .action(async (options: { port?: number }) => {
      await runServer({ ...settings(), ...(options.port !== undefined ? { port: options.port } : {}) }, io);
    });

  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations and load data/reference/')
    .action(async () => {
      const store = await openStore(storeOptionsFromSettings(settings()), { migrate: false });
      try {
        const { applied } = await migrateToLatest(store.db);
        io.out(
          applied.length
            ? `applied migrations: ${applied.join(', ')}\n`
            : 'database is up to date (no migration to apply)\n',
        );
      } finally {
        await store.close();
      }
      const context = await openContext(settings(), io.clock);
      await context.store.close();
      io.out(context.referenceSync.changed ? 'reference data loaded\n' : 'reference data unchanged\n');
    });

  program
    .command('status')
    .description('treaty status of every State on a date, with counts overall and by region')
    .option('--as-of <date>', 'date YYYY-MM-DD (default: today)')
    .option(
      '--by <grouping>',
      'region grouping for the table: m49Region or unRegionalGroup',
      'unRegionalGroup',
    )
    .option('--json', 'print JSON (summary and States)')
    .action(async (options: { asOf?: string; json?: boolean; by: string }) => {
      const asOf = parseDateOption(options.asOf, '--as-of', io.clock);
      const context = await openContext(settings(), io.clock);
      try {
        const snapshot = await context.reference.snapshot(ANONYMOUS);
        const result = treatyStatusAsOf(snapshot.states, snapshot.treatyRecords, asOf);
        if (options.json) {
          io.out(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const c = result.counts;
        io.out(
          [
            `ATT status as of ${asOf} (source: UN depositary, as at ${snapshot.datasets.find((d) => d.dataset === 'treaty-status')?.asAt ?? 'unknown'})`,
            `  States Parties (in force):           ${c.stateParty}`,
            `  deposited, awaiting entry into force: ${c.depositedAwaitingEif}`,
            `  deposited in all:                     ${c.deposited}`,
            `  signatories (signed, no deposit):     ${c.signatory}`,
            `  signed in all (events to date):       ${c.signed}`,
            `  declared not to become a party:       ${c.declaredNotToBecomeParty}`,
            `  not signed:                           ${c.notSigned}`,
            '',
            formatTable(
              ['region', 'parties', 'awaiting EIF', 'signatories', 'declared', 'not signed'],
              result.byRegion
                .filter((r) => r.groupBy === options.by)
                .map((r) => [
                  r.region,
                  r.counts.stateParty,
                  r.counts.depositedAwaitingEif,
                  r.counts.signatory,
                  r.counts.declaredNotToBecomeParty,
                  r.counts.notSigned,
                ]),
            ),
          ].join('\n') + '\n',
        );
      } finally {
        await context.store.close();
      }
    });

  program
    .command('obligations')
    .description('reports a State owes under ATT Art. 13 (initial and annual), with due dates and status')
    .requiredOption('--state <iso3>', 'ISO3 code, e.g. FRA')
    .option('--as-of <date>', 'date YYYY-MM-DD (default: now)')
    .option('--json', 'print JSON')
    .action(async (options: { state: string; asOf?: string; json?: boolean }) => {
      const iso3 = options.state.toUpperCase();
      if (!/^[A-Z]{3}$/.test(iso3)) throw usage(`--state "${options.state}" is not an ISO3 code such as FRA`);
      const asOf = options.asOf ? parseDateOption(options.asOf, '--as-of', io.clock) : undefined;
      const context = await openContext(settings(), io.clock);
      try {
        const snapshot = await context.reference.snapshot(ANONYMOUS);
        const state = snapshot.states.find((s) => s.iso3 === iso3);
        if (!state) {
          throw new AppError('not_found', `no State with ISO3 code "${iso3}"`, {
            hint: 'list the codes with: att get /v1/states.csv?_size=max',
          });
        }
        const rules = settings().reporting;
        const instant = asOf ? startOfDayIn(asOf, rules.timeZone) : io.clock.now();
        const rows = reportingObligations(snapshot.treatyRecords, instant, rules, { stateId: state.id });
        if (options.json) {
          io.out(
            `${JSON.stringify({ state: iso3, asOf: instant.toISOString(), obligations: rows }, null, 2)}\n`,
          );
          return;
        }
        if (rows.length === 0) {
          io.out(
            `${state.name} owes no ATT report as of ${dateInTimeZone(instant, rules.timeZone)} (it is not a State Party).\n`,
          );
          return;
        }
        io.out(
          `${state.name}: ATT reports owed as of ${dateInTimeZone(instant, rules.timeZone)} (deadlines in ${rules.timeZone}, grace ${rules.graceDays} days)\n`,
        );
        io.out(
          formatTable(
            ['kind', 'covers', 'window opens', 'due', 'grace ends', 'status'],
            rows.map((o) => [
              o.kind,
              o.coveredYear ?? '-',
              o.windowOpens,
              o.dueDate,
              o.graceEndsOn,
              o.status.replaceAll('_', ' '),
            ]),
          ) + '\n',
        );
      } finally {
        await context.store.close();
      }
    });

  registerImportCommands(program, io, settings);
  registerComplianceCommands(program, io, settings);
  registerReportCommands(program, io, settings);
  registerAccountCommands(program, io, settings);
  registerAlertCommands(program, io, settings);

  program
    .command('get')
    .description('run one API GET request in-process and print the response body (like datasette --get)')
    .argument('<path>', 'API path, e.g. /v1/treaty/status.csv?asOf=2015-08-24')
    .action(async (requestPath: string) => {
      const context = await openContext(settings(), io.clock);
      try {
        const app = createApp({
          ...repositoriesOf(context),
          clock: io.clock,
          reporting: settings().reporting,
          downloads: { sipriDownloads: settings().sipriDownloads },
          alerts: appAlertDepsFor(context, settings()),
        });
        const response = await app.request(requestPath);
        io.out(await response.text());
        if (!response.ok)
          throw new AppError(
            response.status === 404 ? 'not_found' : 'validation',
            `GET ${requestPath} answered ${response.status}`,
          );
      } finally {
        await context.store.close();
      }
    });

  return program;
}

async function runServer(settings: Settings, io: CliIo): Promise<void> {
  const context = await openContext(settings, io.clock);
  const webRoot = path.join(PROJECT_ROOT, 'web', 'dist');
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  const app = createApp(appDepsFor(context, settings, io.clock, hasWeb ? { webRoot } : {}));
  // Deadline alerts, enqueueing and delivery run inside the server too (one process holds a PGlite directory).
  const alertDeps = alertDepsFor(context, settings, io.clock);
  const stopAlerts = startAlertInterval(
    async () => {
      await alertsTick(alertDeps);
      await deliverDue(alertDeps);
    },
    settings.alertsIntervalSeconds,
    io.err,
  );
  if (!hasWeb)
    io.err(
      `att: the web app is not built (${webRoot} is missing); serving the API only. Run npm run build.\n`,
    );

  await new Promise<void>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host }, (info) => {
      const host = settings.host === '0.0.0.0' ? 'localhost' : settings.host;
      io.out(`ATT Observatory listening on http://${host}:${info.port}\n`);
      io.out(
        `  data: ${context.store.engine === 'pglite' ? settings.dataDir : 'PostgreSQL server (ATT_DATABASE_URL)'}; API docs: http://${host}:${info.port}/docs\n`,
      );
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      void context.store.close();
      reject(
        error.code === 'EADDRINUSE'
          ? new AppError('config', `port ${settings.port} is already in use`, {
              hint: 'stop the other server or set ATT_PORT to a free port',
            })
          : error,
      );
    });
    installShutdownHandlers(context.store, async () => {
      server.close();
      await stopAlerts();
      resolve();
    });
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usage(`--port "${value}" is not a port number`);
  return port;
}

