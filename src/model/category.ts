import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from './dates.js';

/** ATT Art. 2(1)(a)-(g) = UN Register categories I-VII; Art. 2(1)(h) small arms and light weapons = category VIII. */
export const UNROCA_CATEGORY_IDS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'] as const;
export const UnrocaCategoryIdSchema = z.enum(UNROCA_CATEGORY_IDS);
export type UnrocaCategoryId = z.infer<typeof UnrocaCategoryIdSchema>;

export const SubcategorySchema = z
  .object({
    /** e.g. `IV(a)`, `VII(b)`, `SA1` (small arms), `LW6` (light weapons). */
    id: z.string().min(1),
    name: z.string().min(1),
    /** Only for category VIII. */
    group: z.enum(['small_arms', 'light_weapons']).nullable(),
    definition: z.string().nullable(),
    thresholds: z.record(z.string(), z.union([z.number(), z.boolean()])),
  })
  .openapi('Subcategory');
export type Subcategory = z.infer<typeof SubcategorySchema>;

export const CategorySchema = z
  .object({
    id: UnrocaCategoryIdSchema,
    name: z.string().min(1),
    /** The ATT paragraph, e.g. `2(1)(a)`. */
    attRef: z.string().min(1),
    /** A short paraphrase with the key thresholds, not the official wording. */
    definition: z.string().nullable(),
    thresholds: z.record(z.string(), z.union([z.number(), z.boolean()])),
    history: z.string().nullable(),
    subcategories: z.array(SubcategorySchema),
    confidence: z.string().nullable(),
  })
  .openapi('Category');
export type Category = z.infer<typeof CategorySchema>;

export const AttArticleSchema = z
  .object({ number: z.number().int().min(1), title: z.string().min(1) })
  .openapi('AttArticle');
export type AttArticle = z.infer<typeof AttArticleSchema>;

export const AttBreakdownItemSchema = z.object({
  ref: z.string().min(1),
  label: z.string().min(1),
  unrocaCategory: z.string().nullable(),
  keywords: z.array(z.string()),
  subItems: z.array(z.object({ ref: z.string().min(1), label: z.string().min(1) })),
});
export type AttBreakdownItem = z.infer<typeof AttBreakdownItemSchema>;

export const AttBreakdownSchema = z.object({
  /** The article or paragraph broken down, e.g. `2(1)`, `6`, `7`. */
  ref: z.string().min(1),
  label: z.string().min(1),
  appliesTo: z.string().nullable(),
  items: z.array(AttBreakdownItemSchema),
  related: z.array(AttBreakdownItemSchema),
});
export type AttBreakdown = z.infer<typeof AttBreakdownSchema>;

/** Facts about the treaty itself (data/reference/att-articles.json): titles are the treaty's headings. */
export const AttTreatyFactsSchema = z
  .object({
    treaty: z.string().min(1),
    adopted: IsoDateSchema,
    adoptedBy: z.string().min(1),
    openedForSignature: IsoDateSchema,
    entryIntoForce: IsoDateSchema,
    depositary: z.string().min(1),
    articles: z.array(AttArticleSchema),
    breakdowns: z.array(AttBreakdownSchema),
    keyNumbers: z.record(z.string(), z.union([z.number(), z.string()])),
    note: z.string().nullable(),
    sources: z.array(z.string()),
  })
  .openapi('AttTreatyFacts');
export type AttTreatyFacts = z.infer<typeof AttTreatyFactsSchema>;
