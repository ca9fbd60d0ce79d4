/**
 * SIPRI Arms Transfers Database trade registers -> Transfer rows.
 *
 * Both export layouts are read (detected from the header line; see layouts.ts):
 * - delivery rows: one row per deal x delivery year. `year` = the delivery year, `deliveryYears` = [year],
 *   `sourceRecordId` = SIPRI AT Database ID, `categoryCode` = armament category, `tivDelivered` = that year's TIV.
 * - deal rows (classic): one row per deal, with no id and no armament category (`categoryCode` null; the weapon
 *   description is kept). `deliveryYears` lists every delivery year and `tivDelivered` is the TIV of the whole deal
 *   (within the export's year range). Year rule: `year` is set only when it is true of the whole row, i.e. when the deal
 *   was delivered in exactly one year; with several years `year` is null, `yearMissingReason` 'aggregated' (place the
 *   TIV with tiv-table.ts's `classicYearRule`); with none `year` is null, `yearMissingReason` 'not_yet_available'.
 *
 * SIPRI's zero: a TIV of "0" means more than 0 and less than 0.5 million and stays the string "0"; an empty TIV means
 * no deliveries identified and becomes null (the Transfer model has no TIV missing-reason field: the reason is
 * SIPRI's convention, stated here and in metadata `tivConvention`). Note that classic exports write "0" (not empty) for
 * deals with nothing delivered yet; such rows have no delivery year and are counted in stats `tivZeroWithoutDelivery`.
 * TIVs are kept as the exact decimal text of the file, never floats.
 *
 * Error policy: see framework.ts (content never throws; a file-level error refuses the whole file, a bad row is
 * quarantined with its issues).
 */
import type { z } from '@hono/zod-openapi';
import type { IngestIssue, IngestResult, QuarantinedRow } from '../../model/ingest.js';
import { isValidTransfer, TransferSchema, type Transfer } from '../../model/transfer.js';
import type { PhysicalRecord } from '../csv-records.js';
import {
  assertRowAccounting,
  findControlCharacter,
  refuse,
  unknownStateHint,
  type IngestLimits,
  type IssueCollector,
  type StateLookup,
} from '../framework.js';
import { CATEGORY_SPELLINGS, DEAL_ROWS, DELIVERY_ROWS, type ColumnSpec, type LayoutSpec } from './layouts.js';
import {
  SIPRI_SOURCE,
  ambiguousTivMessage,
  headerKey,
  isBlankRecord,
  openSipriFile,
  readPreamble,
  readTivText,
  type SipriSeparator,
} from './sipri-file.js';

export interface SipriParseOptions {
  /** The file's name as the user gave it (kept in provenance and every issue). */
  fileName: string;
  /** Maps SIPRI's Supplier/Recipient names to crosswalk ids (built from data/reference). */
  lookup: StateLookup;
  importRunId?: string | null;
  /** Overrides of DEFAULT_INGEST_LIMITS (tests use small ones). */
  limits?: Partial<IngestLimits>;
}

/** Years before this are impossible in SIPRI data (its records start in 1950, orders in the 1940s). */
export const MIN_YEAR = 1900;
/** Upper bound when the release date is unknown (the Transfer model's own bound). */
export const FALLBACK_MAX_YEAR = 2100;

const FILE_HINT =
  'export the trade register from SIPRI again (https://armstransfers.sipri.org) and import the file unchanged';

/** Parses a SIPRI trade register export (either layout). Pure: bytes in, result out. */
export function parseSipriRegister(bytes: Uint8Array, options: SipriParseOptions): IngestResult<Transfer> {
  const reading = readSipriRegister(bytes, options);
  for (const _transfer of reading.transfers) {
    // Reading each row fills in the result.
  }
  return reading.result;
}

/** A register whose file-level checks are done and whose rows are read one by one as `transfers` is iterated. */
export interface SipriRegisterReading {
  /**
   * The result so far: file-level issues, metadata, and for a refused file everything (no rows). Each row read adds to
   * it; once `transfers` has been iterated to the end it is complete and its row accounting checked.
   */
  result: IngestResult<Transfer>;
  /** Rows still to read (blank ones included): for progress. */
  rowsToRead: number;
  /** The accepted transfers in file order, each yielded as its row is read (and also kept in result.accepted). */
  transfers: Iterable<Transfer>;
}

/**
 * Does everything that can refuse the whole file (size, encoding, header, columns, truncation, no data) at once, and
 * leaves the rows to be read as `transfers` is iterated, so that a caller can store each accepted row while the next
 * ones are read. Whatever is decided about the file as a whole is decided before the first row is read: no row makes
 * the file refused afterwards. Pure: bytes in, result out.
 */
export function readSipriRegister(bytes: Uint8Array, options: SipriParseOptions): SipriRegisterReading {
  const opened = openSipriFile<Transfer>(bytes, options.fileName, options.limits);
  const { result, issues, records, limits, header, separator } = opened;
  const refused = (): SipriRegisterReading => ({ result: finish(result), rowsToRead: 0, transfers: [] });
  if (result.stats.refused === 1) return refused();

  if (!header || header.kind === 'tiv-table') {
    if (header?.kind === 'tiv-table') {
      issues.error(
        'wrong_file_kind',
        'this is a SIPRI TIV table (a year per column), not a trade register',
        'import it as a TIV table (parseSipriTivTable), or export the trade register instead',
      );
    } else {
      issues.error(
        'header_not_found',
        `no SIPRI trade register header in the first ${Math.min(records.length, 40)} lines: expected one naming SIPRI's columns, such as "SIPRI AT Database ID,Supplier,Recipient,..." or "Recipient,Supplier,Year of order,..." (separated by "," or ";")`,
        FILE_HINT,
      );
    }
    refuse(result, records.length);
    return refused();
  }
  const layout = header.kind === 'delivery-rows' ? DELIVERY_ROWS : DEAL_ROWS;
  const headerRecord = records[header.index]!;
  result.metadata.layout = layout.layout;
  result.stats.preambleLines = headerRecord.line - 1;
  result.stats.headerLine = headerRecord.line;
  const generatedYear = readPreamble(records, header.index, result.metadata, issues);
  const maxYear = generatedYear === undefined ? FALLBACK_MAX_YEAR : generatedYear + 1;
  result.metadata.tivConvention =
    'TIV in millions; "0" = more than 0 and less than 0.5; empty = no deliveries identified';
  if (layout.unmapped.length > 0) result.metadata.unmappedColumns = layout.unmapped.join('; ');

  const dataRecords = records.slice(header.index + 1);
  const columns = resolveColumns(headerRecord.fields, layout, issues, separator);
  if (!columns) {
    refuse(result, dataRecords.length);
    return refused();
  }
  result.stats.columns = columns.labels.length;

  const rows = assembleRows(dataRecords, columns, layout, issues, result.stats);
  const last = rows[rows.length - 1];
  if (last && isTruncated(last, columns)) {
    issues.error(
      'truncated_file',
      `the file ends in the middle of a row (line ${last.endLine} has ${last.fields.length} of ${columns.labels.length} fields${last.missingSemicolon ? ', without the ";" every other line ends with' : ''} and no line end)`,
      'the download or copy was cut short: export or copy the file again',
      { value: last.raw },
    );
    refuse(result, dataRecords.length);
    return refused();
  }
  if (!rows.some((row) => !row.blank)) {
    issues.error(
      'no_data_rows',
      'the file has a header but no data rows',
      'check the selection made on the SIPRI website and export again',
    );
    refuse(result, dataRecords.length);
    return refused();
  }

  const context: RowContext = {
    issues,
    lookup: options.lookup,
    columns,
    layout,
    limits,
    maxYear,
    result,
    importRunId: options.importRunId ?? null,
    seen: new Map(),
    seenLines: new Map(),
    categorySpellings: new Map(),
  };
  return { result, rowsToRead: rows.length, transfers: readRows(rows, context) };
}

function* readRows(rows: AssembledRow[], context: RowContext): Generator<Transfer, void, undefined> {
  const { result } = context;
  for (const row of rows) {
    result.rowsRead++;
    if (row.blank) {
      result.blank++;
      continue;
    }
    const accepted = readRow(row, context);
    if (accepted) yield accepted;
  }
  reportCategorySpellings(context);
  result.stats.rowsRead = result.rowsRead;
  result.stats.accepted = result.accepted.length;
  result.stats.quarantined = result.quarantined.length;
  result.stats.blank = result.blank;
  finish(result);
}

function finish(result: IngestResult<Transfer>): IngestResult<Transfer> {
  assertRowAccounting(result);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Header

interface ResolvedColumns {
  /** Column key -> position in the row. */
  index: Map<string, number>;
  /** A unique label per position, used in issues and as the keys of quarantined raw rows. */
  labels: string[];
  separator: SipriSeparator;
  /**
   * The header ends with a stray ';' (a re-saved file): one ';' is stripped from every line (with ';' as the
   * separator, the empty field after it).
   */
  trailingSemicolon: boolean;
  /** The position of a column whose header cell (and so every cell) carries the stray ';', moved from the line end. */
  movedSemicolon: number | null;
  /** Positions of free-text columns (where a record may be broken by a newline). */
  freeText: Set<number>;
}

function resolveColumns(
  fields: readonly string[],
  layout: LayoutSpec,
  issues: IssueCollector,
  separator: SipriSeparator,
): ResolvedColumns | undefined {
  const lastCell = fields[fields.length - 1] ?? '';
  const trailingSemicolon =
    separator === ';' ? fields.length > 1 && lastCell.trim() === '' : /;\s*$/.test(lastCell);
  const headerFields = separator === ';' && trailingSemicolon ? fields.slice(0, -1) : fields;
  // The stray ';' of a re-saved file belongs to the cell it ended: when the columns were reordered afterwards, it is
  // found in the middle of every line, with its column ("Local production;" in the header, "No;" in the rows).
  const movedSemicolon =
    separator === ',' && !trailingSemicolon
      ? fields.findIndex((cell, position) => position < fields.length - 1 && /;\s*$/.test(cell))
      : -1;
  const byName = new Map<string, ColumnSpec>();
  const byKey = new Map<string, ColumnSpec>();
  const flagFor = new Map<string, ColumnSpec>();
  for (const spec of layout.columns) {
    byKey.set(spec.key, spec);
    if (spec.flagOf) flagFor.set(spec.flagOf, spec);
    else byName.set(headerKey(spec.name), spec);
  }
  const index = new Map<string, number>();
  const keyAt: (string | undefined)[] = [];
  const labels: string[] = [];
  const freeText = new Set<number>();
  let failed = false;
  const uniqueLabel = (label: string) => {
    let candidate = label;
    for (let n = 2; labels.includes(candidate); n++) candidate = `${label} (${n})`;
    return candidate;
  };
  headerFields.forEach((cell, position) => {
    const key = headerKey(cell);
    const shown = cell
      .replace(/^\uFEFF/, '')
      .replace(/;\s*$/, '')
      .trim();
    if (key === '') {
      const previous = keyAt[position - 1];
      const flag = previous === undefined ? undefined : flagFor.get(previous);
      if (flag && !index.has(flag.key)) {
        index.set(flag.key, position);
        keyAt.push(flag.key);
        labels.push(uniqueLabel(`? flag of ${labels[position - 1] ?? previous}`));
        return;
      }
      keyAt.push(undefined);
      labels.push(uniqueLabel(`(unnamed column ${position + 1})`));
      issues.warning(
        'unexpected_blank_column',
        `column ${position + 1} has no name and does not follow a column that SIPRI flags with '?'; it is ignored`,
        'check that the header was not edited; the column is kept only in quarantined rows',
        { column: labels[position]! },
      );
      return;
    }
    const renamedKey = layout.renames[key];
    const spec = byName.get(key) ?? (renamedKey ? byKey.get(renamedKey) : undefined);
    if (!spec) {
      keyAt.push(undefined);
      labels.push(uniqueLabel(shown));
      issues.warning(
        'unknown_column',
        `not part of SIPRI's ${layout.layout} layout; the column is ignored`,
        'nothing to do if SIPRI added a column; otherwise check the header',
        {
          column: shown,
          value: shown,
        },
      );
      return;
    }
    if (index.has(spec.key)) {
      keyAt.push(undefined);
      labels.push(uniqueLabel(shown));
      failed = true;
      issues.error(
        'duplicate_column',
        `the column appears twice in the header (columns ${index.get(spec.key)! + 1} and ${position + 1})`,
        'remove the duplicated column or export the file from SIPRI again',
        {
          column: shown,
          value: shown,
        },
      );
      return;
    }
    if (renamedKey && !byName.has(key)) {
      issues.warning(
        'renamed_column',
        `read as "${spec.name}" (a known rename in some SIPRI exports)`,
        'nothing to do; the selection text in the preamble says which years the figures cover',
        {
          column: shown,
          value: shown,
        },
      );
    }
    index.set(spec.key, position);
    keyAt.push(spec.key);
    labels.push(uniqueLabel(shown));
    if (spec.freeText) freeText.add(position);
  });
  for (const spec of layout.columns) {
    if (index.has(spec.key)) continue;
    const name = spec.flagOf
      ? `the unnamed '?' column after "${byKey.get(spec.flagOf)?.name ?? spec.flagOf}"`
      : 'this column';
    if (spec.required) {
      failed = true;
      issues.error(
        'missing_column',
        `the header lacks ${name}, which the ${layout.layout} layout needs`,
        FILE_HINT,
        { column: spec.flagOf ? null : spec.name },
      );
    } else {
      issues.warning(
        'missing_optional_column',
        `the header lacks ${name}; its field is left empty`,
        'nothing to do if SIPRI dropped the column; otherwise export the file again',
        {
          column: spec.flagOf ? null : spec.name,
        },
      );
    }
  }
  return failed
    ? undefined
    : { index, labels, separator, trailingSemicolon, movedSemicolon: movedSemicolon >= 0 ? movedSemicolon : null, freeText };
}

// ---------------------------------------------------------------------------------------------------------------
// Records -> rows (rejoining deals broken over two lines)

interface AssembledRow {
  fields: string[];
  line: number;
  endLine: number;
  raw: string;
  blank: boolean;
  rejoined: boolean;
  /** The row's last physical line had no line end (it runs to the end of the file). */
  unterminated: boolean;
  quoteProblem: boolean;
  /** The layout ends every line with ';' but this row's last line does not. */
  missingSemicolon: boolean;
}

function stripSemicolon(
  record: PhysicalRecord,
  columns: ResolvedColumns,
  stats: Record<string, number>,
): { fields: string[]; missing: boolean } {
  if (columns.movedSemicolon !== null) {
    const position = columns.movedSemicolon;
    const cell = record.fields[position];
    if (cell === undefined || !/;\s*$/.test(cell)) return { fields: record.fields, missing: false };
    const fields = record.fields.slice();
    fields[position] = cell.replace(/;\s*$/, '');
    stats.trailingSemicolonsStripped = (stats.trailingSemicolonsStripped ?? 0) + 1;
    return { fields, missing: false };
  }
  if (!columns.trailingSemicolon) return { fields: record.fields, missing: false };
  if (columns.separator === ';') {
    // The line's last ';' is a separator: the empty field after it goes.
    if (record.fields.length > 1 && record.fields[record.fields.length - 1]!.trim() === '') {
      stats.trailingSemicolonsStripped = (stats.trailingSemicolonsStripped ?? 0) + 1;
      return { fields: record.fields.slice(0, -1), missing: false };
    }
    return { fields: record.fields, missing: true };
  }
  const fields = record.fields.slice();
  const lastIndex = fields.length - 1;
  const lastField = fields[lastIndex] ?? '';
  if (/;\s*$/.test(lastField)) {
    fields[lastIndex] = lastField.replace(/;\s*$/, '');
    stats.trailingSemicolonsStripped = (stats.trailingSemicolonsStripped ?? 0) + 1;
    return { fields, missing: false };
  }
  return { fields, missing: true };
}

function assembleRows(
  records: readonly PhysicalRecord[],
  columns: ResolvedColumns,
  layout: LayoutSpec,
  issues: IssueCollector,
  stats: Record<string, number>,
): AssembledRow[] {
  const expected = columns.labels.length;
  const rows: AssembledRow[] = [];
  stats.rejoinedRows = 0;
  for (let k = 0; k < records.length; k++) {
    const record = records[k]!;
    const first = stripSemicolon(record, columns, stats);
    const base: AssembledRow = {
      fields: first.fields,
      line: record.line,
      endLine: record.endLine,
      raw: record.raw,
      blank: isBlankRecord(record.fields),
      rejoined: false,
      unterminated: !record.terminated,
      quoteProblem: record.quoteProblem,
      missingSemicolon: first.missing,
    };
    if (!base.blank && base.fields.length < expected && columns.freeText.has(base.fields.length - 1)) {
      // A newline inside a free-text cell: the next line(s) hold the rest of the cell and the remaining fields.
      let fields = base.fields;
      let j = k + 1;
      let last = record;
      let missing = first.missing;
      while (fields.length < expected && j < records.length) {
        const next = records[j]!;
        if (isBlankRecord(next.fields)) break;
        const part = stripSemicolon(next, columns, stats);
        const joined = [
          ...fields.slice(0, -1),
          `${fields[fields.length - 1] ?? ''}\n${part.fields[0] ?? ''}`,
          ...part.fields.slice(1),
        ];
        if (joined.length > expected) break;
        fields = joined;
        last = next;
        missing = part.missing;
        j++;
      }
      if (fields.length === expected && j > k + 1) {
        base.fields = fields;
        base.endLine = last.endLine;
        base.raw = records
          .slice(k, j)
          .map((r) => r.raw)
          .join('\n');
        base.rejoined = true;
        base.unterminated = !last.terminated;
        base.quoteProblem = records.slice(k, j).some((r) => r.quoteProblem);
        base.missingSemicolon = missing;
        stats.rejoinedRows++;
        issues.warning(
          'rejoined_lines',
          `lines ${record.line}-${last.endLine} are one ${layout.layout === 'deal-rows' ? 'deal' : 'record'} broken by a newline inside column "${columns.labels[record.fields.length - 1]}"; they were read as one row`,
          'nothing to do; the newline is kept inside the text',
          { row: record.line, column: columns.labels[record.fields.length - 1] ?? null },
        );
        k = j - 1;
      }
    }
    rows.push(base);
  }
  return rows;
}

function isTruncated(row: AssembledRow, columns: ResolvedColumns): boolean {
  if (!row.unterminated || row.blank) return false;
  return row.fields.length < columns.labels.length || row.quoteProblem || row.missingSemicolon;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows -> Transfers

interface RowContext {
  issues: IssueCollector;
  lookup: StateLookup;
  columns: ResolvedColumns;
  layout: LayoutSpec;
  limits: IngestLimits;
  maxYear: number;
  result: IngestResult<Transfer>;
  importRunId: string | null;
  /** Delivery rows: `id|year` -> first row, to refuse a repeated record. */
  seen: Map<string, number>;
  /** Deal rows: whole text -> first row, to warn about identical rows. */
  seenLines: Map<string, number>;
  /** Older armament category spellings read (as written) -> rows and first row. */
  categorySpellings: Map<string, { current: string; rows: number; firstRow: number }>;
}

/** Reads, checks and converts the cells of one row; every problem becomes an issue on that row. */
class RowReader {
  constructor(
    private readonly context: RowContext,
    private readonly row: AssembledRow,
  ) {}

  private position(key: string): number | undefined {
    return this.context.columns.index.get(key);
  }

  label(key: string): string {
    const position = this.position(key);
    return position === undefined ? key : (this.context.columns.labels[position] ?? key);
  }

  /** The trimmed cell, or null when empty or when the layout has no such column. */
  cell(key: string): string | null {
    const position = this.position(key);
    if (position === undefined) return null;
    const value = (this.row.fields[position] ?? '').trim();
    return value === '' ? null : value;
  }

  error(key: string | null, code: string, message: string, hint: string, value: string | null): void {
    this.context.issues.error(code, message, hint, {
      row: this.row.line,
      column: key === null ? null : this.label(key),
      value,
    });
  }

  year(key: string, required: boolean): number | null {
    const value = this.cell(key);
    if (value === null) {
      if (required) this.error(key, 'missing_value', 'the year is empty', FILE_HINT, null);
      return null;
    }
    return this.checkYear(key, value, value);
  }

  checkYear(key: string, text: string, value: string): number | null {
    if (!/^\d{4}$/.test(text)) {
      this.error(
        key,
        'not_a_year',
        `"${text}" is not a year such as 2019`,
        'correct the cell or export the file from SIPRI again',
        value,
      );
      return null;
    }
    const year = Number(text);
    if (year < MIN_YEAR || year > this.context.maxYear) {
      const release = this.context.result.metadata.dataGenerated;
      const bound =
        year < MIN_YEAR
          ? `before ${MIN_YEAR}`
          : release
            ? `after ${this.context.maxYear} (the file was generated on ${release})`
            : `after ${this.context.maxYear}`;
      this.error(
        key,
        'impossible_year',
        `year ${year} is ${bound}`,
        'correct the cell or export the file from SIPRI again',
        value,
      );
      return null;
    }
    return year;
  }

  /** Delivery years of a deal row: a '; ' list, possibly empty (nothing delivered yet). */
  yearList(key: string): number[] | null {
    const value = this.cell(key);
    if (value === null) return [];
    const years: number[] = [];
    let ok = true;
    for (const part of value.split(';').map((p) => p.trim())) {
      if (part === '') continue;
      const year = this.checkYear(key, part, value);
      if (year === null) ok = false;
      else years.push(year);
    }
    return ok ? years : null;
  }

  count(key: string): number | null {
    const value = this.cell(key);
    if (value === null) return null;
    if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
    if (/^-\s*\d+(\.\d+)?$/.test(value))
      this.error(
        key,
        'negative_number',
        `"${value}" is negative; a count cannot be`,
        'correct the cell or export the file from SIPRI again',
        value,
      );
    else if (/^\d+\.\d+$/.test(value))
      this.error(
        key,
        'not_an_integer',
        `"${value}" is not a whole number`,
        'correct the cell or export the file from SIPRI again',
        value,
      );
    else
      this.error(
        key,
        'not_a_number',
        `"${value}" is not a number`,
        'correct the cell or export the file from SIPRI again',
        value,
      );
    return null;
  }

  /** A TIV as exact decimal text (never a float); a decimal comma of a ';'-separated file becomes a point. */
  tiv(key: string): string | null | undefined {
    const value = this.cell(key);
    if (value === null) return null;
    const separator = this.context.columns.separator;
    const read = readTivText(value, separator);
    if (read.ok) {
      if (read.decimalComma) countStat(this.context, 'decimalCommasRead');
      return read.text;
    }
    if (read.problem === 'negative')
      this.error(
        key,
        'negative_number',
        `"${value}" is negative; a TIV cannot be`,
        'correct the cell or export the file from SIPRI again',
        value,
      );
    else if (read.problem === 'ambiguous')
      this.error(
        key,
        'ambiguous_decimal',
        ambiguousTivMessage(value),
        'export the file from SIPRI again and import it unchanged (SIPRI writes "," between fields and "." as the decimal point)',
        value,
      );
    else
      this.error(
        key,
        'not_a_number',
        `"${value}" is not a number such as ${separator === ';' ? '12,5' : '12.5'}`,
        'correct the cell or export the file from SIPRI again',
        value,
      );
    return undefined;
  }

  /** A classic '?' flag column: '?' or empty. */
  questionFlag(key: string): boolean {
    const value = this.cell(key);
    if (value === null) return false;
    if (value === '?') return true;
    this.error(
      key,
      'invalid_flag',
      `"${value}" is not '?' or empty`,
      'correct the cell or export the file from SIPRI again',
      value,
    );
    return false;
  }

  /** A Yes/No column; empty -> null. */
  yesNo(key: string): boolean | null {
    const value = this.cell(key);
    if (value === null) return null;
    const folded = value.toLowerCase();
    if (folded === 'yes') return true;
    if (folded === 'no') return false;
    this.error(
      key,
      'invalid_flag',
      `"${value}" is not Yes or No`,
      'correct the cell or export the file from SIPRI again',
      value,
    );
    return null;
  }

  state(key: string): string | null {
    const value = this.cell(key);
    if (value === null) {
      this.error(
        key,
        'missing_value',
        'the name is empty',
        'fill in the name (SIPRI writes "unknown supplier(s)" / "unknown recipient(s)" when unknown)',
        null,
      );
      return null;
    }
    const found = this.context.lookup.resolve(value, SIPRI_SOURCE);
    if (!found) {
      this.error(
        key,
        'unknown_state',
        `"${value}" is not a known State or party`,
        unknownStateHint(SIPRI_SOURCE),
        value,
      );
      return null;
    }
    return found.stateId;
  }
}

type TransferInput = z.input<typeof TransferSchema>;

/** Reads one row: accepted (returned, and kept in the result) or quarantined with its issues (undefined). */
function readRow(row: AssembledRow, context: RowContext): Transfer | undefined {
  const { issues, columns, result, limits } = context;
  const before = issues.issues.length;
  const reader = new RowReader(context, row);
  const expected = columns.labels.length;

  if (row.fields.length !== expected) {
    reader.error(
      null,
      'wrong_field_count',
      `the row has ${row.fields.length} fields but the header has ${expected}${row.quoteProblem ? ' (a quote did not close)' : ''}`,
      'a comma or a line break inside a cell broke the row: correct the file or export it again',
      row.raw,
    );
    quarantine(row, context, before, row.fields.slice());
    return undefined;
  }
  // Every cell is a part of the row's text (a rejoined row adds only line breaks), so when that text is short enough
  // and free of control characters, so is every cell: the check per cell is needed only when the row's text fails.
  const rowTextPasses = row.raw.length <= limits.maxCellChars && findControlCharacter(row.raw) === undefined;
  if (!rowTextPasses) {
    row.fields.forEach((field, position) => {
      const column = columns.labels[position] ?? null;
      if (field.length > limits.maxCellChars) {
        issues.error(
          'cell_too_long',
          `the cell has ${field.length} characters, more than the limit of ${limits.maxCellChars}`,
          'correct the file; SIPRI cells are short',
          { row: row.line, column, value: field },
        );
      } else {
        const control = findControlCharacter(field);
        if (control !== undefined) {
          const code = control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
          issues.error(
            'control_character',
            `the cell holds the control character U+${code}`,
            'the file is damaged or not in the encoding it claims: export it again',
            { row: row.line, column, value: field },
          );
        }
      }
    });
  }
  if (issues.issues.length > before) {
    quarantine(row, context, before, rawRecord(row, columns));
    return undefined;
  }

  const candidate =
    context.layout.layout === 'delivery-rows'
      ? deliveryRow(reader, row, context)
      : dealRow(reader, row, context);
  let rowErrors = false;
  for (let i = before; i < issues.issues.length; i++) {
    if (issues.issues[i]!.severity === 'error') rowErrors = true;
  }
  if (!candidate || rowErrors) {
    quarantine(row, context, before, rawRecord(row, columns));
    return undefined;
  }
  // The quick check is never more lenient than the schema; when it says no, the schema decides and explains.
  if (isValidTransfer(candidate)) {
    result.accepted.push(candidate);
    return candidate;
  }
  const parsed = TransferSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    issues.error(
      'schema_violation',
      `the row does not make a valid Transfer (${problems})`,
      'this is a parser bug or a very unusual value: report it with the file',
      { row: row.line, value: row.raw },
    );
    quarantine(row, context, before, rawRecord(row, columns));
    return undefined;
  }
  result.accepted.push(parsed.data);
  return parsed.data;
}

function rawRecord(row: AssembledRow, columns: ResolvedColumns): Record<string, string> {
  const raw: Record<string, string> = {};
  columns.labels.forEach((label, position) => {
    raw[label] = row.fields[position] ?? '';
  });
  return raw;
}

function quarantine(
  row: AssembledRow,
  context: RowContext,
  before: number,
  raw: QuarantinedRow['raw'],
): void {
  const rowIssues: IngestIssue[] = context.issues.issues.slice(before);
  context.result.quarantined.push({ row: row.line, sheet: null, raw, issues: rowIssues });
}

function provenance(row: AssembledRow, context: RowContext): TransferInput['provenance'] {
  return {
    source: SIPRI_SOURCE,
    fileName: context.result.fileName,
    fileSha256: context.result.fileSha256,
    row: row.line,
    sheet: null,
    importRunId: context.importRunId,
  };
}

function countStat(context: RowContext, key: string): void {
  context.result.stats[key] = (context.result.stats[key] ?? 0) + 1;
}

function deliveryRow(reader: RowReader, row: AssembledRow, context: RowContext): TransferInput | undefined {
  const recordId = reader.cell('recordId');
  if (recordId === null)
    reader.error('recordId', 'missing_value', 'the SIPRI AT Database ID is empty', FILE_HINT, null);
  else if (!/^\d+$/.test(recordId))
    reader.error(
      'recordId',
      'not_a_number',
      `"${recordId}" is not a SIPRI AT Database ID (a whole number)`,
      FILE_HINT,
      recordId,
    );
  const exporterId = reader.state('supplier');
  const importerId = reader.state('recipient');
  const orderYear = reader.year('orderYear', false);
  const year = reader.year('deliveryYear', true);
  const numberOfItems = reader.count('numberDelivered');
  const tivDelivered = reader.tiv('tivDelivered');
  const tivPerUnit = reader.tiv('tivPerUnit');
  reader.tiv('sipriEstimate'); // checked, not mapped (layouts.ts)
  const uncertain: string[] = [];
  if (reader.yesNo('orderYearEstimate')) uncertain.push('orderYear');
  if (reader.yesNo('numberDeliveredEstimate')) uncertain.push('numberOfItems');
  if (reader.yesNo('deliveryYearEstimate')) uncertain.push('year');
  const localProduction = reader.yesNo('localProduction');
  if (recordId !== null && year !== null) {
    const key = `${recordId}|${year}`;
    const first = context.seen.get(key);
    if (first !== undefined) {
      reader.error(
        'recordId',
        'duplicate_record',
        `SIPRI AT Database ID ${recordId} with delivery year ${year} already appears on row ${first}`,
        'remove the repeated line or export the file again',
        recordId,
      );
    } else context.seen.set(key, row.line);
  }
  if (
    exporterId === null ||
    importerId === null ||
    year === null ||
    tivDelivered === undefined ||
    tivPerUnit === undefined ||
    recordId === null
  )
    return undefined;
  tivStats(context, tivDelivered, [year]);
  return {
    source: SIPRI_SOURCE,
    sourceRecordId: recordId,
    exporterId,
    importerId,
    partnerAggregated: false,
    year,
    yearMissingReason: null,
    deliveryYears: [year],
    orderYear,
    categoryScheme: 'sipri',
    categoryCode: currentCategory(reader.cell('category'), row, context),
    subcategoryCode: null,
    description: reader.cell('description'),
    designation: reader.cell('designation'),
    comments: null,
    basis: 'delivered',
    numberOfItems,
    numberOfItemsMissingReason: numberOfItems === null ? 'not_reported' : null,
    numberOrdered: null,
    value: null,
    currency: null,
    valueMissingReason: 'not_applicable',
    tivDelivered,
    tivPerUnit,
    tivTotalOrder: null,
    endUser: null,
    endUse: null,
    status: reader.cell('status'),
    localProduction,
    uncertain,
    provenance: provenance(row, context),
  };
}

function dealRow(reader: RowReader, row: AssembledRow, context: RowContext): TransferInput | undefined {
  const importerId = reader.state('recipient');
  const exporterId = reader.state('supplier');
  const orderYear = reader.year('orderYear', false);
  const numberOrdered = reader.count('numberOrdered');
  const numberOfItems = reader.count('numberDelivered');
  const deliveryYears = reader.yearList('deliveryYears');
  const tivPerUnit = reader.tiv('tivPerUnit');
  const tivTotalOrder = reader.tiv('tivTotalOrder');
  const tivDelivered = reader.tiv('tivDelivered');
  const uncertain: string[] = [];
  if (reader.questionFlag('orderYearFlag')) uncertain.push('orderYear');
  if (reader.questionFlag('numberOrderedFlag')) uncertain.push('numberOrdered');
  if (reader.questionFlag('numberDeliveredFlag')) uncertain.push('numberOfItems');
  if (
    exporterId === null ||
    importerId === null ||
    deliveryYears === null ||
    tivPerUnit === undefined ||
    tivTotalOrder === undefined ||
    tivDelivered === undefined
  )
    return undefined;

  const text = row.fields.join('\u0001');
  const identical = context.seenLines.get(text);
  if (identical !== undefined) {
    countStat(context, 'identicalRows');
    context.issues.warning(
      'identical_rows',
      `the row repeats row ${identical} exactly; both are kept (SIPRI lists some identical deals separately)`,
      'nothing to do unless the line was copied by mistake',
      { row: row.line },
    );
  } else context.seenLines.set(text, row.line);
  tivStats(context, tivDelivered, deliveryYears);

  const distinctYears = new Set(deliveryYears);
  const year = distinctYears.size === 1 ? deliveryYears[0]! : null;
  return {
    source: SIPRI_SOURCE,
    sourceRecordId: null,
    exporterId,
    importerId,
    partnerAggregated: false,
    year,
    yearMissingReason: year !== null ? null : deliveryYears.length === 0 ? 'not_yet_available' : 'aggregated',
    deliveryYears,
    orderYear,
    categoryScheme: 'sipri',
    categoryCode: null,
    subcategoryCode: null,
    description: reader.cell('description'),
    designation: reader.cell('designation'),
    comments: reader.cell('comments'),
    basis: 'delivered',
    numberOfItems,
    numberOfItemsMissingReason:
      numberOfItems !== null ? null : deliveryYears.length === 0 ? 'not_yet_available' : 'not_reported',
    numberOrdered,
    value: null,
    currency: null,
    valueMissingReason: 'not_applicable',
    tivDelivered,
    tivPerUnit,
    tivTotalOrder,
    endUser: null,
    endUse: null,
    status: reader.cell('status'),
    localProduction: null,
    uncertain,
    provenance: provenance(row, context),
  };
}

/** The armament category in SIPRI's current spelling (CATEGORY_SPELLINGS); an older spelling is counted. */
function currentCategory(category: string | null, row: AssembledRow, context: RowContext): string | null {
  if (category === null) return null;
  const current = CATEGORY_SPELLINGS[category.replace(/\s+/g, ' ').toLowerCase()];
  if (current === undefined || current === category) return category;
  const seen = context.categorySpellings.get(category);
  if (seen) seen.rows++;
  else context.categorySpellings.set(category, { current, rows: 1, firstRow: row.line });
  return current;
}

/**
 * After the last row: one warning per older category spelling read, and the spellings in metadata, so that what the
 * file said is not lost when the rows store the current spelling.
 */
function reportCategorySpellings(context: RowContext): void {
  const { categorySpellings, result, issues } = context;
  if (categorySpellings.size === 0) return;
  const notes: string[] = [];
  let rows = 0;
  for (const [written, { current, rows: count, firstRow }] of categorySpellings) {
    rows += count;
    const rowsText = `${count} row${count === 1 ? '' : 's'}`;
    notes.push(`${written} -> ${current} (${rowsText})`);
    issues.warning(
      'category_spelling',
      `the armament category "${written}" (an older SIPRI spelling) is stored as "${current}" on ${rowsText} (the first on line ${firstRow})`,
      `nothing to do; filter by "${current}" to find the rows of every release`,
      { column: context.columns.labels[context.columns.index.get('category')!] ?? null, value: written },
    );
  }
  result.metadata.categorySpellings = notes.join('; ');
  result.stats.categorySpellingsNormalised = rows;
}

function tivStats(context: RowContext, tiv: string | null, years: readonly number[]): void {
  if (tiv === null) countStat(context, 'tivEmpty');
  else if (/^0+(\.0+)?$/.test(tiv)) {
    countStat(context, 'tivZero');
    if (years.length === 0) countStat(context, 'tivZeroWithoutDelivery');
  }
}
