import { z } from '@hono/zod-openapi';
import { StateIdSchema } from './state.js';

/**
 * Who said it. `att-report` (a State's ATT annual report), `sipri` (SIPRI Arms Transfers Database),
 * `national:<iso3>` (a national export report or dataset), `eu-coarm` (EU annual report tables).
 */
export const TransferSourceSchema = z
  .string()
  .regex(
    /^(att-report|sipri|unroca|eu-coarm|national:[a-z]{3})$/,
    'expected att-report, sipri, unroca, eu-coarm or national:<iso3>',
  )
  .openapi({ example: 'sipri' });
export type TransferSource = z.infer<typeof TransferSourceSchema>;

/**
 * Category schemes are kept apart: UNROCA I-VIII (ATT Art. 2(1)), the EU Common Military List ML1-ML22, and SIPRI's
 * armament categories. A mapping between them is recorded only where it holds (docs/data-model.md).
 */
export const CATEGORY_SCHEMES = ['unroca', 'eu-ml', 'sipri'] as const;
export const CategorySchemeSchema = z.enum(CATEGORY_SCHEMES);
export type CategoryScheme = z.infer<typeof CategorySchemeSchema>;

/** What a figure describes: an authorisation (licence), an actual transfer, an order, or a delivery. */
export const TRANSFER_BASES = ['authorised', 'actual', 'ordered', 'delivered'] as const;
export const TransferBasisSchema = z.enum(TRANSFER_BASES);

/** Why a value is missing. Missing is never zero (ATT Art. 13(3) allows withholding; SIPRI leaves fields empty). */
export const MISSING_REASONS = [
  'not_reported',
  'withheld',
  'aggregated',
  'not_applicable',
  'not_yet_available',
  'unknown',
] as const;
export const MissingReasonSchema = z.enum(MISSING_REASONS);
export type MissingReason = z.infer<typeof MissingReasonSchema>;

/** An exact decimal as a string (TIV and money are never floats). */
export const DecimalSchema = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number such as 12.5');

/** Where a stored row came from: the source file by content hash, its row, and the import run that stored it. */
export const ProvenanceSchema = z
  .object({
    source: TransferSourceSchema,
    fileName: z.string(),
    fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** 1-based physical line (CSV) or sheet row (XLSX) of the row's first line. */
    row: z.number().int().min(1),
    sheet: z.string().nullable(),
    importRunId: z.string().nullable(),
  })
  .openapi('Provenance');
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const TransferSchema = z
  .object({
    source: TransferSourceSchema,
    /** The source's own id where it has one (SIPRI AT Database ID). */
    sourceRecordId: z.string().nullable(),
    exporterId: StateIdSchema,
    importerId: StateIdSchema.nullable(),
    /** Set when the partner is an explicit aggregate in an ATT report ("aggregated"), never a State. */
    partnerAggregated: z.boolean(),
    /** Calendar year of the transfer (delivery year for SIPRI delivery rows, report year for ATT reports). */
    year: z.number().int().min(1900).max(2100).nullable(),
    yearMissingReason: MissingReasonSchema.nullable(),
    /** For SIPRI deals delivered over several years, all of them ("2016; 2017"). */
    deliveryYears: z.array(z.number().int()),
    orderYear: z.number().int().nullable(),
    categoryScheme: CategorySchemeSchema,
    categoryCode: z.string().nullable(),
    subcategoryCode: z.string().nullable(),
    description: z.string().nullable(),
    designation: z.string().nullable(),
    comments: z.string().nullable(),
    basis: TransferBasisSchema,
    numberOfItems: z.number().int().min(0).nullable(),
    numberOfItemsMissingReason: MissingReasonSchema.nullable(),
    numberOrdered: z.number().int().min(0).nullable(),
    value: DecimalSchema.nullable(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable(),
    valueMissingReason: MissingReasonSchema.nullable(),
    /** SIPRI trend-indicator value in millions: a volume index, never money. "0" means more than 0 and < 0.5. */
    tivDelivered: DecimalSchema.nullable(),
    tivPerUnit: DecimalSchema.nullable(),
    tivTotalOrder: DecimalSchema.nullable(),
    endUser: z.string().nullable(),
    endUse: z.string().nullable(),
    status: z.string().nullable(),
    localProduction: z.boolean().nullable(),
    /** Which fields the source marks as estimates or uncertain (SIPRI "?" / "is estimate"). */
    uncertain: z.array(z.string()),
    provenance: ProvenanceSchema,
  })
  .openapi('Transfer');
export type Transfer = z.infer<typeof TransferSchema>;
