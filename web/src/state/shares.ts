import type { ComplianceRate, CoverageParty, CoverageSide } from '../api/data.js';

/** Treaty-status buckets of /v1/coverage that hold States (the others: territories, former States, non-State parties). */
export const STATE_BUCKETS: ReadonlySet<string> = new Set([
  'state_party',
  'deposited_awaiting_eif',
  'signatory',
  'declared_not_to_become_party',
  'not_signed',
]);

export interface Rest {
  /** States in the rest, and other parties (territories, former States, groups ...). */
  states: number;
  others: number;
  tiv: number;
  sharePercent: number;
}

/**
 * What a chart of shares leaves out after the parties it lists: its TIV, its share of the world total and how many
 * States and other parties it holds (from the buckets' party counts). Null when nothing is left.
 */
export function restOf(side: CoverageSide, listed: readonly CoverageParty[]): Rest | null {
  const states = side.buckets.filter((b) => STATE_BUCKETS.has(b.bucket)).reduce((n, b) => n + b.parties, 0);
  const others = side.buckets.filter((b) => !STATE_BUCKETS.has(b.bucket)).reduce((n, b) => n + b.parties, 0);
  const listedStates = listed.filter((p) => p.bucket !== null && STATE_BUCKETS.has(p.bucket)).length;
  const rest = {
    states: Math.max(0, states - listedStates),
    others: Math.max(0, others - (listed.length - listedStates)),
  };
  if (rest.states + rest.others === 0) return null;
  const tiv = Math.max(0, side.totalTiv - listed.reduce((sum, p) => sum + p.tiv, 0));
  return { ...rest, tiv, sharePercent: side.totalTiv > 0 ? (tiv / side.totalTiv) * 100 : 0 };
}

/** Delivery years shown for a date: the five full years before it. */
export function coveragePeriod(date: string): { from: number; to: number } {
  const year = Number(date.slice(0, 4));
  return { from: year - 5, to: year - 1 };
}

/** The latest covered year whose deadline has passed for most States Parties, with its national rates. */
export function latestRate(rates: readonly ComplianceRate[]): ComplianceRate | null {
  const annual = rates
    .filter(
      (r) => r.kind === 'annual' && r.groupBy === 'all' && r.coveredYear !== null && r.reported !== null,
    )
    .filter((r) => (r.counts.pending ?? 0) < (r.counts.obliged ?? 1) / 2)
    .sort((a, b) => b.coveredYear! - a.coveredYear!);
  return annual[0] ?? null;
}
