/**
 * National and EU export-control data: one entry point for every file kind.
 *
 * `parseNationalFile(bytes, { fileName, kind, lookup, iso2, importRunId })` returns an `IngestResult<NationalRecord>`;
 * `NationalRecord` (src/model/national.ts) is a union told apart by `kind`. How the importer stores each kind:
 * - `transfer`: `record.transfer` is a Transfer (TransferSchema) for the transfers table; `record.details` are the
 *   source's own fields, stored beside it (e.g. a JSONB column) under the same provenance (file sha256, sheet, row);
 * - every other kind: one row per record in a table per kind, or one generic table (kind, provenance, payload JSONB).
 *   `fi-country-total` and `eu-consultation` rows with role `total` are totals of other records: never add them up
 *   with the rows they total;
 * - quarantined rows and issues as for every source (framework.ts); refuse the import when `isRefused(result)`.
 * A file is identified by its sha256: importing it again must replace, not add.
 */
import type { TransferSource } from '../../model/transfer.js';
import { AppError } from '../../model/errors.js';
import {
  IssueCollector,
  decodeText,
  emptyResult,
  looksBinary,
  refuse,
  sha256Hex,
  type IngestLimits,
  type StateLookup,
} from '../framework.js';
import { NATIONAL_KINDS, type NationalKind } from './kinds.js';
import type { NationalResult } from './common.js';
import { parseEuCoarm } from './eu-coarm.js';
import { parseFiSaferglobe } from './fi-saferglobe.js';
import type { Iso2Lookup } from './parties.js';
import { parseUkCaat } from './uk-caat.js';
import { looksLikeLegacyXls, looksLikeZip } from './xlsx.js';

export { NATIONAL_KINDS, detectNationalKind, type NationalKind } from './kinds.js';
export type { NationalResult } from './common.js';
export { MIN_YEAR, FALLBACK_MAX_YEAR } from './common.js';
export {
  createIso2Lookup,
  createNationalLookups,
  findAggregate,
  NATIONAL_AGGREGATES,
  EU_ISO2_EXCEPTIONS,
  type Iso2Lookup,
} from './parties.js';
export { ML_UNROCA_RELATIONS, parseMlCode, parseMlList, type MlUnrocaRelation } from './ml.js';
export { floatToCents } from './money.js';
export {
  FI_SHEETS,
  FI_SOURCE,
  SAFERGLOBE_CITATION,
  CROSS_CHECK_TOLERANCE_EUR,
  normaliseControlCode,
} from './fi-saferglobe.js';
export { EU_LAYOUTS, EU_MIN_YEAR, EU_SOURCE, parseRatingText, rejoinFields } from './eu-coarm.js';
export { UK_COLUMNS, UK_SOURCE, ratingScheme } from './uk-caat.js';

/** Provenance source of each kind (`source` of the result and of every record). */
export const NATIONAL_SOURCE_OF_KIND: Readonly<Record<NationalKind, TransferSource>> = Object.freeze({
  'fi-saferglobe': 'national:fin',
  'eu-coarm-broker': 'eu-coarm',
  'eu-coarm-mission': 'eu-coarm',
  'eu-coarm-consult': 'eu-coarm',
  'uk-ratings': 'national:gbr',
  'uk-refusal-criteria': 'national:gbr',
  'uk-footnotes-region': 'national:gbr',
});

export interface NationalParseOptions {
  /** The file's name as the user gave it (kept in provenance and every issue). */
  fileName: string;
  kind: NationalKind;
  /** Names -> crosswalk ids (data/reference/states.csv and state-aliases.csv). */
  lookup: StateLookup;
  /** ISO 3166-1 alpha-2 codes -> crosswalk ids; required for the EU tables (createNationalLookups gives both). */
  iso2?: Iso2Lookup | undefined;
  importRunId?: string | null | undefined;
  /** Overrides of DEFAULT_INGEST_LIMITS (tests use small ones). */
  limits?: Partial<IngestLimits> | undefined;
}

/**
 * Parses a national or EU file of the given kind. Pure: bytes in, result out; async because XLSX reading is.
 * Content never throws (see framework.ts); a wrong `kind` or a missing `iso2` for an EU table is a caller mistake
 * and throws AppError('validation').
 */
export async function parseNationalFile(
  bytes: Uint8Array,
  options: NationalParseOptions,
): Promise<NationalResult> {
  const { kind } = options;
  switch (kind) {
    case 'fi-saferglobe':
      return parseFiSaferglobe(bytes, options);
    case 'eu-coarm-broker':
    case 'eu-coarm-mission':
    case 'eu-coarm-consult':
      return parseEuCoarm(
        bytes,
        kind === 'eu-coarm-broker' ? 'broker' : kind === 'eu-coarm-mission' ? 'mission' : 'consult',
        { ...options, iso2: options.iso2! },
      );
    case 'uk-ratings':
    case 'uk-refusal-criteria':
    case 'uk-footnotes-region':
      return parseUkCaat(
        bytes,
        kind === 'uk-ratings'
          ? 'ratings'
          : kind === 'uk-refusal-criteria'
            ? 'refusal-criteria'
            : 'footnotes-region',
        options,
      );
    default:
      throw new AppError(
        'validation',
        `unknown national file kind "${String(kind)}"; expected one of ${NATIONAL_KINDS.join(', ')}`,
        {
          hint: 'pass a kind from NATIONAL_KINDS, or call detectNationalKind(fileName, bytes)',
          location: { parameter: 'kind', value: String(kind) },
        },
      );
  }
}

/** What `att import national` reads, for messages that name what was expected. */
export const NATIONAL_KINDS_EXPECTED =
  "SaferGlobe's Finnish workbook (XLSX), CAAT's EU tables (broker.csv, mission.csv, consult.csv) or CAAT's UK tables " +
  '(ratings.csv, refusal-criteria.csv, footnotes-region.csv); see docs/national-sources.md';

/**
 * A refused result for a file whose kind `detectNationalKind` could not tell because there is nothing to tell it by:
 * an empty file (`empty_file`) or binary content that is neither CSV text nor an XLSX workbook (`binary_file`). These
 * are problems of the file, not of the caller's choice of source. Undefined for text of an unknown shape.
 */
export function refuseUnrecognisedNationalFile(
  bytes: Uint8Array,
  fileName: string,
): NationalResult | undefined {
  const issues = new IssueCollector(fileName);
  const result = emptyResult<NationalResult['accepted'][number]>('national', fileName, sha256Hex(bytes));
  result.stats.bytes = bytes.length;
  const decoded =
    bytes.length === 0 || looksLikeZip(bytes) || looksLikeLegacyXls(bytes)
      ? null
      : decodeText(bytes, new IssueCollector(fileName));
  if (bytes.length === 0 || decoded?.text.trim() === '') {
    issues.error(
      'empty_file',
      bytes.length === 0 ? 'the file is empty' : 'the file holds only blank lines',
      `export the table again; expected ${NATIONAL_KINDS_EXPECTED}`,
    );
  } else if (decoded === null || looksBinary(decoded.text)) {
    issues.error(
      'binary_file',
      looksLikeZip(bytes)
        ? 'the file is a ZIP archive but not an XLSX workbook'
        : looksLikeLegacyXls(bytes)
          ? 'the file is an old Excel workbook (.xls), which is not read'
          : 'the file is not text (it holds NUL or control bytes) and not an XLSX workbook',
      `check that this is the right file; expected ${NATIONAL_KINDS_EXPECTED}`,
    );
  } else {
    return undefined;
  }
  result.issues = issues.issues;
  return refuse(result, 0);
}
