import { z } from '@hono/zod-openapi';

/**
 * Crosswalk ids. A State or ISO-coded territory uses its ISO 3166-1 alpha-3 code (Kosovo: XKK); everything else has
 * an explicit prefixed id so that it can never be mistaken for a State:
 * `H-` historical State (H-SUN), `N-` non-State actor (N-LBY-HOR), `IO-` international organisation (IO-NATO),
 * `T-` territory without an ISO code (T-CYP-NORTH), and `UNKNOWN` for an unidentified party.
 */
export const STATE_ID_PATTERN =
  /^(?:[A-Z]{3}|H-[A-Z]{3}|N-[A-Z]{3}(?:-[A-Z0-9]+)+|N-UNKNOWN|IO-[A-Z]+|T-[A-Z]{3}(?:-[A-Z0-9]+)+|UNKNOWN)$/;

export const StateIdSchema = z
  .string()
  .regex(STATE_ID_PATTERN, 'expected a crosswalk id such as FRA, XKK, H-SUN, N-LBY-HOR, IO-NATO or UNKNOWN')
  .brand<'StateId'>()
  .openapi({ example: 'FRA', description: 'Crosswalk id from data/reference/states.csv' });
export type StateId = z.infer<typeof StateIdSchema>;

export const Iso3Schema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected an ISO 3166-1 alpha-3 code such as FRA')
  .brand<'Iso3'>()
  .openapi({ example: 'FRA' });
export type Iso3 = z.infer<typeof Iso3Schema>;

export const Iso2Schema = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as FR');
export const M49CodeSchema = z.string().regex(/^\d{3}$/, 'expected a three-digit numeric code such as 250');

/**
 * `state`: can take treaty action with the UN Secretary-General as depositary under the "all States" formula of
 * ATT Art. 21 (193 UN Members, the Holy See, Palestine, the Cook Islands, Niue). This follows depositary practice and
 * is not a position on statehood. `territory`: every other ISO-coded area (dependent territories, Kosovo, Taiwan,
 * Western Sahara ...) plus Northern Cyprus.
 */
export const STATE_KINDS = [
  'state',
  'historical_state',
  'territory',
  'non_state_actor',
  'international_organisation',
  'unknown',
] as const;
export const StateKindSchema = z.enum(STATE_KINDS);
export type StateKind = z.infer<typeof StateKindSchema>;

/** The five UN regional groups (UN DGACM), used by the ATT Secretariat for regional statistics. */
export const UN_REGIONAL_GROUPS = [
  'African',
  'Asia-Pacific',
  'Eastern European',
  'Latin American and Caribbean',
  'Western European and others',
] as const;
export const UnRegionalGroupSchema = z.enum(UN_REGIONAL_GROUPS);
export type UnRegionalGroup = z.infer<typeof UnRegionalGroupSchema>;

export const StateSchema = z
  .object({
    id: StateIdSchema,
    kind: StateKindSchema,
    iso2: Iso2Schema.nullable(),
    iso3: Iso3Schema.nullable(),
    /** ISO 3166-1 numeric code, which may be user-assigned (Kosovo 983) or absent from M49 (Taiwan 158). */
    isoNumeric: M49CodeSchema.nullable(),
    /** UN M49 code: only for areas that M49 lists. */
    m49: M49CodeSchema.nullable(),
    /** English, descriptive, not political. */
    name: z.string().min(1),
    m49Region: z.string().min(1).nullable(),
    m49Subregion: z.string().min(1).nullable(),
    m49IntermediateRegion: z.string().min(1).nullable(),
    unRegionalGroup: UnRegionalGroupSchema.nullable(),
    unMember: z.boolean(),
    /** Present-day State where a non-State actor operated, or the successor/continuator of a historical State. */
    relatedStateId: StateIdSchema.nullable(),
    notes: z.string().nullable(),
    sources: z.string().min(1),
    aliases: z.array(z.string()).optional(),
  })
  .openapi('State');
export type State = z.infer<typeof StateSchema>;

export const StateAliasSchema = z
  .object({
    alias: z.string().min(1),
    stateId: StateIdSchema,
    /** Who spells it this way: `untc`, `sipri`, `i18n-iso-countries`, `embargo-files` ... */
    source: z.string().min(1),
    notes: z.string().nullable(),
  })
  .openapi('StateAlias');
export type StateAlias = z.infer<typeof StateAliasSchema>;

/** Parses a crosswalk id; throws on anything else. */
export function stateId(value: string): StateId {
  return StateIdSchema.parse(value);
}

/** Parses an ISO alpha-3 code; throws on anything else. */
export function iso3(value: string): Iso3 {
  return Iso3Schema.parse(value);
}
