import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { complianceRates, redactPrivateDetails, stateComplianceHistory, trackCompliance } from '../analysis/compliance-tracker.js';
import { exchangeRateTable, parseExchangeRates } from '../analysis/exchange-rates.js';
import { mirrorAnalysis, type MirrorRow } from '../analysis/mirror.js';
import { transparencyScore } from '../analysis/transparency-score.js';
import { AppError } from '../model/errors.js';
import type { ReportingRules } from '../model/reporting.js';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import type { Transfer } from '../model/transfer.js';
import { privateAccess, type Viewer } from '../model/viewer.js';
import type { ImportRepository } from '../store/import-repository.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import type { RegistryRepository } from '../store/registry-repository.js';
import type { TransferRepository } from '../store/transfer-repository.js';

export interface ReportDeps {
  reference: ReferenceRepository;
  registry: RegistryRepository;
  imports: ImportRepository;
  transfers: TransferRepository;
  rules: ReportingRules;
  referenceDir: string;
}

async function tracked(deps: ReportDeps, viewer: Viewer, asOf: Date) {
  const snapshot = await deps.reference.snapshot(viewer);
  const entries = await deps.registry.list(viewer);
  return { snapshot, result: trackCompliance({ records: snapshot.treatyRecords, entries, asOf, rules: deps.rules }) };
}

/** "x of y States Parties reported for a year, z % on time, w % private", overall, by M49 region and UN group. */
export async function reportingRates(deps: ReportDeps, viewer: Viewer, options: { coveredYear: number; asOf: Date }) {
  const { snapshot, result } = await tracked(deps, viewer, options.asOf);
  return { asOf: result.asOf, definitions: result.definitions, rates: complianceRates(result, { coveredYear: options.coveredYear, states: snapshot.states }) };
}

/** One State's obligations with what arrived and when; private forms show only "submitted, private". */
export async function stateCompliance(deps: ReportDeps, viewer: Viewer, options: { stateId: string; asOf: Date }) {
  const { result } = await tracked(deps, viewer, options.asOf);
  const history = stateComplianceHistory(result, options.stateId);
  // Conservative: only viewers who read every private form see the details; others see "submitted, private".
  return privateAccess(viewer).kind === 'all' ? history : { ...history, obligations: history.obligations.map((o) => redactPrivateDetails(o)) };
}

/**
 * A report with its rows (public forms only for the public) and its transparency score with every reason. `rowIds`
 * are the rows' stored ids, in the same order (questions and annotations name a row by it).
 */
export async function reportDetail(deps: ReportDeps, viewer: Viewer, id: string) {
  const entry = await deps.registry.get(viewer, id);
  if (!entry) throw new AppError('not_found', `no report "${id}" in the registry`, { location: { parameter: 'id' }, hint: 'list reports at /v1/reports' });
  const stored = entry.importRunId === null ? [] : await deps.imports.transfersWithIds(viewer, entry.importRunId);
  const rows = stored.map((r) => r.record);
  const score = entry.coveredYear === null ? null : transparencyScore({ entry, rows, rules: deps.rules });
  return { entry, rows, rowIds: stored.map((r) => r.id), score };
}

/** Scores of every annual report in the registry (for lists and State profiles). */
export async function scoreOf(deps: ReportDeps, viewer: Viewer, entry: ReportRegistryEntry) {
  if (entry.coveredYear === null) return null;
  const rows = entry.importRunId === null ? [] : await deps.imports.transfersOf(viewer, entry.importRunId);
  return transparencyScore({ entry, rows, rules: deps.rules });
}

let ratesCache: { dir: string; table: ReturnType<typeof exchangeRateTable> } | undefined;

/**
 * Exporter's and importer's ATT reports compared with each other and with SIPRI deliveries (ATT Art. 11: diversion
 * shows first as discrepancies). Only rows the viewer may see take part; see docs/methods/mirror.md.
 */
export async function mirror(
  deps: ReportDeps,
  viewer: Viewer,
  filter: { exporterId?: string; importerId?: string; year?: number },
) {
  if (ratesCache?.dir !== deps.referenceDir) {
    const file = path.join(deps.referenceDir, 'exchange-rates.csv');
    ratesCache = { dir: deps.referenceDir, table: exchangeRateTable(parseExchangeRates(await readFile(file, 'utf8'), file)) };
  }
  const scope = await deps.transfers.defaultScope(viewer);
  const rows: MirrorRow[] = [];
  const keep = (t: Transfer) =>
    (filter.exporterId === undefined || t.exporterId === filter.exporterId) &&
    (filter.importerId === undefined || t.importerId === filter.importerId) &&
    (filter.year === undefined || t.year === filter.year || t.deliveryYears.includes(filter.year) || t.year === filter.year - 1 || t.year === filter.year + 1);
  for (const runId of scope) {
    for (const t of await deps.imports.transfersWithIds(viewer, runId)) {
      if ((t.record.source === 'att-report' || t.record.source === 'sipri') && keep(t.record)) rows.push({ id: String(t.id), transfer: t.record });
    }
  }
  return { ...mirrorAnalysis({ rows, rates: ratesCache.table, registry: await deps.registry.list(viewer) }), scope };
}
