/**
 * What the national parsers share: the result and its per-sheet row accounting, row scopes that collect a row's
 * issues, acceptance through the record schema, provenance, CSV opening, and number/year readers.
 *
 * Error policy (framework.ts): nothing in a file's content throws. A file that cannot be read as a whole gets a
 * file-level error and no rows (`stats.refused = 1`); a bad row is quarantined with its issues; every row read is
 * accepted, quarantined or blank, per sheet and in total.
 */
import type { IngestIssue, IngestResult, QuarantinedRow } from '../../model/ingest.js';
import { NationalRecordSchema, type NationalRecord } from '../../model/national.js';
import type { Provenance } from '../../model/transfer.js';
import { AppError } from '../../model/errors.js';
import { splitCsvRecords, type PhysicalRecord } from '../csv-records.js';
import { decimalToString, parseDecimal } from '../decimal.js';
import {
  DEFAULT_INGEST_LIMITS,
  IssueCollector,
  assertRowAccounting,
  decodeText,
  emptyResult,
  findControlCharacter,
  looksBinary,
  refuse,
  sha256Hex,
  type IngestLimits,
} from '../framework.js';

export type NationalResult = IngestResult<NationalRecord>;

/** Years before this are impossible in these files (the Transfer model's lower bound). */
export const MIN_YEAR = 1900;
/** Upper bound when a file does not say when it was made (the Transfer model's upper bound). */
export const FALLBACK_MAX_YEAR = 2100;

/** One file being read. */
export class FileContext {
  readonly result: NationalResult;
  /** File-level issues (sheet null). */
  readonly issues: IssueCollector;
  readonly limits: IngestLimits;
  readonly importRunId: string | null;
  private readonly sheets: SheetContext[] = [];

  constructor(
    bytes: Uint8Array,
    readonly fileName: string,
    /** Provenance source: `national:fin`, `eu-coarm`, `national:gbr`. */
    readonly source: string,
    options: { importRunId?: string | null | undefined; limits?: Partial<IngestLimits> | undefined },
  ) {
    if (!(bytes instanceof Uint8Array)) {
      throw new AppError('validation', `${fileName}: expected the file's bytes as a Uint8Array`, {
        hint: 'read the file with fs.readFile and pass the Buffer',
      });
    }
    this.limits = { ...DEFAULT_INGEST_LIMITS, ...options.limits };
    this.importRunId = options.importRunId ?? null;
    this.issues = new IssueCollector(fileName);
    this.result = emptyResult<NationalRecord>(source, fileName, sha256Hex(bytes));
    this.result.stats.bytes = bytes.length;
  }

  /** A sheet (XLSX) or the whole file (CSV: sheet null) whose rows are counted on their own. */
  sheet(name: string | null): SheetContext {
    const sheet = new SheetContext(this, name);
    this.sheets.push(sheet);
    return sheet;
  }

  /** Records a file-level error and refuses the file (no rows at all). */
  refuse(code: string, message: string, hint: string, recordsNotRead = 0): NationalResult {
    this.issues.error(code, message, hint);
    return this.finish(true, recordsNotRead);
  }

  /** Gathers issues and counts, checks the accounting of every sheet and of the file. */
  finish(refused = false, recordsNotRead = 0): NationalResult {
    const { result } = this;
    result.issues = [...this.issues.issues, ...this.sheets.flatMap((sheet) => sheet.issues.issues)];
    if (refused) {
      for (const sheet of this.sheets) recordsNotRead += sheet.rowsRead;
      return refuse(result, recordsNotRead);
    }
    result.rowsRead = 0;
    result.accepted = [];
    result.quarantined = [];
    result.blank = 0;
    for (const sheet of this.sheets) {
      sheet.check();
      result.rowsRead += sheet.rowsRead;
      result.accepted.push(...sheet.accepted);
      result.quarantined.push(...sheet.quarantined);
      result.blank += sheet.blank;
      if (sheet.name !== null) {
        result.stats[`${sheet.name}.rowsRead`] = sheet.rowsRead;
        result.stats[`${sheet.name}.accepted`] = sheet.accepted.length;
        result.stats[`${sheet.name}.quarantined`] = sheet.quarantined.length;
        result.stats[`${sheet.name}.blank`] = sheet.blank;
      }
    }
    result.stats.rowsRead = result.rowsRead;
    result.stats.accepted = result.accepted.length;
    result.stats.quarantined = result.quarantined.length;
    result.stats.blank = result.blank;
    assertRowAccounting(result);
    return result;
  }

  count(key: string, by = 1): void {
    this.result.stats[key] = (this.result.stats[key] ?? 0) + by;
  }
}

/** Rows of one sheet: read = accepted + quarantined + blank holds here too. */
export class SheetContext {
  readonly issues: IssueCollector;
  readonly accepted: NationalRecord[] = [];
  readonly quarantined: QuarantinedRow[] = [];
  rowsRead = 0;
  blank = 0;

  constructor(
    readonly file: FileContext,
    readonly name: string | null,
  ) {
    this.issues = new IssueCollector(file.fileName, name);
  }

  /** Starts a row: counts it as read and collects its issues. */
  row(row: number): RowScope {
    this.rowsRead++;
    return new RowScope(this, row);
  }

  provenance(row: number): Provenance {
    return {
      source: this.file.source as Provenance['source'],
      fileName: this.file.fileName,
      fileSha256: this.file.result.fileSha256,
      row,
      sheet: this.name,
      importRunId: this.file.importRunId,
    };
  }

  check(): void {
    const { rowsRead, accepted, quarantined, blank } = this;
    if (rowsRead !== accepted.length + quarantined.length + blank) {
      throw new AppError(
        'internal',
        `row accounting broken for ${this.file.fileName}${this.name ? `, sheet "${this.name}"` : ''}: ${rowsRead} rows read but ${accepted.length} accepted + ${quarantined.length} quarantined + ${blank} blank`,
        {
          location: { file: this.file.fileName, ...(this.name ? { sheet: this.name } : {}) },
          hint: 'this is a bug in the parser: report it with the file',
        },
      );
    }
  }
}

/** One row being read: its issues, and how it ends (accepted, quarantined or blank, exactly once). */
export class RowScope {
  private readonly start: number;
  private settled = false;

  constructor(
    readonly sheet: SheetContext,
    readonly row: number,
  ) {
    this.start = sheet.issues.issues.length;
  }

  error(
    code: string,
    message: string,
    hint: string,
    column: string | null = null,
    value: string | null = null,
  ): void {
    this.sheet.issues.error(code, message, hint, { row: this.row, column, value });
  }

  warning(
    code: string,
    message: string,
    hint: string,
    column: string | null = null,
    value: string | null = null,
  ): void {
    this.sheet.issues.warning(code, message, hint, { row: this.row, column, value });
  }

  get rowIssues(): IngestIssue[] {
    return this.sheet.issues.issues.slice(this.start);
  }

  get failed(): boolean {
    return this.rowIssues.some((issue) => issue.severity === 'error');
  }

  provenance(): Provenance {
    return this.sheet.provenance(this.row);
  }

  blank(): void {
    this.settle();
    this.sheet.blank++;
  }

  quarantine(raw: QuarantinedRow['raw']): void {
    this.settle();
    this.sheet.quarantined.push({ row: this.row, sheet: this.sheet.name, raw, issues: this.rowIssues });
  }

  /** Accepts the record when the row has no error and the record passes its schema; quarantines it otherwise. */
  finish(candidate: unknown, raw: QuarantinedRow['raw']): NationalRecord | undefined {
    if (candidate === undefined || this.failed) {
      if (!this.failed)
        this.error(
          'row_not_read',
          'the row could not be read',
          'this is a parser bug: report it with the file',
        );
      this.quarantine(raw);
      return undefined;
    }
    const parsed = NationalRecordSchema.safeParse(candidate);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      this.error(
        'schema_violation',
        `the row does not make a valid record (${problems})`,
        'this is a parser bug or a very unusual value: report it with the file',
      );
      this.quarantine(raw);
      return undefined;
    }
    this.settle();
    this.sheet.accepted.push(parsed.data);
    return parsed.data;
  }

  private settle(): void {
    if (this.settled)
      throw new AppError('internal', `row ${this.row} was settled twice`, {
        hint: 'this is a bug in the parser: report it with the file',
      });
    this.settled = true;
  }
}

/** Flags cells that are too long or hold control characters; true when all are fine. */
export function checkCells(
  scope: RowScope,
  cells: ReadonlyArray<readonly [column: string, value: string]>,
  limits: IngestLimits,
): boolean {
  let ok = true;
  for (const [column, value] of cells) {
    if (value.length > limits.maxCellChars) {
      scope.error(
        'cell_too_long',
        `the cell has ${value.length} characters, more than the limit of ${limits.maxCellChars}`,
        'correct the file: no cell of this source is that long',
        column,
        value,
      );
      ok = false;
      continue;
    }
    const control = findControlCharacter(value);
    if (control !== undefined) {
      const code = control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      scope.error(
        'control_character',
        `the cell holds the control character U+${code}`,
        'the file is damaged or not in the encoding it claims: obtain it again',
        column,
        value,
      );
      ok = false;
    }
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV files

/** Checks size, emptiness, encoding and binary content, then splits records; undefined when the file was refused. */
export function openCsv(
  bytes: Uint8Array,
  context: FileContext,
  fileHint: string,
): PhysicalRecord[] | undefined {
  const { limits, issues, result } = context;
  if (bytes.length > limits.maxFileBytes) {
    context.refuse(
      'file_too_large',
      `the file has ${bytes.length} bytes, more than the limit of ${limits.maxFileBytes}`,
      `check that this is the right file (these tables are a few hundred kB); ${fileHint}`,
    );
    return undefined;
  }
  if (bytes.length === 0) {
    context.refuse('empty_file', 'the file is empty', fileHint);
    return undefined;
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    context.refuse(
      'not_csv',
      'the file is a ZIP archive or an XLSX workbook, not a CSV text file',
      `save the table as CSV (UTF-8); ${fileHint}`,
    );
    return undefined;
  }
  const decoded = decodeText(bytes, issues);
  result.metadata.encoding = decoded.encoding;
  if (looksBinary(decoded.text)) {
    context.refuse(
      'binary_file',
      'the file is not text (it holds NUL or control bytes)',
      `save the table as CSV (UTF-8); ${fileHint}`,
    );
    return undefined;
  }
  if (decoded.text.trim() === '') {
    context.refuse('empty_file', 'the file holds only blank lines', fileHint);
    return undefined;
  }
  const records = splitCsvRecords(decoded.text, { maxQuotedChars: limits.maxCellChars });
  result.stats.physicalLines = records.length === 0 ? 0 : records[records.length - 1]!.endLine;
  return records;
}

export function isBlankFields(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

/** Keys fields by column label for a quarantined row (extra fields get "(extra n)"). */
export function rawByLabel(fields: readonly string[], labels: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  fields.forEach((field, index) => {
    raw[labels[index] ?? `(extra ${index + 1 - labels.length})`] = field;
  });
  for (let index = fields.length; index < labels.length; index++) raw[labels[index]!] = '';
  return raw;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers and years written as text

/** A whole count (licences, consultations) or undefined after an issue; empty -> null. */
export function readCount(
  scope: RowScope,
  column: string,
  text: string,
  hint: string,
): number | null | undefined {
  const value = text.trim();
  if (value === '') return null;
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (/^\d{1,15}\.0+$/.test(value)) return Number(value.replace(/\.0+$/, ''));
  if (/^-\s*\d+(\.\d+)?$/.test(value))
    scope.error('negative_number', `"${value}" is negative; a count cannot be`, hint, column, value);
  else if (/^\d+\.\d+$/.test(value))
    scope.error('not_an_integer', `"${value}" is not a whole number`, hint, column, value);
  else scope.error('not_a_number', `"${value}" is not a number`, hint, column, value);
  return undefined;
}

/** A non-negative decimal as canonical text ("30000.0" -> "30000"), or undefined after an issue; empty -> null. */
export function readDecimal(
  scope: RowScope,
  column: string,
  text: string,
  hint: string,
): string | null | undefined {
  const value = text.trim();
  if (value === '') return null;
  if (/^\d{1,18}(\.\d{1,12})?$/.test(value)) return decimalToString(parseDecimal(value));
  if (/^-\s*\d+(\.\d+)?$/.test(value))
    scope.error('negative_number', `"${value}" is negative; a value cannot be`, hint, column, value);
  else scope.error('not_a_number', `"${value}" is not a number such as 1200.5`, hint, column, value);
  return undefined;
}

/** A calendar year between minYear (default MIN_YEAR) and maxYear, or undefined after an issue. */
export function readYear(
  scope: RowScope,
  column: string,
  value: string | number | null,
  maxYear: number,
  hint: string,
  minYear = MIN_YEAR,
): number | undefined {
  if (value === null || (typeof value === 'string' && value.trim() === '')) {
    scope.error('missing_value', 'the year is empty', hint, column, null);
    return undefined;
  }
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^\d{4}$/.test(text)) {
    scope.error('not_a_year', `"${text}" is not a year such as 2019`, hint, column, text);
    return undefined;
  }
  const year = Number(text);
  if (year < minYear || year > maxYear) {
    scope.error(
      'impossible_year',
      `year ${year} is ${year < minYear ? `before ${minYear}` : `after ${maxYear}`}`,
      hint,
      column,
      text,
    );
    return undefined;
  }
  return year;
}

/** The text of a cell, trimmed, or null when empty. */
export function textOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
