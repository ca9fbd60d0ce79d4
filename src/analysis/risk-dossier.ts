/**
 * Risk dossier per destination: indicators an exporting State would look at under ATT Arts 6 and 7, each mapped to
 * its article, with a level, a source and an explanation worded as an indicator ("an arms embargo is in force"),
 * never as a verdict. Pure: every input is passed in (docs/methods/risk-dossier.md).
 */
import type { IsoDate } from '../model/dates.js';
import { decimalToString, sumDecimals, type Decimal } from '../model/decimal.js';
import type { EmbargoEpisode } from '../model/embargo.js';
import type { ReportingObligation } from '../model/reporting.js';
import {
  INDICATOR_LEVELS,
  type DossierIndicator,
  type IndicatorLevel,
  type ReleaseRef,
  type RiskDossier,
  type ScreeningOutcome,
  type ScreeningResult,
} from '../model/screening.js';
import type { State, StateId } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';
import type { TreatyRecord, TreatyStatus } from '../model/treaty.js';
import {
  countOutcomes,
  effectiveScopeCode,
  strongestOutcome,
  episodesConcerningOn,
  type EpisodeOnDate,
  type ScreenableTransfer,
  type ScreeningOptions,
} from './embargo-screening.js';
import { tivInPeriod } from './treaty-coverage.js';
import { treatyStatusOn } from './treaty-status.js';

export type { DossierIndicator, RiskDossier };

/** A transfer with its screening result (as `screenTransfers` returns them). */
export interface ScreenedTransfer {
  transfer: ScreenableTransfer & Partial<Pick<Transfer, 'tivDelivered' | 'sourceRecordId' | 'provenance'>>;
  result: ScreeningResult;
}

/** One outcome of comparing an exporter's and an importer's records of the same flow (mirror analysis, later). */
export interface DossierDiscrepancy {
  kind: 'match' | 'discrepancy' | 'one-sided' | 'not-comparable';
  reason: string;
  id?: string;
}

export interface RiskDossierInput {
  destinationId: string;
  /** Embargo and treaty status are taken on this date; the reporting record as the obligations give it. */
  asOf: IsoDate;
  states: readonly State[];
  episodes: readonly EmbargoEpisode[];
  treatyRecords: readonly TreatyRecord[];
  /** Screened transfers of any importers: the dossier takes those to the destination and to non-State actors in it. */
  screened?: readonly ScreenedTransfer[];
  /** Delivery years looked at (inclusive); defaults to every year of the screened transfers. */
  period?: { from: number; to: number };
  release?: ReleaseRef | null;
  /** Reporting obligations (src/analysis/reporting-calendar.ts), with registry statuses when known. */
  obligations?: readonly ReportingObligation[];
  discrepancies?: readonly DossierDiscrepancy[];
  screeningOptions?: ScreeningOptions;
}

const EMBARGO_SOURCE = 'data/reference/embargo-episodes.csv (UN and EU arms embargo research notes)';

export const DOSSIER_CAVEATS: readonly string[] = Object.freeze([
  'Indicators, not findings: no indicator says that a State or a transfer breached the treaty or a sanctions measure.',
  'SIPRI covers major conventional arms only: small arms and light weapons, ammunition and most parts are not in the transfer figures.',
  'TIV (SIPRI trend-indicator value, millions) is a volume index, not money.',
  'Transfers are dated to the year: an embargo in force for part of a year gives "possible", never "flag".',
  'The embargo episodes are research notes with a confidence column; EU measures bind EU member States only.',
]);

const LEVEL_RANK: Record<IndicatorLevel, number> = { info: 0, attention: 1, concern: 2 };
const maxLevel = (levels: IndicatorLevel[]): IndicatorLevel =>
  levels.reduce<IndicatorLevel>((a, b) => (LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a), INDICATOR_LEVELS[0]);

/** A sentence describing one episode in force, by its scope (indicator wording, never a verdict). */
function describeEpisode(on: EpisodeOnDate, scopeCode: string, targetName: string, party: string): string {
  const e = on.episode;
  const binding =
    e.binding === 'voluntary'
      ? 'voluntary'
      : e.binding === 'mandatory'
        ? 'mandatory'
        : 'binding not recorded';
  const measures = e.imposingMeasures ? `, ${e.imposingMeasures}` : '';
  const tag = `(${e.id}: ${e.authority}, ${binding}${e.authority === 'UN' ? `, Chapter VII: ${e.chapterVii}` : ''}${measures})`;
  const towards = on.legs.length === 2 ? 'to and from' : on.legs[0] === 'exporter' ? 'from' : 'to';
  const direction = `on supplies ${towards}`;
  const since = `since ${e.startDate}`;
  const where =
    on.match === 'non_state_actor_in_target'
      ? `; ${party} operates in ${targetName}`
      : on.match === 'successor_of_target'
        ? `; ${party} is a historical State whose successor is a target`
        : '';
  const unknownEnd =
    on.status === 'unknown' ? ' It ended on an unrecorded date, so it may or may not still be in force.' : '';
  let text: string;
  switch (scopeCode) {
    case 'full':
      text = `An arms embargo ${direction} ${targetName} is in force ${since} ${tag}`;
      break;
    case 'government_exempt':
      text = `An arms embargo ${direction} ${targetName} is in force ${since}, with exemptions under conditions (notification or committee approval) for supplies to the government's forces ${tag}`;
      break;
    case 'non_state_actors_only':
      text = `An arms embargo on non-State actors in ${targetName} is in force ${since} ${tag}; supplies to the government are not covered`;
      break;
    case 'named_group':
      text = `An arms embargo on a named group in ${targetName} (${e.targetActorIds.join(', ')}) is in force ${since} ${tag}`;
      break;
    case 'targeted':
      text = `Measures against listed persons and entities in ${targetName} are in force ${since} ${tag}`;
      break;
    case 'regional':
      text = `An arms embargo on part of ${targetName} ("${e.scopeText}") is in force ${since} ${tag}`;
      break;
    case 'partial_items':
      text = `An arms embargo ${direction} ${targetName} covering some kinds of arms or uses ("${e.scopeText}") is in force ${since} ${tag}`;
      break;
    case 'approval_regime':
      text = `Arms transfers ${towards} ${targetName} need prior approval ("${e.scopeText}") ${since} ${tag}`;
      break;
    default:
      text = `A restriction on arms for a given end use ${direction} ${targetName} ("${e.scopeText}") is in force ${since} ${tag}`;
  }
  return `${text}${where}.${unknownEnd}`;
}

/** How strong an episode in force is as an indicator. */
function episodeLevel(
  on: EpisodeOnDate,
  scopeCode: string,
  destinationIsGovernment: boolean,
): IndicatorLevel {
  if (on.status === 'unknown' || on.episode.binding !== 'mandatory') return 'attention';
  if (scopeCode === 'full') return 'concern';
  // Measures aimed at non-State actors concern the destination's own government less directly.
  if (
    destinationIsGovernment &&
    (scopeCode === 'non_state_actors_only' || scopeCode === 'named_group' || scopeCode === 'targeted')
  )
    return 'attention';
  return destinationIsGovernment ? 'attention' : 'concern';
}

function embargoIndicator(
  authority: 'UN' | 'EU',
  inForce: EpisodeOnDate[],
  input: RiskDossierInput,
  name: string,
  destinationIsGovernment: boolean,
  statesById: Map<string, State>,
): DossierIndicator {
  const mine = inForce.filter((on) => on.episode.authority === authority);
  const article = authority === 'UN' ? '6(1)' : '6(2)';
  const indicator = authority === 'UN' ? 'un_arms_embargo_in_force' : 'eu_arms_embargo_in_force';
  if (mine.length === 0)
    return {
      article,
      indicator,
      value: 0,
      level: 'info',
      source: EMBARGO_SOURCE,
      explanation: `No ${authority} arms embargo episode concerning ${name} is recorded as in force on ${input.asOf}.`,
      evidence: [],
    };
  const sentences = mine.map((on) => {
    const scope = effectiveScopeCode(on.episode, input.screeningOptions?.scopeCorrections);
    const target =
      on.episode.targetIds.map((id) => statesById.get(id)?.name ?? id).join(', ') || on.episode.target;
    return {
      text: describeEpisode(on, scope, target, name),
      level: episodeLevel(on, scope, destinationIsGovernment),
    };
  });
  const framing =
    authority === 'UN'
      ? 'ATT Art. 6(1) prohibits transfers that would violate Security Council measures under Chapter VII, in particular arms embargoes.'
      : 'EU measures bind EU member States: for them they are obligations relevant to ATT Art. 6(2); for other exporters they are context for the Art. 7 assessment.';
  return {
    article,
    indicator,
    value: mine.map((on) => on.episode.id).join(', '),
    level: maxLevel(sentences.map((s) => s.level)),
    source: EMBARGO_SOURCE,
    explanation: `On ${input.asOf}: ${sentences.map((s) => s.text).join(' ')} ${framing}`,
    evidence: mine.map((on) => on.episode.id),
  };
}

function statusWords(status: TreatyStatus): string {
  switch (status) {
    case 'state_party':
      return 'a State Party (the treaty is in force for it)';
    case 'deposited_awaiting_eif':
      return 'a State that has deposited its instrument, awaiting entry into force';
    case 'signatory':
      return 'a signatory that has not deposited an instrument';
    case 'declared_not_to_become_party':
      return 'a signatory that has declared it does not intend to become a party';
    case 'not_signed':
      return 'neither a signatory nor a party';
  }
}

function membershipIndicator(
  destination: State | undefined,
  id: string,
  records: readonly TreatyRecord[],
  asOf: IsoDate,
  name: string,
): DossierIndicator {
  const base = {
    article: '7(1)' as const,
    indicator: 'att_membership',
    source: 'data/reference/treaty-status.csv (UN depositary, UNTC MTDSG XXVI-8)',
  };
  if (!destination || destination.kind !== 'state') {
    const what =
      destination?.kind === 'non_state_actor'
        ? 'a non-State actor'
        : destination?.kind === 'territory'
          ? 'a territory'
          : destination?.kind === 'historical_state'
            ? 'a historical State'
            : destination?.kind === 'international_organisation'
              ? 'an international organisation'
              : 'not an identified State';
    return {
      ...base,
      value: 'cannot_join',
      level: destination?.kind === 'international_organisation' ? 'info' : 'attention',
      explanation: `${name} is ${what} and cannot become a party to the ATT (Art. 21 opens it to States): it has no duties as an importer under Arts 8(1) and 11.${destination?.kind === 'non_state_actor' ? ' Transfers to non-State actors call for particular care in the Art. 7(1) assessment and against diversion (Art. 11).' : ''}`,
      evidence: [id],
    };
  }
  const record = records.find((r) => r.stateId === id);
  const status = treatyStatusOn(record, asOf);
  const bound = status === 'state_party';
  return {
    ...base,
    value: status,
    level: bound || status === 'deposited_awaiting_eif' ? 'info' : 'attention',
    explanation: `On ${asOf}, ${name} is ${statusWords(status)}. ${
      bound
        ? "As an importing State Party it is to provide information on request for the exporter's Art. 7 assessment (Art. 8(1)) and to cooperate against diversion (Art. 11)."
        : "It has no treaty duties as an importer (Arts 8(1), 11); the exporter's Art. 7(1) assessment cannot rely on them."
    }`,
    evidence: record ? [id] : [],
  };
}

function releaseText(release: ReleaseRef | null | undefined): string {
  if (!release) return 'screened transfers (release not given)';
  const parts = [release.source === 'sipri' ? 'SIPRI Arms Transfers Database' : release.source];
  if (release.dataGenerated) parts.push(`data generated ${release.dataGenerated}`);
  if (release.fileName) parts.push(release.fileName);
  return `${parts.join(', ')}; screened by src/analysis/embargo-screening.ts`;
}

type Period = { from: number; to: number } | null;

/**
 * The TIV of the items in the period, or "not available" when none of them carries a TIV (ATT reports and national
 * data have none): a missing volume is never shown as 0.
 */
function tivOf(items: readonly ScreenedTransfer[], period: Period): string {
  const values: Decimal[] = [];
  if (items.length > 0 && items.every(({ transfer }) => transfer.tivDelivered === undefined || transfer.tivDelivered === null)) {
    return 'not available';
  }
  for (const { transfer } of items) {
    if (transfer.tivDelivered === undefined) continue;
    const v = tivInPeriod(
      { year: transfer.year, deliveryYears: transfer.deliveryYears, tivDelivered: transfer.tivDelivered },
      period?.from ?? Number.NEGATIVE_INFINITY,
      period?.to ?? Number.POSITIVE_INFINITY,
    );
    if (v) values.push(v);
  }
  return decimalToString(sumDecimals(values));
}

function evidenceOf(
  items: readonly (ScreenedTransfer & { outcome: ScreeningOutcome })[],
  authority: 'UN' | 'EU' | 'any',
  limit = 20,
): string[] {
  return items.slice(0, limit).map(({ transfer, result, outcome }) => {
    const where = transfer.sourceRecordId
      ? `SIPRI ${transfer.sourceRecordId}`
      : transfer.provenance
        ? `${transfer.provenance.fileName} row ${transfer.provenance.row}`
        : `${transfer.exporterId}->${transfer.importerId}`;
    return `${where} (${result.dating.years.join(', ') || 'undated'}): ${outcome} [${result.episodes
      .filter((e) => e.outcome === outcome && (authority === 'any' || e.authority === authority))
      .map((e) => e.id)
      .join(', ')}]`;
  });
}

/** The outcome of a screening counting only one authority's episodes (an unscreenable party stays inconclusive). */
function outcomeUnder(result: ScreeningResult, authority: 'UN' | 'EU' | 'any'): ScreeningOutcome {
  if (authority === 'any') return result.outcome;
  const mine = result.episodes.filter((e) => e.authority === authority);
  if (mine.length === 0 && result.outcome === 'inconclusive' && result.episodes.length === 0)
    return 'inconclusive';
  return strongestOutcome(mine.map((e) => e.outcome));
}

function screeningIndicator(
  article: '6(1)' | '6(2)' | '7(1)',
  indicator: string,
  authority: 'UN' | 'EU' | 'any',
  all: ScreenedTransfer[],
  period: Period,
  input: RiskDossierInput,
  subject: string,
): DossierIndicator {
  const items = all.map((i) => ({ ...i, outcome: outcomeUnder(i.result, authority) }));
  const counts = countOutcomes(items);
  const flagged = items.filter((i) => i.outcome === 'flag');
  const possible = items.filter((i) => i.outcome === 'possible');
  const inconclusive = items.filter((i) => i.outcome === 'inconclusive');
  const under =
    authority === 'any' ? 'an arms embargo' : authority === 'EU' ? 'an EU arms embargo' : 'a UN arms embargo';
  const level: IndicatorLevel =
    counts.flag > 0
      ? 'concern'
      : counts.possible + counts.inconclusive > 0 || (article === '7(1)' && counts.total > 0)
        ? 'attention'
        : 'info';
  const range = period ? `${period.from}-${period.to}` : 'any year';
  const detail =
    counts.total === 0
      ? `No transfers ${subject} are recorded with deliveries in ${range}.`
      : `${counts.total} transfers ${subject} are recorded with deliveries in ${range} (TIV ${tivOf(items, period)}): ${counts.flag} fall within ${under} for a whole delivery year (TIV ${tivOf(flagged, period)}), ${counts.possible} possibly (TIV ${tivOf(possible, period)}), ${counts.inconclusive} cannot be screened conclusively, ${counts.clear} are clear.`;
  const framing =
    article === '6(1)'
      ? ' A flag marks a transfer to review against ATT Art. 6(1), not a finding of a breach.'
      : article === '6(2)'
        ? ' EU measures bind EU member States only; a flag marks a transfer by a member State to review, not a finding of a breach.'
        : ' Deliveries to non-State armed groups bear on the Art. 7(1) assessment and on the risk of diversion (Art. 11).';
  return {
    article,
    indicator,
    value: `${counts.flag} flag, ${counts.possible} possible, ${counts.inconclusive} inconclusive, ${counts.clear} clear`,
    level,
    source: releaseText(input.release),
    explanation: detail + (counts.total > 0 ? framing : ''),
    evidence: evidenceOf([...flagged, ...possible, ...inconclusive], authority),
  };
}

function reportingIndicator(
  input: RiskDossierInput,
  id: string,
  name: string,
  isState: boolean,
): DossierIndicator {
  const base = {
    article: '13(3)' as const,
    indicator: 'reporting_record',
    source: 'reporting calendar (src/analysis/reporting-calendar.ts) and the report registry where given',
  };
  if (!isState)
    return {
      ...base,
      value: 'not_applicable',
      level: 'info',
      explanation: `${name} cannot report under Art. 13.`,
      evidence: [],
    };
  if (input.obligations === undefined)
    return {
      ...base,
      value: null,
      level: 'info',
      explanation: 'Not assessed: no reporting obligations were given.',
      evidence: [],
    };
  const mine = input.obligations.filter((o) => o.stateId === id);
  if (mine.length === 0)
    return {
      ...base,
      value: 'no_obligation',
      level: 'info',
      explanation: `${name} owes no ATT report (Art. 13) in the obligations given: it had not deposited an instrument.`,
      evidence: [],
    };
  const byStatus = new Map<string, number>();
  for (const o of mine) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
  const summary = [...byStatus.entries()].map(([s, n]) => `${n} ${s}`).join(', ');
  const missing = mine.filter((o) => o.status === 'missing' || o.status === 'late');
  const unknownReceipt = mine.filter((o) => o.status === 'deadline_passed').length;
  const parts = [
    `${name}'s ${mine.length} reporting obligations (initial report, Art. 13(1); annual reports, Art. 13(3)): ${summary}.`,
  ];
  if (missing.length > 0)
    parts.push(
      `Reports late or missing: ${missing.map((o) => (o.kind === 'initial' ? 'initial report' : `annual report on ${o.coveredYear}`)).join(', ')}.`,
    );
  if (unknownReceipt > 0)
    parts.push(
      `${unknownReceipt} deadlines have passed and whether the report arrived is not recorded here yet.`,
    );
  parts.push('Reporting bears on transparency, not on the risk of a transfer itself.');
  return {
    ...base,
    value: summary,
    level: missing.length > 0 ? 'attention' : 'info',
    explanation: parts.join(' '),
    evidence: missing.map((o) => `${o.kind}${o.coveredYear !== null ? `:${o.coveredYear}` : ''}`),
  };
}

function discrepancyIndicator(input: RiskDossierInput): DossierIndicator {
  const base = {
    article: '11' as const,
    indicator: 'mirror_discrepancies',
    source: 'mirror analysis of exporter and importer records (input)',
  };
  if (input.discrepancies === undefined)
    return {
      ...base,
      value: null,
      level: 'info',
      explanation: 'Not assessed: no mirror comparison was given.',
      evidence: [],
    };
  const count = (k: DossierDiscrepancy['kind']) => input.discrepancies!.filter((d) => d.kind === k).length;
  const open = input.discrepancies.filter((d) => d.kind === 'discrepancy' || d.kind === 'one-sided');
  return {
    ...base,
    value: `${count('discrepancy')} discrepancy, ${count('one-sided')} one-sided, ${count('match')} match, ${count('not-comparable')} not comparable`,
    level: open.length > 0 ? 'attention' : 'info',
    explanation:
      open.length > 0
        ? `${open.length} flows are recorded differently or by one side only; unexplained gaps between exporters' and importers' records can point to reporting gaps or to diversion (Art. 11).`
        : "The exporters' and importers' records compared agree or cannot be compared.",
    evidence: open.map((d) => d.id ?? d.reason).slice(0, 20),
  };
}

function notAssessed(article: '6(3)' | '7(4)', indicator: string, what: string): DossierIndicator {
  return {
    article,
    indicator,
    value: null,
    level: 'info',
    source: 'none loaded',
    explanation: `Not assessed: this product holds no data on ${what}; the assessment needs other sources.`,
    evidence: [],
  };
}

/** The indicators for one destination on a date. */
export function riskDossier(input: RiskDossierInput): RiskDossier {
  const statesById = new Map(input.states.map((s) => [s.id as string, s]));
  const id = input.destinationId;
  const destination = statesById.get(id);
  const name = destination?.name ?? id;
  const isState = destination?.kind === 'state';
  const destinationIsGovernment =
    destination !== undefined && (destination.kind === 'state' || destination.kind === 'territory');

  const inForce = episodesConcerningOn(id, input.asOf, input.episodes, input.states, input.screeningOptions);
  const indicators: DossierIndicator[] = [
    embargoIndicator('UN', inForce, input, name, destinationIsGovernment, statesById),
    embargoIndicator('EU', inForce, input, name, destinationIsGovernment, statesById),
  ];

  let period: { from: number; to: number } | null = null;
  if (input.screened !== undefined) {
    const years = input.screened.flatMap((s) => s.result.dating.years);
    period = input.period ?? (years.length > 0 ? { from: Math.min(...years), to: Math.max(...years) } : null);
    const p = period;
    // Undated transfers are kept: they are what an inconclusive screening is about.
    const inPeriod = (s: ScreenedTransfer) =>
      p === null ||
      s.result.dating.years.length === 0 ||
      s.result.dating.years.some((y) => y >= p.from && y <= p.to);
    const toDestination = input.screened.filter((s) => s.transfer.importerId === id && inPeriod(s));
    indicators.push(
      screeningIndicator('6(1)', 'screened_transfers_un', 'UN', toDestination, p, input, `to ${name}`),
      screeningIndicator('6(2)', 'screened_transfers_eu', 'EU', toDestination, p, input, `to ${name}`),
    );
    if (isState) {
      const actors = input.states
        .filter((s) => s.kind === 'non_state_actor' && s.relatedStateId === id)
        .map((s) => s.id as string);
      const toActors = input.screened.filter(
        (s) => s.transfer.importerId !== null && actors.includes(s.transfer.importerId) && inPeriod(s),
      );
      const present = [...new Set(toActors.map((s) => s.transfer.importerId!))];
      const indicator = screeningIndicator(
        '7(1)',
        'transfers_to_non_state_actors',
        'any',
        toActors,
        p,
        input,
        `to non-State actors operating in ${name}${present.length ? ` (${present.map((a) => statesById.get(a)?.name ?? a).join('; ')})` : ''}`,
      );
      indicators.push(indicator);
    }
  } else {
    indicators.push({
      article: '6(1)',
      indicator: 'screened_transfers_un',
      value: null,
      level: 'info',
      source: 'none given',
      explanation: 'Not assessed: no screened transfers were given.',
      evidence: [],
    });
  }

  indicators.push(
    notAssessed(
      '6(3)',
      'atrocity_crimes_knowledge',
      'genocide, crimes against humanity or war crimes (Art. 6(3))',
    ),
    membershipIndicator(destination, id, input.treatyRecords, input.asOf, name),
    notAssessed(
      '7(4)',
      'gender_based_violence',
      'serious acts of gender-based violence or violence against women and children (Art. 7(4))',
    ),
    discrepancyIndicator(input),
    reportingIndicator(input, id, name, isState),
  );

  return {
    destinationId: id as StateId,
    name,
    kind: destination?.kind ?? null,
    asOf: input.asOf,
    period,
    release: input.release ?? null,
    indicators,
    caveats: [...DOSSIER_CAVEATS],
  };
}
