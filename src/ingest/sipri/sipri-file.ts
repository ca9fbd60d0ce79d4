/**
 * What every SIPRI export shares: a preamble of about ten lines (selection, conventions, `Source:` and
 * `Data generated:` lines) before the header, UTF-8 or Latin-1 text, and sometimes a stray ';' at the end of each line
 * (a file re-saved by a spreadsheet). Files re-saved by a spreadsheet may also quote every field, pad preamble lines
 * with empty fields, or (European settings) separate fields with ';' and write decimal commas.
 */
import type { IngestResult } from '../../model/ingest.js';
import { splitCsvRecords, type PhysicalRecord, type SplitOptions } from '../csv-records.js';
import {
  DEFAULT_INGEST_LIMITS,
  IssueCollector,
  hasZipSignature,
  decodeText,
  emptyResult,
  looksBinary,
  refuse,
  sha256Hex,
  type IngestLimits,
} from '../framework.js';
import { AppError } from '../../model/errors.js';
import { readSipriSelectionLine } from '../../analysis/default-register.js';
import { DEAL_ROWS, DELIVERY_ROWS, type LayoutSpec } from './layouts.js';

export const SIPRI_SOURCE = 'sipri';
/** SIPRI's user rules ask every use to carry this credit line. */
export const SIPRI_CITATION = 'Information from the SIPRI Arms Transfers Database';

/** The header is looked for in the first records only: SIPRI's preamble is about ten lines. */
export const MAX_PREAMBLE_RECORDS = 40;

export type SipriFileKind = 'delivery-rows' | 'deal-rows' | 'tiv-table';

/** The field separator: SIPRI writes ','; a spreadsheet with European settings saves ';'. */
export type SipriSeparator = ',' | ';';

export interface OpenedFile<Row> {
  result: IngestResult<Row>;
  issues: IssueCollector;
  records: PhysicalRecord[];
  limits: IngestLimits;
  separator: SipriSeparator;
  /** The header found among the first records (undefined when there is none, or the file was refused). */
  header: HeaderSearch | undefined;
}

/**
 * Checks size, refuses ZIP archives (XLSX), decodes, sniffs binary and empty files, splits records with the separator
 * the header line is found with (',' first, then ';'). A refused file comes back with `records: []`.
 */
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
    return { result: refuse(result, 0), issues, records: [], limits, separator: ',', header: undefined };
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
  // Before decoding: a workbook decoded as text would only give an encoding warning and then "not text".
  if (hasZipSignature(bytes)) {
    return refused(
      'zip_archive',
      'the file is a ZIP archive (an XLSX workbook or a .zip), not CSV text: SIPRI trade registers and TIV tables are read as the CSV files SIPRI exports',
      'export the trade register or TIV table from SIPRI as CSV (https://armstransfers.sipri.org); an XLSX is probably an ATT annual report template (att import att-report) or the SaferGlobe workbook (att import national)',
    );
  }
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
  let text = decoded.text;
  // "\r\r\n" is a CRLF file converted to CRLF again: one line end, not a line end and a blank line (which would stop
  // a deal broken over two lines from being rejoined). SIPRI never writes a blank line that way.
  const doubled = countOccurrences(text, '\r\r\n');
  if (doubled > 0) {
    text = text.replaceAll('\r\r\n', '\r\n');
    result.stats.doubledLineEnds = doubled;
    issues.warning(
      'doubled_line_ends',
      `${doubled} line ends are "\\r\\r\\n" (a CRLF file converted to CRLF again); each was read as one line end (and counted as one line)`,
      'nothing to do; to keep the file as SIPRI wrote it, download it again',
    );
  }
  const splitOptions = { maxQuotedChars: limits.maxCellChars };
  let separator: SipriSeparator = ',';
  let records = splitCsvRecords(text, splitOptions);
  let header = findHeader(records);
  if (!header) {
    const semicolonRecords = splitSemicolonRecords(text, splitOptions);
    const semicolonHeader = findHeader(semicolonRecords);
    if (semicolonHeader) {
      separator = ';';
      records = semicolonRecords;
      header = semicolonHeader;
      issues.warning(
        'semicolon_separator',
        'the fields are separated by ";" (a spreadsheet saved with European settings), not by "," as SIPRI writes them; the file was read with ";" as the separator and "," as the decimal mark of TIV fields',
        'nothing to do if the figures read correctly; otherwise export the file from SIPRI again and import it unchanged',
        { value: ';' },
      );
    }
  }
  if (separator !== ',') result.metadata.separator = separator;
  result.stats.physicalLines = records.length === 0 ? 0 : records[records.length - 1]!.endLine;
  return { result, issues, records, limits, separator, header };
}

function countOccurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

const swapCommaSemicolon = (text: string): string => text.replace(/[,;]/g, (c) => (c === ',' ? ';' : ','));

/**
 * Splits ';'-separated text into records. The shared splitter separates on ','; exchanging ',' and ';' is one-to-one
 * and leaves quotes and line ends alone, so splitting the exchanged text and exchanging every cell back reads the
 * ';'-separated file exactly (commas inside cells included).
 */
function splitSemicolonRecords(text: string, options: SplitOptions): PhysicalRecord[] {
  return splitCsvRecords(swapCommaSemicolon(text), options).map((record) => ({
    ...record,
    fields: record.fields.map(swapCommaSemicolon),
    raw: swapCommaSemicolon(record.raw),
  }));
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

/** The header keys of a layout's named columns (flag columns are unnamed), renames included. */
function namedKeys(layout: LayoutSpec): Set<string> {
  return new Set([
    ...layout.columns.filter((spec) => !spec.flagOf).map((spec) => headerKey(spec.name)),
    ...Object.keys(layout.renames),
  ]);
}
const DELIVERY_KEYS = namedKeys(DELIVERY_ROWS);
const DEAL_KEYS = namedKeys(DEAL_ROWS);

/** A header names at least this many of a layout's columns; no preamble line or data row does. */
const MIN_NAMED_COLUMNS = 3;

/**
 * Which SIPRI file a header line starts, or undefined. Registers are recognised by their column names in any order
 * (the layout naming more of them wins, so a header lacking a column or two is still recognised and then refused
 * naming what it lacks); a TIV table by its first column (Recipient or Supplier) followed by year columns.
 */
export function classifyHeader(fields: readonly string[]): SipriFileKind | undefined {
  const keys = fields.map(headerKey);
  const first = keys[0];
  if (
    (first === 'recipient' || first === 'supplier') &&
    !keys.includes(first === 'recipient' ? 'supplier' : 'recipient') &&
    keys.some((key) => /^\d{4}$/.test(key))
  )
    return 'tiv-table';
  const present = new Set(keys);
  let delivery = 0;
  let deal = 0;
  for (const key of present) {
    if (DELIVERY_KEYS.has(key)) delivery++;
    if (DEAL_KEYS.has(key)) deal++;
  }
  if (Math.max(delivery, deal) < MIN_NAMED_COLUMNS || delivery === deal) return undefined;
  return delivery > deal ? 'delivery-rows' : 'deal-rows';
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
 * A preamble line as text, read from its parsed fields so that a line a spreadsheet quoted and padded
 * (`"Data generated: 13 Mar 2025",,,,`) reads as the plain one: trailing empty fields (and a lone ';') dropped, the
 * rest rejoined with ',', one stray ';' at the end dropped.
 */
export function preambleLine(fields: readonly string[]): string {
  let end = fields.length;
  while (end > 0 && /^\s*;?\s*$/.test(fields[end - 1]!)) end--;
  return fields.slice(0, end).join(',').replace(/;\s*$/, '').trim();
}

/** SIPRI's selection line read (one reading for the parser and the default-register rule). */
export const readSelection = readSipriSelectionLine;

/**
 * Reads the preamble into metadata: `preamble` (all lines), `selection` (first line), `selectionSuppliers` and
 * `selectionRecipients` (when the first line reads as SIPRI's selection), `yearRangeFrom`/`yearRangeTo`,
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
    .map((record) => preambleLine(record.fields))
    .filter((line) => line !== '');
  metadata.preamble = lines.join('\n');
  if (lines[0] !== undefined) {
    metadata.selection = lines[0];
    const selection = readSelection(lines[0]);
    if (selection) {
      metadata.selectionSuppliers = selection.suppliers;
      metadata.selectionRecipients = selection.recipients;
    }
  }
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

export type TivText =
  | { ok: true; text: string; decimalComma: boolean }
  | { ok: false; problem: 'negative' | 'not_a_number' | 'ambiguous' };

/**
 * A TIV cell (trimmed, not empty) as exact decimal text with a '.' (TIV is never a float). In a ';'-separated file
 * the decimal mark is ',' ("0,25" -> "0.25"); a '.' there is read as a decimal point only when it cannot be a thousands
 * separator: "1.250" could be 1250 or 1.25, so it is `ambiguous` and the caller quarantines the row rather than guess.
 */
export function readTivText(value: string, separator: SipriSeparator): TivText {
  if (/^\d+(\.\d+)?$/.test(value)) {
    if (separator === ';' && /^[1-9]\d{0,2}\.\d{3}$/.test(value)) return { ok: false, problem: 'ambiguous' };
    return { ok: true, text: value, decimalComma: false };
  }
  if (separator === ';' && /^\d+,\d+$/.test(value))
    return { ok: true, text: value.replace(',', '.'), decimalComma: true };
  const negative = separator === ';' ? /^-\s*\d+([.,]\d+)?$/ : /^-\s*\d+(\.\d+)?$/;
  return { ok: false, problem: negative.test(value) ? 'negative' : 'not_a_number' };
}

/** Why an ambiguous TIV (see readTivText) is not read. */
export function ambiguousTivMessage(value: string): string {
  const [whole, part] = value.split('.');
  return `"${value}" in a file separated by ";" may be ${whole}${part} (a "." grouping thousands) or ${whole}.${part} (a decimal point); the TIV is not guessed`;
}

/** A record holding nothing but empty cells (or a lone ';'). */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '' || field.trim() === ';');
}
