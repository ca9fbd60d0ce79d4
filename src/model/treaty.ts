import { z } from '@hono/zod-openapi';
import { type IsoDate, IsoDateSchema } from './dates.js';
import { Iso3Schema, StateIdSchema, UnRegionalGroupSchema } from './state.js';

/** ATT Art. 21(1): open for signature at UN Headquarters from 3 Jun 2013 until its entry into force. */
export const ATT_OPENED_FOR_SIGNATURE = '2013-06-03' as IsoDate;
/** ATT Art. 22(1): in force 90 days after the 50th instrument, i.e. on 24 Dec 2014 (50th deposited 25 Sep 2014). */
export const ATT_ENTRY_INTO_FORCE = '2014-12-24' as IsoDate;
/** ATT Art. 22(2): for a later instrument, in force 90 days after its deposit. */
export const EIF_DELAY_DAYS = 90;

/** ATT Art. 21: a State expresses consent to be bound by one of these instruments. */
export const TREATY_ACTION_TYPES = ['ratification', 'acceptance', 'approval', 'accession'] as const;
export const TreatyActionTypeSchema = z.enum(TREATY_ACTION_TYPES);
export type TreatyActionType = z.infer<typeof TreatyActionTypeSchema>;

/**
 * Which paragraph of ATT Art. 22 fixes the entry-into-force date for a State:
 * `art22(1)`: deposited on or before the treaty's own EIF (24 Dec 2014) -> EIF 24 Dec 2014;
 * `art22(2)`: deposited later -> EIF = deposit + 90 days.
 */
export const EIF_BASES = ['art22(1)', 'art22(2)'] as const;
export const EifBasisSchema = z.enum(EIF_BASES);
export type EifBasis = z.infer<typeof EifBasisSchema>;

/** The depositary's status word in the source snapshot (not a status on an arbitrary date: see analysis/treaty-status). */
export const SOURCE_TREATY_STATUSES = [
  'state_party',
  'signatory',
  'signatory_not_intending_to_become_party',
] as const;
export const SourceTreatyStatusSchema = z.enum(SOURCE_TREATY_STATUSES);

/** One State's treaty actions as recorded by the UN depositary (UNTC MTDSG XXVI-8). */
export const TreatyRecordSchema = z
  .object({
    stateId: StateIdSchema,
    iso3: Iso3Schema,
    /** The depositary's spelling (UNTC), e.g. "Bahamas (The)". */
    name: z.string().min(1),
    /** The depositary's status at `asAt` (the snapshot date). */
    statusAtSource: SourceTreatyStatusSchema,
    asAt: IsoDateSchema,
    signatureDate: IsoDateSchema.nullable(),
    depositDate: IsoDateSchema.nullable(),
    actionType: TreatyActionTypeSchema.nullable(),
    entryIntoForceDate: IsoDateSchema.nullable(),
    eifBasis: EifBasisSchema.nullable(),
    /** ATT Art. 23: declaration that the State will apply Arts 6 and 7 provisionally, pending EIF for it. */
    provisionalApplicationDate: IsoDateSchema.nullable(),
    /** Date of a communication that the State does not intend to become a party (the US: 2019-07-18). */
    declaredNotToBecomePartyDate: IsoDateSchema.nullable(),
    notes: z.string().nullable(),
    /** Which second source confirms the EIF date, or `computed` (from Art. 22). */
    eifConfirmedBy: z.string().nullable(),
    verification: z.string().nullable(),
    sources: z.string().min(1),
  })
  .openapi('TreatyRecord');
export type TreatyRecord = z.infer<typeof TreatyRecordSchema>;

// ------------------------------------------------------------------------------------------------ status on a date

/**
 * A State's relation to the ATT on a given date (computed by src/analysis/treaty-status.ts).
 * - `not_signed`: neither signed nor deposited an instrument (yet);
 * - `signatory`: signed, nothing deposited, no declaration that it will not become a party;
 * - `deposited_awaiting_eif`: instrument deposited, but the 90 days of ATT Art. 22(2) (or the treaty's own EIF) not
 *   yet elapsed: it has consented to be bound but is not yet bound;
 * - `state_party`: the treaty is in force for it;
 * - `declared_not_to_become_party`: signed, then told the depositary it does not intend to become a party
 *   (the United States, 18 Jul 2019). UNTC still lists it among the signatories.
 */
export const TREATY_STATUSES = [
  'not_signed',
  'signatory',
  'deposited_awaiting_eif',
  'state_party',
  'declared_not_to_become_party',
] as const;
export const TreatyStatusSchema = z.enum(TREATY_STATUSES).openapi('TreatyStatus');
export type TreatyStatus = z.infer<typeof TreatyStatusSchema>;

export const TreatyStatusCountsSchema = z
  .object({
    signed: z
      .number()
      .int()
      .openapi({ description: 'signature events up to the date, whatever followed (130 in all)' }),
    signatory: z
      .number()
      .int()
      .openapi({ description: 'status signatory: signed, nothing deposited, not declared' }),
    signedNotDeposited: z.number().int().openapi({
      description: 'signatory + declaredNotToBecomeParty: what UNTC calls signatories without a deposit',
    }),
    deposited: z.number().int().openapi({ description: 'cumulative deposits of instruments (Art. 21)' }),
    depositedAwaitingEif: z.number().int(),
    stateParty: z.number().int().openapi({ description: 'the treaty is in force for them' }),
    declaredNotToBecomeParty: z.number().int(),
    notSigned: z.number().int(),
    total: z.number().int().openapi({ description: 'States counted; the five statuses partition it' }),
  })
  .openapi('TreatyStatusCounts');
export type TreatyStatusCounts = z.infer<typeof TreatyStatusCountsSchema>;

export const StateTreatyStatusSchema = z
  .object({
    stateId: StateIdSchema,
    iso3: Iso3Schema,
    iso2: z.string().nullable(),
    /** UN M49 / ISO numeric code, zero-padded ('004'): the key of world-atlas map features. */
    m49: z.string().nullable(),
    name: z.string(),
    status: TreatyStatusSchema,
    m49Region: z.string().nullable(),
    unRegionalGroup: UnRegionalGroupSchema.nullable(),
    /** Dates of events on or before the as-of date only; the EIF date once the deposit is known. */
    signatureDate: IsoDateSchema.nullable(),
    depositDate: IsoDateSchema.nullable(),
    actionType: TreatyActionTypeSchema.nullable(),
    entryIntoForceDate: IsoDateSchema.nullable(),
    provisionalApplicationDate: IsoDateSchema.nullable(),
    declaredNotToBecomePartyDate: IsoDateSchema.nullable(),
  })
  .openapi('StateTreatyStatus');
export type StateTreatyStatus = z.infer<typeof StateTreatyStatusSchema>;

export const RegionTreatyStatusSchema = z
  .object({
    /** The region or group name; `none` for States without one (Palestine, Niue, the Holy See, the Cook Islands). */
    region: z.string(),
    groupBy: z.enum(['m49Region', 'unRegionalGroup']),
    counts: TreatyStatusCountsSchema,
  })
  .openapi('RegionTreatyStatus');
export type RegionTreatyStatus = z.infer<typeof RegionTreatyStatusSchema>;

export const TreatyStatusSummarySchema = z
  .object({
    asOf: IsoDateSchema,
    counts: TreatyStatusCountsSchema,
    byRegion: z.array(RegionTreatyStatusSchema),
  })
  .openapi('TreatyStatusSummary');
export type TreatyStatusSummary = z.infer<typeof TreatyStatusSummarySchema>;

// ------------------------------------------------------------------------------------------------ timeline

export const TIMELINE_EVENT_TYPES = [
  'signature',
  'deposit',
  'provisional_application',
  'entry_into_force',
  'declaration_not_to_become_party',
] as const;
export const TimelineEventTypeSchema = z.enum(TIMELINE_EVENT_TYPES);
export type TimelineEventType = z.infer<typeof TimelineEventTypeSchema>;

export const TimelineCountsSchema = z
  .object({
    signed: z.number().int(),
    deposited: z.number().int(),
    inForce: z.number().int(),
    provisionalApplication: z.number().int(),
    declaredNotToBecomeParty: z.number().int(),
  })
  .openapi('TimelineCounts');
export type TimelineCounts = z.infer<typeof TimelineCountsSchema>;

export const TimelineEventSchema = z
  .object({
    date: IsoDateSchema,
    event: TimelineEventTypeSchema,
    stateId: StateIdSchema,
    iso3: Iso3Schema,
    /** The depositary's spelling. */
    name: z.string(),
    /** For deposits: ratification, acceptance, approval or accession. */
    actionType: TreatyActionTypeSchema.nullable(),
    /** Counts after this event. Within one day the order is by event type, then id: not the depositary's order. */
    cumulative: TimelineCountsSchema,
  })
  .openapi('TimelineEvent');
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;
