/**
 * ATT coverage of the arms trade: on an as-of date, how much of the world's exports and imports (SIPRI TIV over a
 * year range) comes from States Parties, States that deposited, signatories, and States outside the treaty.
 * Pure and exact (decimal.ts); TIV is a volume index, never money (docs/methods/treaty-coverage.md).
 */
import type { IsoDate } from '../model/dates.js';
import {
  addDecimals,
  compareDecimals,
  decimalToString,
  parseDecimal,
  roundDecimal,
  splitEvenly,
  sumDecimals,
  ZERO,
  type Decimal,
} from '../model/decimal.js';
import {
  COVERAGE_BUCKETS,
  type CoverageBucket,
  type CoverageBucketRow,
  type CoverageParty,
  type CoverageSide,
  type ReleaseRef,
  type TivShare,
  type TreatyCoverage,
} from '../model/screening.js';
import type { State, StateId } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';
import type { TreatyRecord, TreatyStatus } from '../model/treaty.js';
import { entryIntoForceFor, treatyStatusOn } from './treaty-status.js';

export { COVERAGE_BUCKETS };
export type { CoverageBucket, CoverageParty, CoverageSide, ReleaseRef, TreatyCoverage };

/** The fields of a transfer the coverage reads. */
export type CoverageTransfer = Pick<
  Transfer,
  'exporterId' | 'importerId' | 'year' | 'deliveryYears' | 'tivDelivered'
>;

export interface TreatyCoverageOptions {
  /** Treaty status is taken on this date (events dated on it count). */
  asOf: IsoDate;
  /** First and last delivery year counted (inclusive). */
  from: number;
  to: number;
  /** How many exporters and importers to rank (default 10). */
  top?: number;
  /** The release the transfers come from, echoed in the result. */
  release: ReleaseRef;
}

/** Digits after the point of an even split's shares (as in the TIV tables). */
const SPLIT_SCALE = 6;

export const COVERAGE_CAVEATS: readonly string[] = Object.freeze([
  'SIPRI covers major conventional arms only: small arms and light weapons, ammunition and most parts are not in the figures.',
  'TIV (SIPRI trend-indicator value, millions) is a volume index, not money, and is never added to financial values.',
  'A SIPRI TIV of "0" means more than 0 and less than 0.5 million; it is counted as 0 here.',
  'A classic deal delivered over several years is placed evenly over its distinct delivery years; delivery-row registers carry the year per row.',
  'Non-State actors, international organisations and unknown parties are "not a State"; territories and historical States cannot take treaty action: each has its own bucket.',
]);

/** A release reference from an import's metadata (SIPRI: `dataGenerated`, `layout`, `citation`). */
export function releaseFromMetadata(
  source: string,
  fileName: string | null,
  metadata: Readonly<Record<string, string>>,
): ReleaseRef {
  return {
    source,
    dataGenerated: metadata['dataGenerated'] ?? null,
    fileName,
    layout: metadata['layout'] ?? null,
    citation: metadata['citation'] ?? null,
  };
}

/** `part` as a percentage of `total`, rounded to `places` digits (half away from zero); "0" when total is 0. */
export function percentOf(part: Decimal | string, total: Decimal | string, places = 2): string {
  const p = typeof part === 'string' ? parseDecimal(part) : part;
  const t = typeof total === 'string' ? parseDecimal(total) : total;
  if (t.units === 0n) return '0';
  // p/t*100 at places+1 digits, exactly, then rounded: scale both to a common scale first.
  const scale = Math.max(p.scale, t.scale);
  const pu = p.units * 10n ** BigInt(scale - p.scale);
  const tu = t.units * 10n ** BigInt(scale - t.scale);
  const extra = places + 1;
  const q = (pu * 100n * 10n ** BigInt(extra)) / tu; // truncated toward zero
  return decimalToString(roundDecimal({ units: q, scale: extra }, places));
}

/** The coverage bucket of a party on a date. */
export function coverageBucket(
  state: State | undefined,
  record: TreatyRecord | undefined,
  asOf: IsoDate,
): { bucket: CoverageBucket; status: TreatyStatus | null } {
  if (!state) return { bucket: 'not_a_state', status: null };
  switch (state.kind) {
    case 'state': {
      const status = treatyStatusOn(record, asOf);
      return { bucket: status, status };
    }
    case 'territory':
      return { bucket: 'territory', status: null };
    case 'historical_state':
      return { bucket: 'historical_state', status: null };
    default:
      return { bucket: 'not_a_state', status: null };
  }
}

/**
 * The part of a transfer's delivered TIV that falls in [from, to]: a single year counts whole; a classic deal over
 * several years is split evenly over its distinct delivery years. Null when it has no TIV, no year, or none inside.
 */
export function tivInPeriod(
  transfer: Pick<Transfer, 'year' | 'deliveryYears' | 'tivDelivered'>,
  from: number,
  to: number,
): Decimal | null {
  const placed = placeTiv(transfer);
  if (placed === 'no_tiv' || placed === 'no_year') return null;
  const inside = placed.filter(([y]) => y >= from && y <= to);
  return inside.length === 0 ? null : sumDecimals(inside.map(([, v]) => v));
}

function placeTiv(
  t: Pick<Transfer, 'year' | 'deliveryYears' | 'tivDelivered'>,
): [number, Decimal][] | 'no_tiv' | 'no_year' {
  if (t.tivDelivered === null) return 'no_tiv';
  const years = [...new Set(t.deliveryYears)].sort((a, b) => a - b);
  if (years.length === 0 && t.year !== null) years.push(t.year);
  if (years.length === 0) return 'no_year';
  const tiv = parseDecimal(t.tivDelivered);
  return years.length === 1
    ? [[years[0]!, tiv]]
    : splitEvenly(tiv, years.length, SPLIT_SCALE).map((share, i) => [years[i]!, share]);
}

/** TIV per party (exporter and importer) over [from, to], with the rows that could not be placed. */
function tivByParty(
  transfers: Iterable<CoverageTransfer>,
  from: number,
  to: number,
): {
  exports: Map<string, Decimal>;
  imports: Map<string, Decimal>;
  skipped: { noTiv: number; noYear: number; outsidePeriod: number };
} {
  const exports = new Map<string, Decimal>();
  const imports = new Map<string, Decimal>();
  const skipped = { noTiv: 0, noYear: 0, outsidePeriod: 0 };
  const add = (map: Map<string, Decimal>, id: string, value: Decimal) =>
    map.set(id, addDecimals(map.get(id) ?? ZERO, value));
  for (const t of transfers) {
    const placed = placeTiv(t);
    if (placed === 'no_tiv' || placed === 'no_year') {
      skipped[placed === 'no_tiv' ? 'noTiv' : 'noYear']++;
      continue;
    }
    const shares = placed.filter(([y]) => y >= from && y <= to);
    if (shares.length === 0) {
      skipped.outsidePeriod++;
      continue;
    }
    const inside = sumDecimals(shares.map(([, v]) => v));
    add(exports, t.exporterId, inside);
    // An ATT report row may have no importer (an aggregated partner): counted as not a State.
    add(imports, t.importerId ?? 'UNKNOWN', inside);
  }
  return { exports, imports, skipped };
}

function share(tiv: Decimal, total: Decimal, parties: number): TivShare {
  return { tiv: decimalToString(tiv), sharePercent: percentOf(tiv, total), parties };
}

function side(
  name: 'exports' | 'imports',
  byParty: Map<string, Decimal>,
  statesById: Map<string, State>,
  recordsById: Map<string, TreatyRecord>,
  asOf: IsoDate,
  top: number,
): CoverageSide {
  const total = sumDecimals(byParty.values());
  const sums = new Map<CoverageBucket, { tiv: Decimal; parties: number }>(
    COVERAGE_BUCKETS.map((b) => [b, { tiv: ZERO, parties: 0 }]),
  );
  const parties: Omit<CoverageParty, 'rank'>[] = [];
  for (const [id, tiv] of byParty) {
    const state = statesById.get(id);
    const record = recordsById.get(id);
    const { bucket, status } = coverageBucket(state, record, asOf);
    const sum = sums.get(bucket)!;
    sum.tiv = addDecimals(sum.tiv, tiv);
    sum.parties++;
    const deposited = status === 'state_party' || status === 'deposited_awaiting_eif';
    parties.push({
      stateId: id as StateId,
      name: state?.name ?? id,
      kind: state?.kind ?? null,
      tiv: decimalToString(tiv),
      sharePercent: percentOf(tiv, total),
      bucket,
      status,
      deposited,
      inForce: status === 'state_party',
      depositDate: deposited ? (record?.depositDate ?? null) : null,
      entryIntoForceDate: deposited && record ? entryIntoForceFor(record) : null,
    });
  }
  const buckets: CoverageBucketRow[] = COVERAGE_BUCKETS.map((bucket) => {
    const s = sums.get(bucket)!;
    return { bucket, ...share(s.tiv, total, s.parties) };
  });
  const group = (...keys: CoverageBucket[]): TivShare => {
    const picked = keys.map((k) => sums.get(k)!);
    return share(
      sumDecimals(picked.map((p) => p.tiv)),
      total,
      picked.reduce((n, p) => n + p.parties, 0),
    );
  };
  const ranked = parties
    .sort((a, b) => compareDecimals(b.tiv, a.tiv) || a.stateId.localeCompare(b.stateId))
    .slice(0, top)
    .map((p, i) => ({ rank: i + 1, ...p }));
  return {
    side: name,
    totalTiv: decimalToString(total),
    buckets,
    deposited: group('state_party', 'deposited_awaiting_eif'),
    inForce: group('state_party'),
    signedNotDeposited: group('signatory', 'declared_not_to_become_party'),
    notSigned: group('not_signed'),
    cannotJoin: group('territory', 'historical_state', 'not_a_state'),
    top: ranked,
    topDeposited: ranked.filter((p) => p.deposited).length,
    topInForce: ranked.filter((p) => p.inForce).length,
  };
}

/**
 * Shares of world exports and imports (SIPRI TIV delivered in [from, to]) by the parties' ATT status on `asOf`, and
 * the top exporters and importers with their status. Every figure carries the period, the as-of date and the release.
 */
export function treatyCoverage(
  transfers: Iterable<CoverageTransfer>,
  states: readonly State[],
  treatyRecords: readonly TreatyRecord[],
  options: TreatyCoverageOptions,
): TreatyCoverage {
  const top = options.top ?? 10;
  const statesById = new Map(states.map((s) => [s.id as string, s]));
  const recordsById = new Map(treatyRecords.map((r) => [r.stateId as string, r]));
  const { exports, imports, skipped } = tivByParty(transfers, options.from, options.to);
  return {
    asOf: options.asOf,
    period: { from: options.from, to: options.to },
    release: options.release,
    yearRule: 'even-split',
    exports: side('exports', exports, statesById, recordsById, options.asOf, top),
    imports: side('imports', imports, statesById, recordsById, options.asOf, top),
    skipped,
    caveats: [...COVERAGE_CAVEATS],
  };
}
