import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from './dates.js';
import { StateIdSchema } from './state.js';

/**
 * `UN` Security Council, `EU` Council; `other`: another body's measure (a regional organisation such as ECOWAS or the
 * OSCE) recorded by the Secretariat in the app (src/model/reference-amendment.ts).
 */
export const EMBARGO_AUTHORITIES = ['UN', 'EU', 'other'] as const;
export const EmbargoAuthoritySchema = z.enum(EMBARGO_AUTHORITIES);
export type EmbargoAuthority = z.infer<typeof EmbargoAuthoritySchema>;

/**
 * What an episode covers, normalised from the sources' free text through data/reference/manual/embargo-scope-lookup.csv.
 * - `full`: all arms to every recipient in the target (exemptions, if any, are for peacekeepers and the like);
 * - `government_exempt`: every recipient in the target except the government's forces, which are exempt only under
 *   conditions (notification or committee approval);
 * - `non_state_actors_only`: only non-governmental recipients in the target; the government is not covered;
 * - `named_group`: one named non-State group (UNITA, al-Shabaab, the Houthis: see `targetActorIds`);
 * - `targeted`: listed persons and entities only;
 * - `regional`: every recipient in one region of the target (Darfur);
 * - `partial_items`: only some kinds of arms (e.g. DPRK 2006: the UNROCA categories; Haiti 2023: SALW);
 * - `approval_regime`: transfers need prior approval rather than being banned (Iran 2016-2020);
 * - `end_use_restricted`: only arms for a given use (Portugal 1963: usable for repression in its territories;
 *   Armenia/Azerbaijan 1993: supplies that could intensify the conflict).
 */
export const EMBARGO_SCOPE_CODES = [
  'full',
  'government_exempt',
  'non_state_actors_only',
  'named_group',
  'targeted',
  'regional',
  'partial_items',
  'approval_regime',
  'end_use_restricted',
] as const;
export const EmbargoScopeCodeSchema = z.enum(EMBARGO_SCOPE_CODES);
export type EmbargoScopeCode = z.infer<typeof EmbargoScopeCodeSchema>;

/** `to_target`: supplies to the target are banned; `from_target`: supplies from it; `two_way`: both. */
export const EMBARGO_DIRECTIONS = ['to_target', 'from_target', 'two_way'] as const;
export const EmbargoDirectionSchema = z.enum(EMBARGO_DIRECTIONS);
export type EmbargoDirection = z.infer<typeof EmbargoDirectionSchema>;

/**
 * `mandatory`: legally binding (UN Chapter VII or otherwise binding decision; EU Council Decision / Common Position);
 * `voluntary`: a call or political commitment; `n/a`: the source says nothing usable.
 */
export const EMBARGO_BINDINGS = ['mandatory', 'voluntary', 'n/a'] as const;
export const EmbargoBindingSchema = z.enum(EMBARGO_BINDINGS);
export type EmbargoBinding = z.infer<typeof EmbargoBindingSchema>;

/**
 * Why `endDate` is what it is: `recorded` (a date), `open` (in force, no end yet), `unknown` (ended or lapsed, but no
 * date was recorded, e.g. Portugal 1963): a screening on a date after the start must then be inconclusive.
 */
export const EMBARGO_END_BASES = ['recorded', 'open', 'unknown'] as const;
export const EmbargoEndBasisSchema = z.enum(EMBARGO_END_BASES);
export type EmbargoEndBasis = z.infer<typeof EmbargoEndBasisSchema>;

/**
 * Whether the Security Council acted under Chapter VII, which is what ATT Art. 6(1) refers to. `n/a` for EU
 * measures (Art. 6(2) or Art. 7 may still apply to them).
 */
export const CHAPTER_VII_VALUES = ['yes', 'no', 'disputed', 'unclear', 'n/a'] as const;
export const ChapterViiSchema = z.enum(CHAPTER_VII_VALUES);
export type ChapterVii = z.infer<typeof ChapterViiSchema>;

export const CONFIDENCE_LEVELS = ['high', 'medium', 'low'] as const;
export const ConfidenceSchema = z.enum(CONFIDENCE_LEVELS);

/** One period of an arms embargo with a stable scope (ATT Art. 6(1) for UN Chapter VII measures). */
export const EmbargoEpisodeSchema = z
  .object({
    id: z.string().min(1),
    authority: EmbargoAuthoritySchema,
    /** Groups the episodes of one sanctions regime (UN); null for EU rows. */
    regime: z.string().nullable(),
    /** The source's description of the target. */
    target: z.string().min(1),
    /** Crosswalk ids of the States whose territory the episode concerns; empty for global lists of persons. */
    targetIds: z.array(StateIdSchema),
    /** Non-State actors named by the measure (scope `named_group`), e.g. N-AGO-UNITA. */
    targetActorIds: z.array(StateIdSchema),
    targetNote: z.string().nullable(),
    targetType: z.string().nullable(),
    scopeCode: EmbargoScopeCodeSchema,
    scopeText: z.string().min(1),
    direction: EmbargoDirectionSchema,
    /** `source` when the file gives it, otherwise the rule used (see docs/data-model.md). */
    directionBasis: z.string().min(1),
    startDate: IsoDateSchema,
    endDate: IsoDateSchema.nullable(),
    endBasis: EmbargoEndBasisSchema,
    statusText: z.string().nullable(),
    imposingMeasures: z.string().nullable(),
    modifyingMeasures: z.string().nullable(),
    endingMeasure: z.string().nullable(),
    unCounterpart: z.string().nullable(),
    binding: EmbargoBindingSchema,
    chapterVii: ChapterViiSchema,
    bindingText: z.string().nullable(),
    notes: z.string().nullable(),
    confidence: ConfidenceSchema,
    verifiedThisSession: z.string().nullable(),
    sources: z.string().min(1),
  })
  .openapi('EmbargoEpisode');
export type EmbargoEpisode = z.infer<typeof EmbargoEpisodeSchema>;
