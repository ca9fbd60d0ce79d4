import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from './dates.js';
import {
  ChapterViiSchema,
  ConfidenceSchema,
  EmbargoAuthoritySchema,
  EmbargoBindingSchema,
  EmbargoDirectionSchema,
  EmbargoEpisodeSchema,
  EmbargoScopeCodeSchema,
} from './embargo.js';
import { StateIdSchema } from './state.js';
import { TreatyActionTypeSchema, TreatyRecordSchema } from './treaty.js';

/**
 * Reference upkeep: the Secretariat records treaty actions and embargo episodes in the app, between two releases of
 * the reference files. Every change names its source (a URL, a citation, or both): a fact without a source is not
 * published. See docs/data-model.md ("Amendments made in the app").
 */
export const AmendmentSourceSchema = z
  .object({
    url: z
      .string()
      .trim()
      .max(2000)
      .regex(/^https?:\/\/\S+$/, 'expected an http(s) URL')
      .optional(),
    citation: z.string().trim().min(3).max(1000).optional(),
  })
  .refine((s) => s.url !== undefined || s.citation !== undefined, {
    message: 'a change needs a source: give a URL, a citation, or both',
  })
  .openapi('AmendmentSource');
export type AmendmentSource = z.infer<typeof AmendmentSourceSchema>;

/**
 * A change to one State's treaty record: a field left out is kept, `null` clears it. Recording a signature sets
 * `signatureDate`; recording a deposit sets `depositDate` and `actionType` (entry into force is computed by ATT
 * Art. 22 unless `entryIntoForceDate` is given).
 */
export const TreatyChangeSchema = z
  .object({
    signatureDate: IsoDateSchema.nullable().optional(),
    depositDate: IsoDateSchema.nullable().optional(),
    actionType: TreatyActionTypeSchema.nullable().optional(),
    entryIntoForceDate: IsoDateSchema.nullable().optional(),
    provisionalApplicationDate: IsoDateSchema.nullable().optional(),
    declaredNotToBecomePartyDate: IsoDateSchema.nullable().optional(),
    notes: z.string().trim().max(4000).nullable().optional(),
  })
  .strict()
  .openapi('TreatyChange');
export type TreatyChange = z.infer<typeof TreatyChangeSchema>;

export const TreatyAmendmentInputSchema = z
  .object({ change: TreatyChangeSchema, source: AmendmentSourceSchema })
  .strict()
  .openapi('TreatyAmendmentInput');
export type TreatyAmendmentInput = z.infer<typeof TreatyAmendmentInputSchema>;

/** The fields of an embargo episode the Secretariat sets (the rest are derived: see `embargoEpisodeOf`). */
export const EmbargoFieldsSchema = z
  .object({
    authority: EmbargoAuthoritySchema,
    regime: z.string().trim().max(200).nullable(),
    /** The measure's own description of the target. */
    target: z.string().trim().min(1).max(300),
    targetIds: z.array(StateIdSchema).max(50),
    targetActorIds: z.array(StateIdSchema).max(50),
    targetNote: z.string().trim().max(2000).nullable(),
    scopeCode: EmbargoScopeCodeSchema,
    scopeText: z.string().trim().min(1).max(1000),
    direction: EmbargoDirectionSchema,
    startDate: IsoDateSchema,
    endDate: IsoDateSchema.nullable(),
    binding: EmbargoBindingSchema,
    chapterVii: ChapterViiSchema,
    imposingMeasures: z.string().trim().max(2000).nullable(),
    endingMeasure: z.string().trim().max(2000).nullable(),
    notes: z.string().trim().max(4000).nullable(),
    confidence: ConfidenceSchema,
  })
  .strict();

/** A new episode: every field but the optional ones; `id` is generated unless given. */
export const NewEmbargoInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,60}$/, 'expected an id of capital letters, digits and hyphens, e.g. UN-SSD-2026')
      .optional(),
    episode: EmbargoFieldsSchema.partial({
      regime: true,
      targetActorIds: true,
      targetNote: true,
      imposingMeasures: true,
      endingMeasure: true,
      notes: true,
      chapterVii: true,
      confidence: true,
      endDate: true,
    }),
    source: AmendmentSourceSchema,
  })
  .strict()
  .openapi('NewEmbargoInput');
export type NewEmbargoInput = z.infer<typeof NewEmbargoInputSchema>;

/** An amendment of an existing episode: the fields given replace the recorded ones. */
export const EmbargoAmendmentInputSchema = z
  .object({ change: EmbargoFieldsSchema.partial(), source: AmendmentSourceSchema })
  .strict()
  .openapi('EmbargoAmendmentInput');
export type EmbargoAmendmentInput = z.infer<typeof EmbargoAmendmentInputSchema>;
export type EmbargoChange = EmbargoAmendmentInput['change'];

export const AMENDMENT_TARGET_KINDS = ['treaty_record', 'embargo_episode'] as const;
export const AmendmentTargetKindSchema = z.enum(AMENDMENT_TARGET_KINDS);
export type AmendmentTargetKind = z.infer<typeof AmendmentTargetKindSchema>;

/** One stored amendment: what changed (applied over the reference files), the record after it, and its source. */
export const ReferenceAmendmentSchema = z
  .object({
    id: z.number().int().min(1),
    at: z.string(),
    targetKind: AmendmentTargetKindSchema,
    /** The State id (treaty records) or episode id (embargoes). */
    targetId: z.string(),
    /** `create` when the record did not exist before. */
    action: z.enum(['create', 'update']),
    changes: z.record(z.string(), z.unknown()),
    after: z.union([TreatyRecordSchema, EmbargoEpisodeSchema]),
    source: AmendmentSourceSchema,
  })
  .openapi('ReferenceAmendment');
export type ReferenceAmendment = z.infer<typeof ReferenceAmendmentSchema>;

/** How a source reads inside a record's `sources` text. */
export function sourceText(source: AmendmentSource, at: string): string {
  const parts = [source.citation, source.url].filter((p): p is string => p !== undefined);
  return `${parts.join(', ')} (recorded in ATT Observatory on ${at.slice(0, 10)})`;
}
