/**
 * TIV by State and year: from Transfer rows (`tivByYear`), and SIPRI's own TIV table export (`parseSipriTivTable`),
 * so the two can be reconciled. All arithmetic is exact (decimal.ts); TIV is a volume index, never money.
 */
import type { IngestResult } from '../../model/ingest.js';
import type { PhysicalRecord } from '../csv-records.js';
import type { Provenance } from '../../model/transfer.js';
import {
  addDecimals,
  compareDecimals,
  decimalToString,
  parseDecimal,
  splitEvenly,
  sumDecimals,
  ZERO,
  absDecimal,
  subtractDecimals,
  type Decimal,
} from '../../model/decimal.js';
import {
  assertRowAccounting,
  findControlCharacter,
  refuse,
  unknownStateHint,
  type IngestLimits,
  type StateLookup,
} from '../framework.js';
import {
  SIPRI_SOURCE,
  ambiguousTivMessage,
  headerKey,
  isBlankRecord,
  openSipriFile,
  readPreamble,
  readTivText,
} from './sipri-file.js';

// ---------------------------------------------------------------------------------------------------------------
// Aggregation

/**
 * Where the TIV of a deal delivered over several years goes (classic deal rows only: they give the deal's total TIV
 * and the list of delivery years, but no split).
 * - `even-split` (default): the TIV is split evenly over the distinct delivery years, exactly (shares at 6 decimals,
 *   the remainder units going to the earliest years, so the shares add up to the deal's TIV). SIPRI's own split
 *   follows the actual numbers delivered per year, which this layout does not give: on the 2026 China register the
 *   even split reproduces most, not all, of SIPRI's year cells.
 * - `first-year` / `last-year`: all of it in the first / last delivery year.
 * Rows with one delivery year (every delivery row, most deal rows) are placed in that year whatever the rule.
 */
export type ClassicYearRule = 'even-split' | 'first-year' | 'last-year';

/** Digits after the point of the shares of an even split. */
export const SPLIT_SCALE = 6;

/** The fields of a Transfer that the aggregation reads. */
export interface TivTransfer {
  exporterId: string;
  importerId: string | null;
  year: number | null;
  deliveryYears: readonly number[];
  tivDelivered: string | null;
}

export interface TivByYearOptions {
  /** First year kept (inclusive); a deal's shares placed outside [from, to] are left out. */
  from?: number;
  /** Last year kept (inclusive). */
  to?: number;
  classicYearRule?: ClassicYearRule;
}

export interface TivCell {
  stateId: string;
  year: number;
  /** Exact decimal text; "0" = deliveries of less than 0.5 million TIV. */
  tiv: string;
}

export interface TivByYearResult {
  by: 'exporter' | 'importer';
  classicYearRule: ClassicYearRule;
  from: number | null;
  to: number | null;
  /** One cell per State and year with any delivery, sorted by State then year. */
  rows: TivCell[];
  /** Per State over the kept years, sorted by State. */
  totals: { stateId: string; tiv: string }[];
  yearTotals: { year: number; tiv: string }[];
  grandTotal: string;
  /** Rows that added nothing, by reason: no TIV (empty), no delivery year, no party on that side, all shares outside the range. */
  skipped: { noTiv: number; noYear: number; noParty: number; outsideRange: number };
}

/** Sums delivered TIV by exporter or importer and year (pure, exact). */
export function tivByYear(
  transfers: Iterable<TivTransfer>,
  by: 'exporter' | 'importer',
  options: TivByYearOptions = {},
): TivByYearResult {
  const rule = options.classicYearRule ?? 'even-split';
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const cells = new Map<string, Map<number, Decimal>>();
  const skipped = { noTiv: 0, noYear: 0, noParty: 0, outsideRange: 0 };
  for (const transfer of transfers) {
    const stateId = by === 'exporter' ? transfer.exporterId : transfer.importerId;
    if (stateId === null) {
      skipped.noParty++;
      continue;
    }
    if (transfer.tivDelivered === null) {
      skipped.noTiv++;
      continue;
    }
    // One delivery year (every delivery row, most deal rows) needs no dedupe or sort.
    let years: readonly number[] =
      transfer.deliveryYears.length === 1
        ? transfer.deliveryYears
        : [...new Set(transfer.deliveryYears)].sort((a, b) => a - b);
    if (years.length === 0 && transfer.year !== null) years = [transfer.year];
    if (years.length === 0) {
      skipped.noYear++;
      continue;
    }
    const shares = placeTiv(parseDecimal(transfer.tivDelivered), years, rule);
    let placed = 0;
    let byYear = cells.get(stateId);
    for (const [year, share] of shares) {
      if (year < from || year > to) continue;
      if (!byYear) cells.set(stateId, (byYear = new Map()));
      byYear.set(year, addDecimals(byYear.get(year) ?? ZERO, share));
      placed++;
    }
    if (placed === 0) skipped.outsideRange++;
  }
  const rows: TivCell[] = [];
  const totals: { stateId: string; tiv: string }[] = [];
  const yearSums = new Map<number, Decimal>();
  let grand = ZERO;
  for (const stateId of [...cells.keys()].sort()) {
    const byYear = cells.get(stateId)!;
    let total = ZERO;
    for (const year of [...byYear.keys()].sort((a, b) => a - b)) {
      const value = byYear.get(year)!;
      rows.push({ stateId, year, tiv: decimalToString(value) });
      total = addDecimals(total, value);
      yearSums.set(year, addDecimals(yearSums.get(year) ?? ZERO, value));
    }
    totals.push({ stateId, tiv: decimalToString(total) });
    grand = addDecimals(grand, total);
  }
  const yearTotals = [...yearSums.keys()]
    .sort((a, b) => a - b)
    .map((year) => ({ year, tiv: decimalToString(yearSums.get(year)!) }));
  return {
    by,
    classicYearRule: rule,
    from: options.from ?? null,
    to: options.to ?? null,
    rows,
    totals,
    yearTotals,
    grandTotal: decimalToString(grand),
    skipped,
  };
}

/** The shares of one row's TIV per year under `rule` (years sorted, distinct, non-empty). */
export function placeTiv(tiv: Decimal, years: readonly number[], rule: ClassicYearRule): [number, Decimal][] {
  if (years.length === 1 || rule === 'first-year') return [[years[0]!, tiv]];
  if (rule === 'last-year') return [[years[years.length - 1]!, tiv]];
  const shares = splitEvenly(tiv, years.length, SPLIT_SCALE);
  return years.map((year, index) => [year, shares[index]!]);
}

// ---------------------------------------------------------------------------------------------------------------
// SIPRI's TIV table export

/** One line of SIPRI's TIV table: a recipient (or supplier) by year, or the table's totals line. */
export interface SipriTivTableRow {
  kind: 'party' | 'total';
  /** Crosswalk id of the party the line is about; null on the totals line. */
  stateId: string | null;
  /** The table's own label ("Pakistan", "Total imports from China"). */
  label: string;
  /** What the first column names. */
  role: 'recipient' | 'supplier';
  /** Every year column: exact decimal text, "0" = more than 0 and less than 0.5, null = no deliveries (empty). */
  years: { year: number; tiv: string | null }[];
  /** The range column ("2000-2025"), as written. */
  rangeTotal: string | null;
  /** The "Percentage" column, as written ("44%"). */
  share: string | null;
  provenance: Provenance;
}

export interface SipriTivTableOptions {
  fileName: string;
  lookup: StateLookup;
  importRunId?: string | null;
  limits?: Partial<IngestLimits>;
}

const TABLE_HINT = 'export the TIV table from SIPRI again and import the file unchanged';

/**
 * Parses SIPRI's "Volume of transfers of major arms" table (a party per line, a year per column, a range total, a
 * percentage, and a closing "Total ..." line). Checks each line's years against its range total and each year
 * column against the totals line within rounding (each figure is rounded to a whole number, so n figures may be off
 * by up to n x 0.5), giving warnings. Same error policy as the registers (framework.ts).
 */
export function parseSipriTivTable(
  bytes: Uint8Array,
  options: SipriTivTableOptions,
): IngestResult<SipriTivTableRow> {
  const { result, issues, records, limits, header, separator } = openSipriFile<SipriTivTableRow>(
    bytes,
    options.fileName,
    options.limits,
  );
  const done = () => {
    assertRowAccounting(result);
    return result;
  };
  if (result.stats.refused === 1) return done();
  if (!header || header.kind !== 'tiv-table') {
    issues.error(
      header ? 'wrong_file_kind' : 'header_not_found',
      header
        ? `this is a SIPRI trade register (${header.kind}), not a TIV table`
        : 'no SIPRI TIV table header in the first lines: expected one such as "Recipient,2000,2001,...,2000-2025,Percentage"',
      header ? 'import it as a trade register (parseSipriRegister)' : TABLE_HINT,
    );
    refuse(result, records.length);
    return done();
  }
  const headerRecord = records[header.index]!;
  result.metadata.layout = 'tiv-table';
  result.stats.headerLine = headerRecord.line;
  readPreamble(records, header.index, result.metadata, issues);
  // A ';'-separated table whose lines end with ';' has an empty last field on every line: dropped.
  const trailingSeparator =
    separator === ';' &&
    headerRecord.fields.length > 1 &&
    headerRecord.fields[headerRecord.fields.length - 1]!.trim() === '';
  const withoutTrailing = (record: PhysicalRecord): PhysicalRecord =>
    trailingSeparator &&
    record.fields.length === headerRecord.fields.length &&
    record.fields[record.fields.length - 1]!.trim() === ''
      ? { ...record, fields: record.fields.slice(0, -1) }
      : record;
  const headerFields = trailingSeparator ? headerRecord.fields.slice(0, -1) : headerRecord.fields;
  const dataRecords = records.slice(header.index + 1).map(withoutTrailing);

  // Columns
  const role: 'recipient' | 'supplier' =
    headerKey(headerFields[0] ?? '') === 'supplier' ? 'supplier' : 'recipient';
  result.metadata.role = role;
  const yearColumns: { year: number; position: number }[] = [];
  let rangeColumn: number | undefined;
  let shareColumn: number | undefined;
  let failed = false;
  headerFields.forEach((cell, position) => {
    if (position === 0) return;
    const key = headerKey(cell);
    const shown = cell.trim();
    if (/^\d{4}$/.test(key)) {
      const year = Number(key);
      if (yearColumns.some((column) => column.year === year)) {
        failed = true;
        issues.error('duplicate_column', 'the year column appears twice in the header', TABLE_HINT, {
          column: shown,
          value: shown,
        });
      } else yearColumns.push({ year, position });
    } else if (/^\d{4}\s*-\s*\d{4}$/.test(key) && rangeColumn === undefined) {
      rangeColumn = position;
      result.metadata.rangeColumn = shown;
    } else if (key === 'percentage' && shareColumn === undefined) shareColumn = position;
    else if (key === 'sum total years' || key === 'percentage of total')
      return; // repeats of the two above
    else
      issues.warning(
        'unknown_column',
        "not part of SIPRI's TIV table; the column is ignored",
        'nothing to do if SIPRI added a column',
        { column: shown, value: shown },
      );
  });
  if (yearColumns.length === 0) {
    failed = true;
    issues.error('missing_column', 'the header has no year columns', TABLE_HINT);
  }
  if (failed) {
    refuse(result, dataRecords.length);
    return done();
  }
  const expected = headerFields.length;
  const last = dataRecords[dataRecords.length - 1];
  if (
    last &&
    !last.terminated &&
    !isBlankRecord(last.fields) &&
    (last.fields.length < expected || last.quoteProblem)
  ) {
    issues.error(
      'truncated_file',
      `the file ends in the middle of a line (line ${last.line} has ${last.fields.length} of ${expected} fields and no line end)`,
      'the download or copy was cut short: export or copy the file again',
      { value: last.raw },
    );
    refuse(result, dataRecords.length);
    return done();
  }
  if (!dataRecords.some((record) => !isBlankRecord(record.fields))) {
    issues.error('no_data_rows', 'the table has a header but no lines', TABLE_HINT);
    refuse(result, dataRecords.length);
    return done();
  }

  const seen = new Map<string, number>();
  const labels = headerFields.map((cell, position) => cell.trim() || `(unnamed column ${position + 1})`);
  for (const record of dataRecords) {
    result.rowsRead++;
    if (isBlankRecord(record.fields)) {
      result.blank++;
      continue;
    }
    const before = issues.issues.length;
    const at = (position: number, value: string | null) => ({
      row: record.line,
      column: labels[position] ?? `column ${position + 1}`,
      value,
    });
    const hasErrors = () => issues.issues.slice(before).some((issue) => issue.severity === 'error');
    const quarantine = () => {
      const raw: Record<string, string> | string[] =
        record.fields.length === expected
          ? Object.fromEntries(labels.map((label, position) => [label, record.fields[position] ?? '']))
          : record.fields.slice();
      result.quarantined.push({ row: record.line, sheet: null, raw, issues: issues.issues.slice(before) });
    };
    if (record.fields.length !== expected) {
      issues.error(
        'wrong_field_count',
        `the line has ${record.fields.length} fields but the header has ${expected}`,
        TABLE_HINT,
        { row: record.line, value: record.raw },
      );
      quarantine();
      continue;
    }
    record.fields.forEach((field, position) => {
      if (field.length > limits.maxCellChars)
        issues.error(
          'cell_too_long',
          `the cell has ${field.length} characters, more than the limit of ${limits.maxCellChars}`,
          TABLE_HINT,
          at(position, field),
        );
      else if (findControlCharacter(field) !== undefined)
        issues.error(
          'control_character',
          'the cell holds a control character',
          'the file is damaged: export it again',
          at(position, field),
        );
    });
    if (hasErrors()) {
      quarantine();
      continue;
    }
    const label = (record.fields[0] ?? '').trim();
    const kind: 'party' | 'total' = /^total\b/i.test(label) ? 'total' : 'party';
    let stateId: string | null = null;
    if (label === '') issues.error('missing_value', 'the name is empty', TABLE_HINT, at(0, null));
    else if (kind === 'party') {
      const found = options.lookup.resolve(label, SIPRI_SOURCE);
      if (!found)
        issues.error(
          'unknown_state',
          `"${label}" is not a known State or party`,
          unknownStateHint(SIPRI_SOURCE),
          at(0, label),
        );
      else {
        stateId = found.stateId;
        const first = seen.get(stateId);
        if (first !== undefined)
          issues.error(
            'duplicate_record',
            `"${label}" is the same party (${stateId}) as row ${first}`,
            TABLE_HINT,
            at(0, label),
          );
        else seen.set(stateId, record.line);
      }
    }
    const tiv = (position: number): string | null => {
      const value = (record.fields[position] ?? '').trim();
      if (value === '') return null;
      const read = readTivText(value, separator);
      if (read.ok) {
        if (read.decimalComma) result.stats.decimalCommasRead = (result.stats.decimalCommasRead ?? 0) + 1;
        return read.text;
      }
      if (read.problem === 'ambiguous')
        issues.error('ambiguous_decimal', ambiguousTivMessage(value), TABLE_HINT, at(position, value));
      else
        issues.error(
          value.startsWith('-') ? 'negative_number' : 'not_a_number',
          `"${value}" is not a TIV such as 12 or 0`,
          TABLE_HINT,
          at(position, value),
        );
      return null;
    };
    const years = yearColumns.map(({ year, position }) => ({ year, tiv: tiv(position) }));
    const rangeTotal = rangeColumn === undefined ? null : tiv(rangeColumn);
    let share: string | null =
      shareColumn === undefined ? null : (record.fields[shareColumn] ?? '').trim() || null;
    // A decimal comma of a ';'-separated table ("6,4%") is written with a point, as SIPRI does.
    if (share !== null && separator === ';' && /^\d+,\d+%$/.test(share)) share = share.replace(',', '.');
    if (share !== null && !/^\d+(\.\d+)?%$/.test(share)) {
      issues.warning(
        'not_a_percentage',
        `"${share}" is not a percentage such as 44% or 6.4%; it is left out`,
        TABLE_HINT,
        at(shareColumn!, share),
      );
      share = null;
    }
    if (hasErrors()) {
      quarantine();
      continue;
    }
    if (rangeTotal !== null) {
      const present = years.filter((cell) => cell.tiv !== null);
      const sum = sumDecimals(present.map((cell) => cell.tiv!));
      if (!withinRounding(sum, parseDecimal(rangeTotal), present.length)) {
        issues.warning(
          'total_mismatch',
          `the years add up to ${decimalToString(sum)} but the range total is ${rangeTotal}`,
          'nothing to do if the table was not edited; otherwise export it again',
          at(rangeColumn!, rangeTotal),
        );
      }
    }
    result.accepted.push({
      kind,
      stateId,
      label,
      role,
      years,
      rangeTotal,
      share,
      provenance: {
        source: SIPRI_SOURCE,
        fileName: result.fileName,
        fileSha256: result.fileSha256,
        row: record.line,
        sheet: null,
        importRunId: options.importRunId ?? null,
      },
    });
  }
  checkColumnTotals(result, issues);
  result.stats.rowsRead = result.rowsRead;
  result.stats.accepted = result.accepted.length;
  result.stats.quarantined = result.quarantined.length;
  result.stats.blank = result.blank;
  return done();
}

/** |a - b| <= (n + 1) x 0.5: n rounded figures and one rounded total. */
function withinRounding(sum: Decimal, total: Decimal, figures: number): boolean {
  const tolerance = parseDecimal(((figures + 1) * 0.5).toFixed(1));
  return compareDecimals(absDecimal(subtractDecimals(sum, total)), tolerance) <= 0;
}

function checkColumnTotals(
  result: IngestResult<SipriTivTableRow>,
  issues: ReturnType<typeof openSipriFile>['issues'],
): void {
  const totals = result.accepted.filter((row) => row.kind === 'total');
  const parties = result.accepted.filter((row) => row.kind === 'party');
  if (totals.length !== 1 || result.quarantined.length > 0) return; // a partial table cannot be checked
  const total = totals[0]!;
  for (const cell of total.years) {
    if (cell.tiv === null) continue;
    const present = parties
      .map((row) => row.years.find((c) => c.year === cell.year)?.tiv ?? null)
      .filter((tiv): tiv is string => tiv !== null);
    const sum = sumDecimals(present);
    if (!withinRounding(sum, parseDecimal(cell.tiv), present.length)) {
      issues.warning(
        'total_mismatch',
        `the lines add up to ${decimalToString(sum)} for ${cell.year} but the totals line says ${cell.tiv}`,
        'nothing to do if the table was not edited; otherwise export it again',
        {
          row: total.provenance.row,
          column: String(cell.year),
          value: cell.tiv,
        },
      );
    }
  }
}
