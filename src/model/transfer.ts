import { z } from '@hono/zod-openapi';
import { STATE_ID_PATTERN, StateIdSchema } from './state.js';

// Patterns shared by the schemas below and by isValidTransfer, so that the two cannot drift apart.
const TRANSFER_SOURCE_PATTERN = /^(att-report|sipri|unroca|eu-coarm|national:[a-z]{3})$/;
const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** The Transfer model's bounds of `year`. */
export const TRANSFER_YEAR_MIN = 1900;
export const TRANSFER_YEAR_MAX = 2100;

/**
 * Who said it. `att-report` (a State's ATT annual report), `sipri` (SIPRI Arms Transfers Database),
 * `national:<iso3>` (a national export report or dataset), `eu-coarm` (EU annual report tables).
 */
export const TransferSourceSchema = z
  .string()
  .regex(TRANSFER_SOURCE_PATTERN, 'expected att-report, sipri, unroca, eu-coarm or national:<iso3>')
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
export const DecimalSchema = z.string().regex(DECIMAL_PATTERN, 'expected a decimal number such as 12.5');

/** Where a stored row came from: the source file by content hash, its row, and the import run that stored it. */
export const ProvenanceSchema = z
  .object({
    source: TransferSourceSchema,
    fileName: z.string(),
    fileSha256: z.string().regex(SHA256_PATTERN),
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
    year: z.number().int().min(TRANSFER_YEAR_MIN).max(TRANSFER_YEAR_MAX).nullable(),
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
    currency: z.string().regex(CURRENCY_PATTERN).nullable(),
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

// ---------------------------------------------------------------------------------------------------------------------
// A quick check for hot paths

const TRANSFER_KEYS = Object.keys(TransferSchema.shape);
const PROVENANCE_KEYS = Object.keys(ProvenanceSchema.shape);
const SCHEMES: ReadonlySet<unknown> = new Set(CATEGORY_SCHEMES);
const BASES: ReadonlySet<unknown> = new Set(TRANSFER_BASES);
const REASONS: ReadonlySet<unknown> = new Set(MISSING_REASONS);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
/** Exactly these own keys: TransferSchema strips unknown keys, so an object with more would not come back as it is. */
const hasExactKeys = (value: Record<string, unknown>, keys: readonly string[]): boolean => {
  let n = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    n++;
  }
  return n === keys.length && keys.every((key) => Object.hasOwn(value, key));
};
const isText = (value: unknown): boolean => value === null || typeof value === 'string';
const matches = (value: unknown, pattern: RegExp): boolean =>
  typeof value === 'string' && pattern.test(value);
const isInteger = (value: unknown, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
const isDecimalOrNull = (value: unknown): boolean => value === null || matches(value, DECIMAL_PATTERN);
const isReasonOrNull = (value: unknown): boolean => value === null || REASONS.has(value);
const isArrayOf = (value: unknown, item: (element: unknown) => boolean): boolean => {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
  return true;
};

/**
 * True when `value` is a Transfer exactly as `TransferSchema.parse` would return it: a check written out by hand for
 * parsers of large files, several times cheaper than the schema and allocating nothing. It is at least as strict as
 * the schema (plain objects only, no extra keys, safe integers), never less: a parser uses the value when this says
 * true, and asks the schema (for its verdict and its messages) when it says false. transfer.test.ts holds it to that.
 */
export function isValidTransfer(value: unknown): value is Transfer {
  if (!isPlainObject(value) || !hasExactKeys(value, TRANSFER_KEYS)) return false;
  const t = value;
  const p = t.provenance;
  return (
    matches(t.source, TRANSFER_SOURCE_PATTERN) &&
    isText(t.sourceRecordId) &&
    matches(t.exporterId, STATE_ID_PATTERN) &&
    (t.importerId === null || matches(t.importerId, STATE_ID_PATTERN)) &&
    typeof t.partnerAggregated === 'boolean' &&
    (t.year === null || isInteger(t.year, TRANSFER_YEAR_MIN, TRANSFER_YEAR_MAX)) &&
    isReasonOrNull(t.yearMissingReason) &&
    isArrayOf(t.deliveryYears, (year) => isInteger(year)) &&
    (t.orderYear === null || isInteger(t.orderYear)) &&
    SCHEMES.has(t.categoryScheme) &&
    isText(t.categoryCode) &&
    isText(t.subcategoryCode) &&
    isText(t.description) &&
    isText(t.designation) &&
    isText(t.comments) &&
    BASES.has(t.basis) &&
    (t.numberOfItems === null || isInteger(t.numberOfItems, 0)) &&
    isReasonOrNull(t.numberOfItemsMissingReason) &&
    (t.numberOrdered === null || isInteger(t.numberOrdered, 0)) &&
    isDecimalOrNull(t.value) &&
    (t.currency === null || matches(t.currency, CURRENCY_PATTERN)) &&
    isReasonOrNull(t.valueMissingReason) &&
    isDecimalOrNull(t.tivDelivered) &&
    isDecimalOrNull(t.tivPerUnit) &&
    isDecimalOrNull(t.tivTotalOrder) &&
    isText(t.endUser) &&
    isText(t.endUse) &&
    isText(t.status) &&
    (t.localProduction === null || typeof t.localProduction === 'boolean') &&
    isArrayOf(t.uncertain, (field) => typeof field === 'string') &&
    isPlainObject(p) &&
    hasExactKeys(p, PROVENANCE_KEYS) &&
    matches(p.source, TRANSFER_SOURCE_PATTERN) &&
    typeof p.fileName === 'string' &&
    matches(p.fileSha256, SHA256_PATTERN) &&
    isInteger(p.row, 1) &&
    isText(p.sheet) &&
    isText(p.importRunId)
  );
}
