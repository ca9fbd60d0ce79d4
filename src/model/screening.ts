import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from './dates.js';
import {
  EmbargoAuthoritySchema,
  EmbargoBindingSchema,
  EmbargoDirectionSchema,
  EmbargoScopeCodeSchema,
} from './embargo.js';
import { StateIdSchema, StateKindSchema } from './state.js';
import { DecimalSchema } from './transfer.js';
import { TreatyStatusSchema } from './treaty.js';

// ------------------------------------------------------------------------------------------------ embargo screening

/**
 * The outcome of screening one transfer against arms embargo episodes (ATT Art. 6(1)), strongest first:
 * - `flag`: an episode that covers the recipient (or supplier) was in force for the whole of a year in which the
 *   transfer took place, and its scope covers the party;
 * - `possible`: in force for part of such a year, or a scope we cannot check in the data (government exemptions,
 *   listed persons, a region, some kinds of arms, an approval regime, an end use), or a voluntary measure;
 * - `inconclusive`: the transfer has no date, a party is unknown, or an episode ended on an unrecorded date;
 * - `clear`: no episode applies, each with its reason.
 * An outcome is an indicator for review, never a finding that a State violated anything.
 */
export const SCREENING_OUTCOMES = ['flag', 'possible', 'inconclusive', 'clear'] as const;
export const ScreeningOutcomeSchema = z.enum(SCREENING_OUTCOMES).openapi('ScreeningOutcome');
export type ScreeningOutcome = z.infer<typeof ScreeningOutcomeSchema>;

/** Which years the screening used: delivery years, the transfer year, the order year (nothing delivered), or none. */
export const DATING_BASES = ['delivery_years', 'year', 'order_year', 'none'] as const;
export const DatingBasisSchema = z.enum(DATING_BASES);
export type DatingBasis = z.infer<typeof DatingBasisSchema>;

export const TransferDatingSchema = z
  .object({
    basis: DatingBasisSchema,
    /** Distinct calendar years, ascending; empty when `basis` is `none`. */
    years: z.array(z.number().int()),
  })
  .openapi('TransferDating');
export type TransferDating = z.infer<typeof TransferDatingSchema>;

/** Which side of the transfer an episode was screened against: the importer (supplies to the target) or the exporter. */
export const SCREENING_LEGS = ['importer', 'exporter'] as const;
export const ScreeningLegSchema = z.enum(SCREENING_LEGS);
export type ScreeningLeg = z.infer<typeof ScreeningLegSchema>;

/**
 * How the party matched the episode: it is a target State or territory; a historical State whose successor is a
 * target (Yugoslavia -> Serbia); a non-State actor operating in a target State (relatedStateId); or a named group.
 */
export const PARTY_MATCHES = [
  'target',
  'successor_of_target',
  'non_state_actor_in_target',
  'named_group',
] as const;
export const PartyMatchSchema = z.enum(PARTY_MATCHES);
export type PartyMatch = z.infer<typeof PartyMatchSchema>;

/**
 * How much of the transfer's years the episode covered: `whole_year` (at least one year wholly inside it),
 * `part_year`, `none`, `unknown` (the episode ended on an unrecorded date), `undated` (the transfer has no year).
 */
export const TIME_COVERAGES = ['whole_year', 'part_year', 'none', 'unknown', 'undated'] as const;
export const TimeCoverageSchema = z.enum(TIME_COVERAGES);
export type TimeCoverage = z.infer<typeof TimeCoverageSchema>;

/** One episode's verdict on one transfer, with the date, scope and binding rules that produced it. */
export const EpisodeScreeningSchema = z
  .object({
    id: z.string(),
    authority: EmbargoAuthoritySchema,
    scopeCode: EmbargoScopeCodeSchema,
    /** Set when a documented scope correction replaced the reference's code (see embargo-screening.ts). */
    scopeCodeInReference: EmbargoScopeCodeSchema.nullable(),
    direction: EmbargoDirectionSchema,
    binding: EmbargoBindingSchema,
    leg: ScreeningLegSchema,
    partyId: StateIdSchema,
    match: PartyMatchSchema,
    timing: TimeCoverageSchema,
    outcome: ScreeningOutcomeSchema,
    reason: z.string(),
  })
  .openapi('EpisodeScreening');
export type EpisodeScreening = z.infer<typeof EpisodeScreeningSchema>;

export const ScreeningResultSchema = z
  .object({
    outcome: ScreeningOutcomeSchema,
    dating: TransferDatingSchema,
    /** The episodes that concern a party of the transfer in (or possibly in) its years; the strongest outcome wins. */
    episodes: z.array(EpisodeScreeningSchema),
    reason: z.string(),
  })
  .openapi('ScreeningResult');
export type ScreeningResult = z.infer<typeof ScreeningResultSchema>;

export const ScreeningCountsSchema = z
  .object({
    flag: z.number().int(),
    possible: z.number().int(),
    inconclusive: z.number().int(),
    clear: z.number().int(),
    total: z.number().int(),
  })
  .openapi('ScreeningCounts');
export type ScreeningCounts = z.infer<typeof ScreeningCountsSchema>;

// ------------------------------------------------------------------------------------------------ release echo

/** Which data release a figure comes from (echoed from the import's metadata, e.g. SIPRI's "Data generated"). */
export const ReleaseRefSchema = z
  .object({
    source: z.string(),
    /** The source's own generation date (SIPRI "Data generated"), YYYY-MM-DD, or null when it gives none. */
    dataGenerated: z.string().nullable(),
    fileName: z.string().nullable(),
    layout: z.string().nullable(),
    citation: z.string().nullable(),
  })
  .openapi('ReleaseRef');
export type ReleaseRef = z.infer<typeof ReleaseRefSchema>;

// ------------------------------------------------------------------------------------------------ treaty coverage

/**
 * Where a party's TIV is counted: the five treaty statuses for States (kind `state`), then entities that cannot
 * take treaty action: `territory` (Taiwan, Kosovo ...), `historical_state` (Soviet Union ...), and `not_a_state`
 * (non-State actors, international organisations, unknown parties, and ids missing from the crosswalk).
 */
export const COVERAGE_BUCKETS = [
  'state_party',
  'deposited_awaiting_eif',
  'signatory',
  'declared_not_to_become_party',
  'not_signed',
  'territory',
  'historical_state',
  'not_a_state',
] as const;
export const CoverageBucketSchema = z.enum(COVERAGE_BUCKETS);
export type CoverageBucket = z.infer<typeof CoverageBucketSchema>;

/** A TIV figure with its share of the world total (percent, 2 decimals, rounded half away from zero). */
export const TivShareSchema = z
  .object({
    tiv: DecimalSchema,
    sharePercent: DecimalSchema,
    parties: z.number().int().openapi({ description: 'parties with TIV in the period' }),
  })
  .openapi('TivShare');
export type TivShare = z.infer<typeof TivShareSchema>;

export const CoverageBucketRowSchema = TivShareSchema.extend({ bucket: CoverageBucketSchema }).openapi(
  'CoverageBucketRow',
);
export type CoverageBucketRow = z.infer<typeof CoverageBucketRowSchema>;

export const CoveragePartySchema = z
  .object({
    rank: z.number().int().min(1),
    stateId: StateIdSchema,
    name: z.string(),
    kind: StateKindSchema.nullable(),
    tiv: DecimalSchema,
    sharePercent: DecimalSchema,
    bucket: CoverageBucketSchema,
    /** Treaty status on the as-of date; null for entities that cannot take treaty action. */
    status: TreatyStatusSchema.nullable(),
    deposited: z.boolean(),
    inForce: z.boolean(),
    depositDate: IsoDateSchema.nullable(),
    entryIntoForceDate: IsoDateSchema.nullable(),
  })
  .openapi('CoverageParty');
export type CoverageParty = z.infer<typeof CoveragePartySchema>;

export const CoverageSideSchema = z
  .object({
    side: z.enum(['exports', 'imports']),
    totalTiv: DecimalSchema,
    buckets: z.array(CoverageBucketRowSchema),
    /** Deposited an instrument by the as-of date (state_party + deposited_awaiting_eif). */
    deposited: TivShareSchema,
    /** The treaty in force for them on the as-of date (state_party). */
    inForce: TivShareSchema,
    /** Signed, nothing deposited (signatory + declared_not_to_become_party). */
    signedNotDeposited: TivShareSchema,
    notSigned: TivShareSchema,
    /** Territories, historical States and not-a-State parties together. */
    cannotJoin: TivShareSchema,
    top: z.array(CoveragePartySchema),
    topDeposited: z.number().int(),
    topInForce: z.number().int(),
  })
  .openapi('CoverageSide');
export type CoverageSide = z.infer<typeof CoverageSideSchema>;

export const TreatyCoverageSchema = z
  .object({
    asOf: IsoDateSchema,
    period: z.object({ from: z.number().int(), to: z.number().int() }),
    release: ReleaseRefSchema,
    /** How a classic deal delivered over several years is placed: evenly over its distinct delivery years. */
    yearRule: z.literal('even-split'),
    exports: CoverageSideSchema,
    imports: CoverageSideSchema,
    skipped: z.object({
      noTiv: z.number().int(),
      noYear: z.number().int(),
      outsidePeriod: z.number().int(),
    }),
    caveats: z.array(z.string()),
  })
  .openapi('TreatyCoverage');
export type TreatyCoverage = z.infer<typeof TreatyCoverageSchema>;

// ------------------------------------------------------------------------------------------------ risk dossier

/** The treaty articles a dossier indicator informs (Art. 11 diversion, Art. 13 reporting beside Arts 6 and 7). */
export const DOSSIER_ARTICLES = ['6(1)', '6(2)', '6(3)', '7(1)', '7(4)', '11', '13(1)', '13(3)'] as const;
export const DossierArticleSchema = z.enum(DOSSIER_ARTICLES);
export type DossierArticle = z.infer<typeof DossierArticleSchema>;

/** `info`: context; `attention`: worth a closer look; `concern`: a strong indicator (never a verdict). */
export const INDICATOR_LEVELS = ['info', 'attention', 'concern'] as const;
export const IndicatorLevelSchema = z.enum(INDICATOR_LEVELS);
export type IndicatorLevel = z.infer<typeof IndicatorLevelSchema>;

export const DossierIndicatorSchema = z
  .object({
    article: DossierArticleSchema,
    /** Stable machine name, e.g. `un_embargo_in_force`. */
    indicator: z.string(),
    /** A short value: a count, a status word, a list of episode ids; null when not assessed. */
    value: z.union([z.string(), z.number(), z.null()]),
    level: IndicatorLevelSchema,
    /** Where the figure comes from (file, release). */
    source: z.string(),
    /** A sentence worded as an indicator ("an arms embargo is in force"), never as a verdict. */
    explanation: z.string(),
    /** Ids the indicator rests on (episodes, SIPRI rows ...). */
    evidence: z.array(z.string()),
  })
  .openapi('DossierIndicator');
export type DossierIndicator = z.infer<typeof DossierIndicatorSchema>;

export const RiskDossierSchema = z
  .object({
    destinationId: StateIdSchema,
    name: z.string(),
    kind: StateKindSchema.nullable(),
    asOf: IsoDateSchema,
    /** The years of transfers looked at; null when no transfers were given. */
    period: z.object({ from: z.number().int(), to: z.number().int() }).nullable(),
    release: ReleaseRefSchema.nullable(),
    indicators: z.array(DossierIndicatorSchema),
    caveats: z.array(z.string()),
  })
  .openapi('RiskDossier');
export type RiskDossier = z.infer<typeof RiskDossierSchema>;
