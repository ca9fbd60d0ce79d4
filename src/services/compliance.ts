import { trackCompliance } from '../analysis/compliance-tracker.js';
import { reportingObligations } from '../analysis/reporting-calendar.js';
import { riskDossier, type DossierDiscrepancy } from '../analysis/risk-dossier.js';
import { createScreener, countOutcomes, type ScreeningResult } from '../analysis/embargo-screening.js';
import { releaseFromMetadata, treatyCoverage } from '../analysis/treaty-coverage.js';
import type { IsoDate } from '../model/dates.js';
import type { ReportingRules } from '../model/reporting.js';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import type { RiskDossier, ScreeningCounts, TreatyCoverage } from '../model/screening.js';
import type { Transfer } from '../model/transfer.js';
import { visibilityKey, type Viewer } from '../model/viewer.js';
import type { ImportRepository } from '../store/import-repository.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import type { TransferRepository } from '../store/transfer-repository.js';
import { resolveRegisterImport, selectionNotices } from './tiv.js';

export interface ComplianceDeps {
  reference: ReferenceRepository;
  imports: ImportRepository;
  transfers: TransferRepository;
}

export interface ScreenedRow {
  transferId: number;
  importRunId: number;
  transfer: Transfer;
  result: ScreeningResult;
}

export interface Screening {
  rows: ScreenedRow[];
  counts: ScreeningCounts;
  scope: number[];
}

/** Screenings per (what the viewer may see, reference version, scope): transfers of a run never change, so neither do results. */
const screeningCache = new WeakMap<ImportRepository, Map<string, Screening>>();

/**
 * Screens every transfer in scope (the runs named, or the default scope of /v1/transfers) against the UN and EU
 * embargo episodes (ATT Art. 6(1)); see docs/methods/embargo-screening.md.
 */
export async function screenScope(deps: ComplianceDeps, viewer: Viewer, importRunIds?: number[]): Promise<Screening> {
  const snapshot = await deps.reference.snapshot(viewer);
  const scope = importRunIds ?? (await deps.transfers.defaultScope(viewer));
  const cache = screeningCache.get(deps.imports) ?? new Map<string, Screening>();
  screeningCache.set(deps.imports, cache);
  const key = `${visibilityKey(viewer)}|${snapshot.version}|${scope.join(',')}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const screen = createScreener(snapshot.embargoes, snapshot.states);
  const rows: ScreenedRow[] = [];
  for (const runId of scope) {
    for (const transfer of await deps.imports.transfersWithIds(viewer, runId)) {
      rows.push({ transferId: transfer.id, importRunId: runId, transfer: transfer.record, result: screen(transfer.record) });
    }
  }
  const screening = { rows, counts: countOutcomes(rows.map((r) => r.result)), scope };
  // An entry for an older scope or reference version of the same viewer class is never asked for again (the default
  // scope moves forward with each import or submitted report): drop it, so that memory holds one screening per
  // class rather than one per import ever made (seen in the soak bench: ~25k screened rows each).
  const viewerClass = `${visibilityKey(viewer)}|`;
  for (const old of [...cache.keys()]) if (old.startsWith(viewerClass) && importRunIds === undefined) cache.delete(old);
  if (cache.size >= 16) cache.delete(cache.keys().next().value!);
  cache.set(key, screening);
  return screening;
}

/**
 * Shares of world exports and imports (SIPRI TIV) by ATT status on `asOf`, and the top exporters and importers, over
 * the delivery years [from, to] of one SIPRI register import (default: the default register for TIV by year,
 * src/analysis/default-register.ts).
 */
export async function coverage(
  deps: ComplianceDeps,
  viewer: Viewer,
  options: { asOf: IsoDate; from: number; to: number; top?: number; importRunId?: number },
): Promise<TreatyCoverage> {
  const run = await resolveRegisterImport(deps.imports, viewer, options.importRunId);
  const snapshot = await deps.reference.snapshot(viewer);
  const transfers = await deps.imports.transfersOf(viewer, run.id);
  const result = treatyCoverage(transfers, snapshot.states, snapshot.treatyRecords, {
    asOf: options.asOf,
    from: options.from,
    to: options.to,
    ...(options.top !== undefined ? { top: options.top } : {}),
    release: releaseFromMetadata(run.source, run.fileName, run.metadata),
  });
  // Shares of "world" trade from a one-country export would be shares of that country's trade: said first.
  return { ...result, caveats: [...(await selectionNotices(deps.imports, viewer, [run.id])), ...result.caveats] };
}

/** Indicators for one destination (ATT Arts 6, 7, 11, 13), each with its source; never a verdict. */
export async function dossier(
  deps: ComplianceDeps,
  viewer: Viewer,
  options: {
    stateId: string;
    asOf: IsoDate;
    instant: Date;
    rules: ReportingRules;
    discrepancies?: readonly DossierDiscrepancy[];
    /** Registry entries, so that the reporting record says what arrived (on time, late, missing), not only the calendar. */
    registryEntries?: readonly ReportRegistryEntry[];
  },
): Promise<RiskDossier> {
  const snapshot = await deps.reference.snapshot(viewer);
  const screening = await screenScope(deps, viewer);
  const runs = await Promise.all(screening.scope.map((id) => deps.imports.get(viewer, id)));
  const register = runs.find((run) => run?.source === 'sipri');
  return riskDossier({
    destinationId: options.stateId,
    asOf: options.asOf,
    states: snapshot.states,
    episodes: snapshot.embargoes,
    treatyRecords: snapshot.treatyRecords,
    screened: screening.rows.map((r) => ({ transfer: r.transfer, result: r.result })),
    obligations: options.registryEntries
      ? trackCompliance({ records: snapshot.treatyRecords, entries: options.registryEntries, asOf: options.instant, rules: options.rules })
          .obligations.filter((o) => o.stateId === options.stateId)
          .map(({ calendarStatus, status, daysLate: _d, submission: _s, entryIds: _e, reason: _r, ...obligation }) => ({
            ...obligation,
            // The calendar's status type grows with the registry; "received, undated" keeps the calendar's word.
            status: status === 'received_undated' || status === 'not_owed' ? calendarStatus : status,
          }))
      : reportingObligations(snapshot.treatyRecords, options.instant, options.rules, { stateId: options.stateId }),
    release: register ? releaseFromMetadata(register.source, register.fileName, register.metadata) : null,
    ...(options.discrepancies ? { discrepancies: options.discrepancies } : {}),
  });
}


/** Mirror results as dossier discrepancies (ATT Art. 11: what exporters and importers report differently). */
export function discrepanciesOf(results: readonly { kind: string; reason: string; id?: string }[]): DossierDiscrepancy[] {
  const kindOf = (kind: string): DossierDiscrepancy['kind'] =>
    kind === 'match' ? 'match' : kind === 'one_sided' ? 'one-sided' : kind === 'not_comparable' ? 'not-comparable' : 'discrepancy';
  return results.map((r) => ({ kind: kindOf(r.kind), reason: r.reason, ...(r.id ? { id: r.id } : {}) }));
}
