/**
 * What every SIPRI export shares: a preamble of about ten lines (selection, conventions, `Source:` and
 * `Data generated:` lines) before the header, UTF-8 or Latin-1 text, and sometimes a stray ';' at the end of each line
 * (a file re-saved by a spreadsheet).
 */
import type { IngestResult } from '../../model/ingest.js';
import { splitCsvRecords, type PhysicalRecord } from '../csv-records.js';
import {
  DEFAULT_INGEST_LIMITS,
  IssueCollector,
  decodeText,
  emptyResult,
  looksBinary,
  refuse,
  sha256Hex,
  type IngestLimits,
} from '../framework.js';
import { AppError } from '../../model/errors.js';

export const SIPRI_SOURCE = 'sipri';
/** SIPRI's user rules ask every use to carry this credit line. */
export const SIPRI_CITATION = 'Information from the SIPRI Arms Transfers Database';

/** The header is looked for in the first records only: SIPRI's preamble is about ten lines. */
export const MAX_PREAMBLE_RECORDS = 40;

export type SipriFileKind = 'delivery-rows' | 'deal-rows' | 'tiv-table';

export interface OpenedFile<Row> {
  result: IngestResult<Row>;
  issues: IssueCollector;
  records: PhysicalRecord[];
  limits: IngestLimits;
}

/** Checks size, decodes, sniffs binary and empty files, splits records. A refused file comes back with `records: []`. */
export function openSipriFile<Row>(
  bytes: Uint8Array,
  fileName: string,
  limitOverrides: Partial<IngestLimits> | undefined,
): OpenedFile<Row> {
  if (!(bytes instanceof Uint8Array)) {
    throw new AppError('validation', `${fileName}: expected the file's bytes as a Uint8Array`, {
      hint: 'read the file with fs.readFile and pass the Buffer',
    });
  }
  const limits: IngestLimits = { ...DEFAULT_INGEST_LIMITS, ...limitOverrides };
  const issues = new IssueCollector(fileName);
  const result = emptyResult<Row>(SIPRI_SOURCE, fileName, sha256Hex(bytes));
  result.issues = issues.issues;
  result.metadata.citation = SIPRI_CITATION;
  result.stats.bytes = bytes.length;
  const refused = (code: string, message: string, hint: string): OpenedFile<Row> => {
    issues.error(code, message, hint);
    return { result: refuse(result, 0), issues, records: [], limits };
  };
  if (bytes.length > limits.maxFileBytes) {
    return refused(
      'file_too_large',
      `the file has ${bytes.length} bytes, more than the limit of ${limits.maxFileBytes}`,
      'check that this is a SIPRI export (the complete database is a few MB); split it by years if it really is larger',
    );
  }
  if (bytes.length === 0)
    return refused('empty_file', 'the file is empty', 'export the register from SIPRI again');
  const decoded = decodeText(bytes, issues);
  result.metadata.encoding = decoded.encoding;
  if (looksBinary(decoded.text)) {
    return refused(
      'binary_file',
      'the file is not text (it holds NUL or control bytes)',
      'export the register from SIPRI as CSV; spreadsheets (XLSX) are not read here',
    );
  }
  if (decoded.text.trim() === '')
    return refused('empty_file', 'the file holds only blank lines', 'export the register from SIPRI again');
  const records = splitCsvRecords(decoded.text, { maxQuotedChars: limits.maxCellChars });
  result.stats.physicalLines = records.length === 0 ? 0 : records[records.length - 1]!.endLine;
  return { result, issues, records, limits };
}

/** A header cell as compared: trimmed, BOM and one trailing ';' dropped, spaces collapsed, lower case. */
export function headerKey(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .replace(/;$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Which SIPRI file a header line starts, or undefined. */
export function classifyHeader(fields: readonly string[]): SipriFileKind | undefined {
  const keys = fields.map(headerKey);
  const first = keys[0];
  if (first === 'sipri at database id') return 'delivery-rows';
  if (first !== 'recipient' && first !== 'supplier') return undefined;
  const other = first === 'recipient' ? 'supplier' : 'recipient';
  if (keys.includes(other)) return 'deal-rows';
  if (keys.some((key) => /^\d{4}$/.test(key))) return 'tiv-table';
  return undefined;
}

export interface HeaderSearch {
  index: number;
  kind: SipriFileKind;
}

/** Finds the header record among the first MAX_PREAMBLE_RECORDS records. */
export function findHeader(records: readonly PhysicalRecord[]): HeaderSearch | undefined {
  const limit = Math.min(records.length, MAX_PREAMBLE_RECORDS);
  for (let index = 0; index < limit; index++) {
    const kind = classifyHeader(records[index]!.fields);
    if (kind) return { index, kind };
  }
  return undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** "13 Mar 2025 10:02:49 AM" -> "2025-03-13"; undefined when it is not a real date. */
export function parseSipriDate(text: string): string | undefined {
  const match = /^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b/.exec(text.trim());
  if (!match) return undefined;
  const day = Number(match[1]);
  const month = MONTHS[match[2]!.toLowerCase()];
  const year = Number(match[3]);
  if (!month) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads the preamble into metadata: `preamble` (all lines), `selection` (first line), `yearRangeFrom`/`yearRangeTo`,
 * `sourceCredit` (the `Source:` line), `dataGenerated` (ISO date) and `dataGeneratedText`. Returns the year of
 * generation, or undefined (with a warning) when there is no readable `Data generated:` line.
 */
export function readPreamble(
  records: readonly PhysicalRecord[],
  headerIndex: number,
  metadata: Record<string, string>,
  issues: IssueCollector,
): number | undefined {
  const lines = records
    .slice(0, headerIndex)
    .map((record) => record.raw.replace(/;\s*$/, '').trim())
    .filter((line) => line !== '');
  metadata.preamble = lines.join('\n');
  if (lines[0] !== undefined) metadata.selection = lines[0];
  const range = /year range '([^']*)' to '([^']*)'/i.exec(metadata.preamble);
  if (range) {
    metadata.yearRangeFrom = range[1]!;
    metadata.yearRangeTo = range[2]!;
  }
  const source = lines.find((line) => /^source\s*:/i.test(line));
  if (source) metadata.sourceCredit = source;
  const generatedLine = lines.find((line) => /^data generated\s*:/i.test(line));
  if (!generatedLine) {
    issues.warning(
      'missing_data_generated',
      'the preamble has no "Data generated:" line, so the release date is unknown and years are only checked against 1900-2100',
      'export the register from SIPRI again with its preamble',
    );
    return undefined;
  }
  const text = generatedLine.replace(/^data generated\s*:/i, '').trim();
  metadata.dataGeneratedText = text;
  const iso = parseSipriDate(text);
  if (!iso) {
    issues.warning(
      'unreadable_data_generated',
      `"Data generated: ${text}" is not a date such as "13 Mar 2025", so years are only checked against 1900-2100`,
      'correct the line or export the register from SIPRI again',
      { value: text },
    );
    return undefined;
  }
  metadata.dataGenerated = iso;
  return Number(iso.slice(0, 4));
}

/** A record holding nothing but empty cells (or a lone ';'). */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '' || field.trim() === ';');
}
