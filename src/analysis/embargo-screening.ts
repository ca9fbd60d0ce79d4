/**
 * Embargo screening (ATT Art. 6(1)): every transfer against the UN and EU arms embargo episodes in force in its years
 * for its importer, and for its exporter when an episode also bans supplies from the target. Pure: no I/O, no clock.
 * Every outcome explains itself: which episode, which date rule, which scope rule, which binding rule
 * (docs/methods/embargo-screening.md).
 */
import type { IsoDate } from '../model/dates.js';
import type { EmbargoEpisode, EmbargoScopeCode } from '../model/embargo.js';
import {
  SCREENING_OUTCOMES,
  type EpisodeScreening,
  type PartyMatch,
  type ScreeningCounts,
  type ScreeningLeg,
  type ScreeningOutcome,
  type ScreeningResult,
  type TimeCoverage,
  type TransferDating,
} from '../model/screening.js';
import type { State, StateId } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';

export { SCREENING_OUTCOMES };
export type { EpisodeScreening, ScreeningCounts, ScreeningOutcome, ScreeningResult, TransferDating };

/** The fields of a transfer that the screening reads. */
export type ScreenableTransfer = Pick<
  Transfer,
  'exporterId' | 'importerId' | 'year' | 'deliveryYears' | 'orderYear'
>;

/** A period of membership of the European Union (the European Communities before 1993); `until` is exclusive. */
export interface EuMembership {
  stateId: string;
  from: IsoDate;
  until: IsoDate | null;
}

/**
 * EU (EC before 1993) member States with their accession dates (EEC 1958; accession treaties of 1973, 1981, 1986,
 * 1995, 2004, 2007, 2013; the United Kingdom left on 31 Jan 2020). An EU arms embargo binds these States only: a
 * supply to an EU target by anyone else is not covered by it. SIPRI's "Germany" is DEU for all years (West Germany
 * before 1990). Kept here until data/reference/ holds it (a small reference file would be the better home).
 */
export const EU_MEMBERSHIP: readonly EuMembership[] = Object.freeze([
  ...['BEL', 'DEU', 'FRA', 'ITA', 'LUX', 'NLD'].map((id) => member(id, '1958-01-01')),
  member('DNK', '1973-01-01'),
  member('IRL', '1973-01-01'),
  member('GBR', '1973-01-01', '2020-02-01'),
  member('GRC', '1981-01-01'),
  member('ESP', '1986-01-01'),
  member('PRT', '1986-01-01'),
  ...['AUT', 'FIN', 'SWE'].map((id) => member(id, '1995-01-01')),
  ...['CYP', 'CZE', 'EST', 'HUN', 'LTU', 'LVA', 'MLT', 'POL', 'SVK', 'SVN'].map((id) =>
    member(id, '2004-05-01'),
  ),
  member('BGR', '2007-01-01'),
  member('ROU', '2007-01-01'),
  member('HRV', '2013-07-01'),
]);

function member(stateId: string, from: string, until: string | null = null): EuMembership {
  return { stateId, from: from as IsoDate, until: until as IsoDate | null };
}

/**
 * A documented reading of an episode's scope that differs from the reference's code. Applied only while the
 * reference still has `scopeCodeInReference`, so a correction made upstream turns it into a no-op (reported by
 * `unusedScopeCorrections`, as OpenSanctions reports unused lookups).
 */
export interface ScopeCorrection {
  episodeId: string;
  scopeCodeInReference: EmbargoScopeCode;
  scopeCode: EmbargoScopeCode;
  reason: string;
}

/**
 * CAF-2013 (res. 2127 and its successors) is coded `full` in data/reference, but its supplies to the government's
 * security forces were exempt under conditions (committee approval, from 2019 notification only), which is what
 * `government_exempt` means for LBY-2011b and SOM-2013. Proposed upstream: map the scope text "full (government
 * exemptions/notifications progressively widened)" to government_exempt in manual/embargo-scope-lookup.csv.
 */
/**
 * Corrections of a reference scope code, applied when screening and shown on every affected row. Empty: the fix for a
 * wrong code belongs in data/reference/manual/embargo-scope-lookup.csv; this hook is for an operator's urgent override.
 */
export const DEFAULT_SCOPE_CORRECTIONS: readonly ScopeCorrection[] = Object.freeze([]);

export interface ScreeningOptions {
  /** Defaults to EU_MEMBERSHIP. */
  euMembership?: readonly EuMembership[];
  /** Defaults to DEFAULT_SCOPE_CORRECTIONS; pass [] to use the reference's codes as they are. */
  scopeCorrections?: readonly ScopeCorrection[];
}

/** The corrections that no longer apply to `episodes` (the episode is gone or its code already changed). */
export function unusedScopeCorrections(
  episodes: readonly EmbargoEpisode[],
  corrections: readonly ScopeCorrection[] = DEFAULT_SCOPE_CORRECTIONS,
): ScopeCorrection[] {
  return corrections.filter(
    (c) => !episodes.some((e) => e.id === c.episodeId && e.scopeCode === c.scopeCodeInReference),
  );
}

/** The years a transfer is screened on: its delivery years, else its year, else its order year, else none. */
export function transferDating(transfer: ScreenableTransfer): TransferDating {
  const distinct = (years: readonly number[]) => [...new Set(years)].sort((a, b) => a - b);
  if (transfer.deliveryYears.length > 0)
    return { basis: 'delivery_years', years: distinct(transfer.deliveryYears) };
  if (transfer.year !== null) return { basis: 'year', years: [transfer.year] };
  if (transfer.orderYear !== null) return { basis: 'order_year', years: [transfer.orderYear] };
  return { basis: 'none', years: [] };
}

/**
 * Whether an episode is in force on a date: the start date counts, the end date does not (the end date of one
 * episode is the start date of the next one in the same regime). An end on an unrecorded date gives `unknown`.
 */
export function episodeStatusOn(
  episode: EmbargoEpisode,
  date: IsoDate,
): 'in_force' | 'not_in_force' | 'unknown' {
  if (date < episode.startDate) return 'not_in_force';
  const end = endOf(episode);
  if (end === 'unknown') return 'unknown';
  return end === null || date < end ? 'in_force' : 'not_in_force';
}

/** The exclusive end of an episode: a date, null while open, `unknown` when it ended on an unrecorded date. */
function endOf(episode: EmbargoEpisode): IsoDate | null | 'unknown' {
  if (episode.endBasis === 'open') return null;
  if (episode.endBasis === 'recorded' && episode.endDate !== null) return episode.endDate;
  return 'unknown';
}

type YearCover = 'whole' | 'part' | 'none' | 'unknown';

/** How much of a calendar year lies inside [from, until). */
function intervalCover(from: IsoDate, until: IsoDate | null | 'unknown', year: number): YearCover {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  if (from > last) return 'none';
  if (until === 'unknown') return Number(from.slice(0, 4)) === year ? 'part' : 'unknown';
  if (until !== null && until <= first) return 'none';
  const wholeYear = from <= first && (until === null || until >= `${year + 1}-01-01`);
  return wholeYear ? 'whole' : 'part';
}

function episodeCover(episode: EmbargoEpisode, year: number): YearCover {
  return intervalCover(episode.startDate, endOf(episode), year);
}

function membershipCover(periods: readonly EuMembership[], year: number): YearCover {
  let best: YearCover = 'none';
  for (const p of periods) {
    const cover = intervalCover(p.from, p.until, year);
    if (cover === 'whole') return 'whole';
    if (cover === 'part') best = 'part';
  }
  return best;
}

/** Both must hold in the same year: the episode in force and (for EU measures) the other party a member. */
function combineCover(a: YearCover, b: YearCover): YearCover {
  if (a === 'none' || b === 'none') return 'none';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return a === 'whole' && b === 'whole' ? 'whole' : 'part';
}

const COVER_RANK: Record<YearCover, number> = { whole: 3, part: 2, unknown: 1, none: 0 };

const OUTCOME_RANK: Record<ScreeningOutcome, number> = { flag: 3, possible: 2, inconclusive: 1, clear: 0 };

/** The strongest of several outcomes: flag > possible > inconclusive > clear. */
export function strongestOutcome(outcomes: Iterable<ScreeningOutcome>): ScreeningOutcome {
  let best: ScreeningOutcome = 'clear';
  for (const o of outcomes) if (OUTCOME_RANK[o] > OUTCOME_RANK[best]) best = o;
  return best;
}

// ------------------------------------------------------------------------------------------------ screener

interface Context {
  statesById: Map<string, State>;
  byTarget: Map<string, EmbargoEpisode[]>;
  byActor: Map<string, EmbargoEpisode[]>;
  euByState: Map<string, EuMembership[]>;
  corrections: Map<string, ScopeCorrection>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildContext(
  episodes: readonly EmbargoEpisode[],
  states: readonly State[],
  options: ScreeningOptions,
): Context {
  const byTarget = new Map<string, EmbargoEpisode[]>();
  const byActor = new Map<string, EmbargoEpisode[]>();
  for (const episode of episodes) {
    for (const id of new Set(episode.targetIds)) push(byTarget, id as string, episode);
    for (const id of new Set(episode.targetActorIds)) push(byActor, id as string, episode);
  }
  const euByState = new Map<string, EuMembership[]>();
  for (const m of options.euMembership ?? EU_MEMBERSHIP) push(euByState, m.stateId, m);
  const corrections = new Map(
    (options.scopeCorrections ?? DEFAULT_SCOPE_CORRECTIONS).map((c) => [c.episodeId, c] as const),
  );
  return {
    statesById: new Map(states.map((s) => [s.id as string, s])),
    byTarget,
    byActor,
    euByState,
    corrections,
  };
}

/** How a party relates to an episode's targets, or null when the episode does not concern it. */
function matchParty(partyId: string, episode: EmbargoEpisode, ctx: Context): PartyMatch | null {
  if (episode.targetActorIds.some((id) => id === partyId)) return 'named_group';
  if (episode.targetIds.some((id) => id === partyId)) return 'target';
  const state = ctx.statesById.get(partyId);
  const related = state?.relatedStateId;
  if (state && related && episode.targetIds.some((id) => id === related)) {
    if (state.kind === 'non_state_actor') return 'non_state_actor_in_target';
    if (state.kind === 'historical_state') return 'successor_of_target';
  }
  return null;
}

/** The episodes that could concern a party (by id, by related State, by named group), each once. */
function candidates(partyId: string, ctx: Context): EmbargoEpisode[] {
  const related = ctx.statesById.get(partyId)?.relatedStateId;
  const found = new Map<string, EmbargoEpisode>();
  for (const list of [
    ctx.byTarget.get(partyId),
    related ? ctx.byTarget.get(related) : undefined,
    ctx.byActor.get(partyId),
  ])
    for (const episode of list ?? []) found.set(episode.id, episode);
  return [...found.values()];
}

/** A party we cannot place: no id, `UNKNOWN`, or a non-State actor with no known State (N-UNKNOWN). */
function isUnidentified(partyId: string | null, ctx: Context): boolean {
  if (partyId === null) return true;
  const state = ctx.statesById.get(partyId);
  if (!state) return partyId === 'UNKNOWN';
  return state.kind === 'unknown' || (state.kind === 'non_state_actor' && state.relatedStateId === null);
}

/** The target as States' names ("Serbia, Montenegro ..."), or the source's description for global lists. */
function targetName(episode: EmbargoEpisode, ctx: Context): string {
  if (episode.targetIds.length === 0) return episode.target;
  return episode.targetIds.map((id) => ctx.statesById.get(id)?.name ?? id).join(', ');
}

function nameOf(id: string | null, ctx: Context): string {
  if (id === null) return 'an unidentified party';
  const state = ctx.statesById.get(id);
  return state ? `${state.name} (${id})` : id;
}

type ScopeLevel = 'covered' | 'maybe' | 'not_covered';

/** The scope rule: does the episode's scope cover this party, as far as the data can tell? */
function scopeRule(
  scope: EmbargoScopeCode,
  match: PartyMatch,
  leg: ScreeningLeg,
  episode: EmbargoEpisode,
  party: string,
  target: string,
): { level: ScopeLevel; text: string } {
  const isGovernmentSide = match === 'target' || match === 'successor_of_target';
  const quoted = `"${episode.scopeText}"`;
  switch (scope) {
    case 'full':
      return {
        level: 'covered',
        text:
          leg === 'importer'
            ? `its scope is full: it covers every recipient in ${target}`
            : `its scope is full: it covers every supply from ${target}`,
      };
    case 'government_exempt':
      if (leg === 'exporter')
        return {
          level: 'covered',
          text: `its government exemptions concern supplies to the government (${quoted}); supplies from ${target} are covered`,
        };
      return isGovernmentSide
        ? {
            level: 'maybe',
            text: `it is government-exempt (${quoted}): the government's forces may receive arms under exemptions (notification or committee approval), and whether this transfer was notified or approved is not in the data`,
          }
        : {
            level: 'covered',
            text: `it covers every recipient in ${target} but the government's forces, and ${party} is not the government`,
          };
    case 'non_state_actors_only':
      return isGovernmentSide
        ? {
            level: 'not_covered',
            text: `it covers only non-State actors in ${target} (${quoted}); the government of ${target} is not covered`,
          }
        : { level: 'covered', text: `it covers non-State actors in ${target}, and ${party} is one` };
    case 'named_group':
      return match === 'named_group'
        ? { level: 'covered', text: `${party} is the group it names` }
        : {
            level: 'not_covered',
            text: `it covers only the named group (${episode.targetActorIds.join(', ') || 'see the episode'}), and ${party} is not that group`,
          };
    case 'targeted':
      return isGovernmentSide
        ? {
            level: 'not_covered',
            text: `it covers only listed persons and entities; the transfer is recorded to ${party} itself, not to a listed party (end users beyond the recorded recipient are not visible in the data)`,
          }
        : {
            level: 'maybe',
            text: `it covers only listed persons and entities, and whether ${party} or its members are listed cannot be seen in the data`,
          };
    case 'regional':
      return {
        level: 'maybe',
        text: `it covers only part of the territory (${quoted}), and where in ${target} the arms went is not in the data`,
      };
    case 'partial_items':
      return {
        level: 'maybe',
        text: `it covers only some kinds of arms or uses (${quoted}); the transfer's category is not matched against that list`,
      };
    case 'approval_regime':
      return {
        level: 'maybe',
        text: `it is an approval regime (${quoted}): transfers needed prior approval, and whether it was given is not in the data`,
      };
    case 'end_use_restricted':
      return {
        level: 'maybe',
        text: `it covers only arms for a given end use (${quoted}), and the end use is not in the data`,
      };
  }
}

function yearsText(years: readonly number[]): string {
  return years.join(', ');
}

function datingText(dating: TransferDating): string {
  switch (dating.basis) {
    case 'delivery_years':
      return dating.years.length === 1
        ? `delivery year ${dating.years[0]}`
        : `delivery years ${yearsText(dating.years)}`;
    case 'year':
      return `year ${dating.years[0]}`;
    case 'order_year':
      return `order year ${dating.years[0]} (no delivery year)`;
    case 'none':
      return 'no date';
  }
}

function bindingText(episode: EmbargoEpisode): string {
  if (episode.binding === 'voluntary') return 'voluntary';
  if (episode.binding === 'n/a') return 'binding not recorded';
  if (episode.authority === 'EU') return 'mandatory for EU member States';
  if (episode.chapterVii === 'yes') return 'mandatory, Chapter VII';
  return `mandatory, Chapter VII: ${episode.chapterVii}`;
}

/** Screens one party (importer or exporter) against one episode. */
function screenEpisode(
  episode: EmbargoEpisode,
  leg: ScreeningLeg,
  partyId: string,
  counterpartId: string | null,
  match: PartyMatch,
  dating: TransferDating,
  ctx: Context,
): EpisodeScreening | null {
  const correction = ctx.corrections.get(episode.id);
  const corrected = correction !== undefined && correction.scopeCodeInReference === episode.scopeCode;
  const scopeCode = corrected ? correction.scopeCode : episode.scopeCode;
  const party = nameOf(partyId, ctx);
  const counterpart = nameOf(counterpartId, ctx);
  const target = targetName(episode, ctx);

  // Date rule, year by year; an EU measure also needs the other party to be an EU member that year.
  let timing: TimeCoverage;
  let timeText: string;
  let episodeOnly: YearCover = 'none';
  let combined: YearCover = 'none';
  const coverByYear = new Map<number, YearCover>();
  const euPeriods = counterpartId !== null ? (ctx.euByState.get(counterpartId) ?? []) : [];
  // An EU embargo cannot apply to a target once it is itself a member (Croatia, Slovenia under EU-YUG-1991).
  const targetMemberYears: number[] = [];
  for (const year of dating.years) {
    let cover = episodeCover(episode, year);
    if (COVER_RANK[cover] > COVER_RANK[episodeOnly]) episodeOnly = cover;
    if (episode.authority === 'EU' && match === 'target' && cover !== 'none') {
      if (membershipCover(ctx.euByState.get(partyId) ?? [], year) === 'whole') {
        cover = 'none';
        targetMemberYears.push(year);
      }
    }
    const both = episode.authority === 'EU' ? combineCover(cover, membershipCover(euPeriods, year)) : cover;
    coverByYear.set(year, both);
    if (COVER_RANK[both] > COVER_RANK[combined]) combined = both;
  }
  const end = endOf(episode);
  const span = `from ${episode.startDate}${end === null ? ' (still open)' : end === 'unknown' ? ' to an unrecorded date' : ` to ${end}`}`;
  const yearsWith = (c: YearCover) => dating.years.filter((y) => coverByYear.get(y) === c);
  if (dating.basis === 'none') {
    timing = 'undated';
    timeText = `the transfer has no delivery, transfer or order year, so whether it fell within the episode (${span}) cannot be told`;
  } else if (episodeOnly === 'none') {
    return null; // Not in force in any of the transfer's years: not listed.
  } else if (combined === 'none') {
    timing = 'none';
    const role = leg === 'importer' ? 'exporter' : 'importer';
    timeText =
      targetMemberYears.length > 0
        ? `it is an EU measure, and ${party} was itself an EU member State in ${yearsText(targetMemberYears)}, so it cannot have applied then`
        : `it is an EU measure, binding on EU (EC before 1993) member States only, and the ${role} ${counterpart} was not a member in ${yearsText(dating.years)}`;
  } else if (combined === 'whole') {
    timing = 'whole_year';
    const whole = yearsWith('whole');
    timeText = `in force (${span}) for the whole of ${yearsText(whole)}, ${whole.length === 1 ? 'a year' : 'years'} of the transfer (${datingText(dating)})`;
  } else if (combined === 'part') {
    timing = 'part_year';
    timeText = `in force (${span}) for only part of ${yearsText(yearsWith('part'))}, and the transfer is dated only to the year (${datingText(dating)})`;
    if (episode.authority === 'EU' && membershipCover(euPeriods, yearsWith('part')[0] ?? 0) === 'part')
      timeText += `; ${counterpart} joined or left the EU during that year`;
  } else {
    timing = 'unknown';
    timeText = `in force ${span}: it ended on an unrecorded date, so whether it still applied in ${yearsText(yearsWith('unknown'))} is unknown`;
  }

  // Scope rule, then the binding rule (a voluntary measure is never more than possible).
  const scope = scopeRule(scopeCode, match, leg, episode, party, target);
  let level = scope.level;
  let extra = '';
  if (level === 'covered' && episode.binding !== 'mandatory') {
    level = 'maybe';
    extra =
      episode.binding === 'voluntary'
        ? `; it is voluntary (${episode.bindingText ?? 'a call or political commitment'}), not a binding measure, so it can mark a transfer possible at most`
        : '; whether it is binding is not recorded, so it can mark a transfer possible at most';
  }
  if (corrected)
    extra += `; scope read as ${scopeCode} although the reference records ${episode.scopeCode}: ${correction.reason}`;

  let outcome: ScreeningOutcome;
  if (level === 'not_covered' || timing === 'none') outcome = 'clear';
  else if (timing === 'undated' || timing === 'unknown') outcome = 'inconclusive';
  else if (timing === 'part_year') outcome = 'possible';
  else outcome = level === 'covered' ? 'flag' : 'possible';

  const via =
    match === 'non_state_actor_in_target'
      ? ` (${party} is a non-State actor operating in ${target})`
      : match === 'successor_of_target'
        ? ` (${party} is a historical State whose successor is a target)`
        : '';
  const legText = leg === 'importer' ? `supplies to ${target}` : `supplies from ${target}`;
  const reason = `${episode.id} (${episode.authority}, ${legText}, ${scopeCode}, ${bindingText(episode)})${via}: ${timeText}; ${scope.text}${extra}.`;
  return {
    id: episode.id,
    authority: episode.authority,
    scopeCode,
    scopeCodeInReference: corrected ? episode.scopeCode : null,
    direction: episode.direction,
    binding: episode.binding,
    leg,
    partyId: partyId as StateId,
    match,
    timing,
    outcome,
    reason,
  };
}

function screenWith(transfer: ScreenableTransfer, ctx: Context): ScreeningResult {
  const dating = transferDating(transfer);
  const episodes: EpisodeScreening[] = [];
  const notes: string[] = [];
  let unidentifiedImporter = false;
  let concernedAtAnyDate = false;

  const legs: [ScreeningLeg, string | null, string | null][] = [
    ['importer', transfer.importerId, transfer.exporterId],
    ['exporter', transfer.exporterId, transfer.importerId],
  ];
  for (const [leg, partyId, counterpartId] of legs) {
    if (isUnidentified(partyId, ctx)) {
      if (leg === 'importer') {
        unidentifiedImporter = true;
        notes.push(
          `the importer is ${partyId === null ? 'not identified (an aggregated or missing partner)' : nameOf(partyId, ctx)}, so supplies to embargoed destinations cannot be ruled out`,
        );
      } else {
        notes.push(
          `the exporter is ${nameOf(partyId, ctx)}, so it was not screened as a possible target of an embargo on supplies from a State`,
        );
      }
      continue;
    }
    for (const episode of candidates(partyId!, ctx)) {
      const appliesToLeg =
        episode.direction === 'two_way' ||
        (leg === 'importer' ? episode.direction === 'to_target' : episode.direction === 'from_target');
      if (!appliesToLeg) continue;
      const match = matchParty(partyId!, episode, ctx);
      if (match === null) continue;
      concernedAtAnyDate = true;
      const screened = screenEpisode(episode, leg, partyId!, counterpartId, match, dating, ctx);
      if (screened) episodes.push(screened);
    }
  }

  const outcome = strongestOutcome([
    ...episodes.map((e) => e.outcome),
    ...(unidentifiedImporter ? (['inconclusive'] as const) : []),
  ]);
  const deciding = episodes.filter((e) => e.outcome === outcome);
  const label: Record<ScreeningOutcome, string> = {
    flag: 'Flagged',
    possible: 'Possible',
    inconclusive: 'Inconclusive',
    clear: 'Clear',
  };
  let body: string;
  if (deciding.length > 0) {
    body = deciding.map((e) => e.reason).join(' ');
  } else if (outcome === 'inconclusive') {
    body = '';
  } else if (dating.basis === 'none') {
    body = concernedAtAnyDate
      ? 'the transfer has no date, and every episode concerning its parties excludes them by scope.'
      : `the transfer has no date, but no UN or EU episode concerns ${nameOf(transfer.importerId, ctx)} as a recipient (or its exporter as a supplier) at any date.`;
  } else {
    body = `no UN or EU arms embargo episode concerning ${nameOf(transfer.importerId, ctx)} as a recipient, or ${nameOf(transfer.exporterId, ctx)} as a supplier, was in force in ${yearsText(dating.years)} (${datingText(dating)}).`;
  }
  const parts = body ? [body] : [];
  if (notes.length > 0) parts.push(`${body ? 'Note: ' : ''}${notes.join('; ')}.`);
  return { outcome, dating, episodes, reason: `${label[outcome]}: ${parts.join(' ')}` };
}

/**
 * Screens one transfer against the embargo episodes for its importer (supplies to a target) and its exporter
 * (supplies from a target, for `two_way` and `from_target` episodes). Never throws on data: every expected outcome,
 * missing dates and unknown parties included, is a value with its reason.
 */
export function screenTransfer(
  transfer: ScreenableTransfer,
  episodes: readonly EmbargoEpisode[],
  states: readonly State[],
  options: ScreeningOptions = {},
): ScreeningResult {
  return screenWith(transfer, buildContext(episodes, states, options));
}

/** A screening function with the episode and State indexes built once (for whole registers). */
export function createScreener(
  episodes: readonly EmbargoEpisode[],
  states: readonly State[],
  options: ScreeningOptions = {},
): (transfer: ScreenableTransfer) => ScreeningResult {
  const ctx = buildContext(episodes, states, options);
  return (transfer) => screenWith(transfer, ctx);
}

/** Counts of outcomes. */
export function countOutcomes(results: Iterable<{ outcome: ScreeningOutcome }>): ScreeningCounts {
  const counts: ScreeningCounts = { flag: 0, possible: 0, inconclusive: 0, clear: 0, total: 0 };
  for (const r of results) {
    counts[r.outcome] += 1;
    counts.total += 1;
  }
  return counts;
}

/** Screens many transfers; results are in input order. */
export function screenTransfers<T extends ScreenableTransfer>(
  transfers: readonly T[],
  episodes: readonly EmbargoEpisode[],
  states: readonly State[],
  options: ScreeningOptions = {},
): { items: { transfer: T; result: ScreeningResult }[]; counts: ScreeningCounts } {
  const screen = createScreener(episodes, states, options);
  const items = transfers.map((transfer) => ({ transfer, result: screen(transfer) }));
  return { items, counts: countOutcomes(items.map((i) => i.result)) };
}

/** An episode's relation to a party on one date (for dossiers): in force, or of unknown end. */
export interface EpisodeOnDate {
  episode: EmbargoEpisode;
  match: PartyMatch;
  /** The party as a recipient (supplies to it) and/or as a supplier (supplies from it). */
  legs: ScreeningLeg[];
  status: 'in_force' | 'unknown';
}

/** The episodes concerning a party that are in force (or of unknown end after their start) on a date. */
export function episodesConcerningOn(
  partyId: string,
  date: IsoDate,
  episodes: readonly EmbargoEpisode[],
  states: readonly State[],
  options: ScreeningOptions = {},
): EpisodeOnDate[] {
  const ctx = buildContext(episodes, states, options);
  const out: EpisodeOnDate[] = [];
  for (const episode of candidates(partyId, ctx)) {
    const match = matchParty(partyId, episode, ctx);
    if (match === null) continue;
    const status = episodeStatusOn(episode, date);
    if (status === 'not_in_force') continue;
    const legs: ScreeningLeg[] = [];
    if (episode.direction !== 'from_target') legs.push('importer');
    if (episode.direction !== 'to_target') legs.push('exporter');
    out.push({ episode, match, legs, status });
  }
  return out.sort(
    (a, b) =>
      a.episode.startDate.localeCompare(b.episode.startDate) || a.episode.id.localeCompare(b.episode.id),
  );
}

/** The scope code the screening uses for an episode (after the documented corrections). */
export function effectiveScopeCode(
  episode: EmbargoEpisode,
  corrections: readonly ScopeCorrection[] = DEFAULT_SCOPE_CORRECTIONS,
): EmbargoScopeCode {
  const c = corrections.find(
    (x) => x.episodeId === episode.id && x.scopeCodeInReference === episode.scopeCode,
  );
  return c ? c.scopeCode : episode.scopeCode;
}
